"""The rules of performance management that are numbers and tables (DOMAIN.md §6): the
predikat matrix, the 32 points of competency development, and the order of the stages."""

from __future__ import annotations

from gugus.performance.models import Expectation, Predikat, Stage

MIN_POINTS = 32

E, P = Expectation, Predikat
# (work results, work behaviour) → predikat, as PermenPANRB 6/2022 sets it.
PREDIKAT = {
    (E.ABOVE, E.BELOW): P.KURANG,
    (E.ABOVE, E.MEETS): P.BAIK,
    (E.ABOVE, E.ABOVE): P.SANGAT_BAIK,
    (E.MEETS, E.BELOW): P.KURANG,
    (E.MEETS, E.MEETS): P.BAIK,
    (E.MEETS, E.ABOVE): P.BAIK,
    (E.BELOW, E.BELOW): P.SANGAT_KURANG,
    (E.BELOW, E.MEETS): P.BUTUH_PERBAIKAN,
    (E.BELOW, E.ABOVE): P.BUTUH_PERBAIKAN,
}


def predikat(work_results: str, work_behaviour: str) -> str:
    """The rating from the two expectations; the one place it is computed."""
    return PREDIKAT[(Expectation(work_results), Expectation(work_behaviour))].value


STAGES = [k.value for k in Stage.Kind]


def previous_stage(kind: int) -> int | None:
    """The stage that must be done before `kind` can be."""
    index = STAGES.index(kind)
    return STAGES[index - 1] if index else None
