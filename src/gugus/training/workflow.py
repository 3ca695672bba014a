"""The life of a training event: drafted by its organiser, opened for the offices'
nominations, run (check-in, scores, evaluation) and closed, after which certificates are
issued and mentoring and cascading go on."""

from django.utils.translation import gettext_lazy as _

from gugus.core.access import CHANGE
from gugus.core.workflow import Step, Workflow
from gugus.training.models import Event

S = Event.Status

EVENT = Workflow.of(
    _("An event that is %(status)s cannot be %(doing)s."),
    [
        Step(
            "open",
            frozenset({S.DRAFT}),
            S.NOMINATING,
            CHANGE,
            _("opened for nominations"),
            label=_("Open for nominations"),
        ),
        Step(
            "start",
            frozenset({S.DRAFT, S.NOMINATING}),
            S.RUNNING,
            CHANGE,
            _("started"),
            label=_("Start the event"),
        ),
        Step(
            "close",
            frozenset({S.RUNNING}),
            S.CLOSED,
            CHANGE,
            _("closed"),
            label=_("Close the event"),
        ),
    ],
)
