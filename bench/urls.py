"""Gugus's routes plus a trivial view: the baseline every page time is divided by."""

from django.http import HttpResponse
from django.urls import path

from gugus.urls import urlpatterns as gugus_urlpatterns


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial", trivial), *gugus_urlpatterns]
