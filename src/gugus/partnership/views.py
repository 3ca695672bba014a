"""Partnership pages: the cohorts, a new cohort, and the cohort page whose every button
is a service call (and an API endpoint)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gugus.core.access import CHANGE, access, actor_for, can, visible
from gugus.core.errors import Forbidden
from gugus.core.views import act, not_found_on_refusal, submit_form
from gugus.directory.selectors import region_choices
from gugus.partnership import selectors, services
from gugus.partnership.effect import partner_effect
from gugus.partnership.forms import CohortForm
from gugus.partnership.models import Cohort, Pair, Participant


@login_required
def cohort_list(request):
    return render(
        request,
        "partnership/cohort_list.html",
        {
            "cohorts": visible(request.user, Cohort)
            .select_related("event")
            .order_by("-year", "name"),
            "can_create": actor_for(request.user).is_office,
        },
    )


@login_required
@not_found_on_refusal
def cohort_create(request):
    if not actor_for(request.user).is_office:
        raise Forbidden()
    form = CohortForm(request.POST or None, regions=region_choices(actor=request.user))
    cohort = submit_form(
        request,
        form,
        lambda data: services.cohort_create(
            actor=request.user, data=form.service_data(), tiers=form.tiers_data()
        ),
        {"province": "region", "regency": "region", "tiers": "tier1_name"},
    )
    if cohort:
        messages.success(request, _("The cohort was saved as a draft."))
        return redirect("cohort_detail", pk=cohort.pk)
    return render(request, "partnership/cohort_form.html", {"form": form})


@login_required
@not_found_on_refusal
def cohort_detail(request, pk):
    cohort = access(request.user, Cohort, pk=pk)
    manage = can(request.user, CHANGE, cohort)
    later = selectors.later_events(cohort)
    chosen = next(
        (e for e in later if e.code == request.GET.get("ukg")), later[-1] if later else None
    )
    return render(
        request,
        "partnership/cohort_detail.html",
        {
            "cohort": cohort,
            "manage": manage,
            "later_events": later,
            "later": chosen,
            "effects": partner_effect(cohort, chosen) if manage and chosen else [],
        }
        | selectors.cohort_page(request.user, cohort),
    )


def _pair(request, cohort):
    return access(request.user, Pair, CHANGE, pk=request.POST.get("pair") or 0, cohort=cohort)


def _participant(request, cohort):
    return access(
        request.user, Participant, CHANGE, pk=request.POST.get("participant") or 0, cohort=cohort
    )


ACTIONS = {
    "select": lambda r, c: services.cohort_select(actor=r.user, cohort=c),
    "match": lambda r, c: services.cohort_match(actor=r.user, cohort=c),
    "lock": lambda r, c: services.pair_lock(actor=r.user, pair=_pair(r, c), locked=True),
    "unlock": lambda r, c: services.pair_lock(actor=r.user, pair=_pair(r, c), locked=False),
    "exclude_pair": lambda r, c: services.pair_exclude(
        actor=r.user, pair=_pair(r, c), reason=r.POST.get("reason", "")
    ),
    "exclude_participant": lambda r, c: services.participant_exclude(
        actor=r.user, participant=_participant(r, c), reason=r.POST.get("reason", "")
    ),
}


@login_required
@require_POST
@not_found_on_refusal
def cohort_action(request, pk):
    cohort = access(request.user, Cohort, CHANGE, pk=pk)
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is not None:
        act(request, lambda: action(request, cohort), _("Saved."))
    return redirect("cohort_detail", pk=cohort.pk)
