from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from gugus.core.access import actor_for, visible
from gugus.core.pagination import paginate
from gugus.core.views import attachment
from gugus.directory.models import PersonAccessLog
from gugus.privacy import services
from gugus.privacy.selectors import download_label, own_data


@login_required
def own_data_page(request):
    """What Gugus holds about the signed-in person, section by section, and the two
    downloads."""
    return render(request, "privacy/own_data.html", {"data": own_data(user=request.user)})


@login_required
def own_data_file(request, fmt):
    if fmt not in ("json", "pdf"):
        raise Http404()
    document = services.own_data_document(actor=request.user, fmt=fmt)
    return attachment(document.body, document.filename, document.content_type)


@login_required
def access_log(request):
    """Personal-data downloads the office's administrator may see (`PersonAccessLogPolicy`)."""
    if not actor_for(request.user).is_office:
        raise Http404()
    entries = visible(request.user, PersonAccessLog).select_related("user")
    page = paginate(entries, request.GET.get("page"), 50)
    rows = [(entry, download_label(entry.what)) for entry in page.items]
    return render(request, "privacy/access_log.html", {"page": page, "rows": rows})
