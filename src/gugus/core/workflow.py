"""One transition table per process (group registration, grant programme, proposal, and
the processes to come): its states, the steps between them, the permission each step
needs and what the step is waiting for. The services check a step with `check`, the
policies and pages read `permission`, the buttons `steps_from`, and the "what to do next"
lists `waiting`, so a new step is one row here, not four edits in four files."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gugus.core.errors import DomainError


@dataclass(frozen=True)
class Step:
    name: str
    sources: frozenset[str]
    # The status the step leads to; None when the service decides (a review that may
    # approve or return).
    target: str | None
    # The policy action (`core.access.can`) the actor needs.
    permission: str
    # How the refusal and the step's button name it: "A proposal that is funded cannot be
    # *submitted*."
    doing: object
    # The step needs a reason written down (returning, suspending).
    needs_note: bool = False
    # What its button says, as an instruction ("Suspend"); the refusal uses `doing`.
    label: object = None

    @property
    def button(self) -> object:
        return self.label or self.doing


@dataclass(frozen=True)
class Waiting:
    """What a status waits for, and who may do it (for "what to do next" lists)."""

    permission: str
    todo: object


@dataclass
class Workflow:
    # "A proposal that is %(status)s cannot be %(doing)s." (translated)
    refusal: object
    steps: dict[str, Step] = field(default_factory=dict)
    waiting: dict[str, Waiting] = field(default_factory=dict)

    @classmethod
    def of(cls, refusal, steps: list[Step], waiting: dict[str, Waiting] | None = None):
        return cls(refusal, {s.name: s for s in steps}, waiting or {})

    def step(self, name: str) -> Step:
        try:
            return self.steps[name]
        except KeyError:
            raise DomainError(_("Unknown action."), code="unknown_action", field="action") from None

    def check(self, obj, name: str) -> Step:
        """The step, if `obj` (with a `status` and its display) may take it now."""
        step = self.step(name)
        if obj.status not in step.sources:
            raise DomainError(
                self.refusal % {"status": obj.get_status_display().lower(), "doing": step.doing},
                code="invalid_transition",
            )
        return step

    def permission(self, name: str, default: str | None = None) -> str | None:
        step = self.steps.get(name)
        return step.permission if step else default

    def sources(self, name: str) -> frozenset[str]:
        return self.steps[name].sources

    def steps_from(self, status: str) -> list[Step]:
        """The steps open from `status`, in the table's order."""
        return [s for s in self.steps.values() if status in s.sources]
