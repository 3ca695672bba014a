"""Each process has one transition table; the services, the policies and the pages read it."""

import pytest

from gugus.communities.models import WorkingGroup
from gugus.communities.workflow import GROUP
from gugus.core.errors import DomainError
from gugus.grants import views as grant_views
from gugus.grants.models import GrantProgramme, Proposal
from gugus.grants.workflow import PROGRAMME, PROPOSAL

TABLES = [
    (GROUP, WorkingGroup.Status),
    (PROGRAMME, GrantProgramme.Status),
    (PROPOSAL, Proposal.Status),
]


@pytest.mark.parametrize(("table", "statuses"), TABLES, ids=["group", "programme", "proposal"])
def test_every_step_moves_between_real_statuses(table, statuses):
    for step in table.steps.values():
        assert step.sources and set(step.sources) <= set(statuses.values), step.name
        assert step.target is None or step.target in statuses.values, step.name
    assert set(table.waiting) <= set(statuses.values)


def test_every_proposal_button_is_a_step_of_the_table_and_needs_its_permission():
    buttons = grant_views.PROPOSAL_ACTIONS.values()
    assert {b.step for b in buttons} <= set(PROPOSAL.steps)
    money_buttons = {b.step for b in buttons if b.page == "money"}
    assert money_buttons == {s.name for s in PROPOSAL.steps.values() if s.permission == "spend"}


def test_what_each_status_waits_for_is_a_step_that_status_can_take():
    for status, waiting in PROPOSAL.waiting.items():
        assert any(s.permission == waiting.permission for s in PROPOSAL.steps_from(status)), status


def test_a_step_from_the_wrong_status_is_refused_by_name(settings):
    settings.LANGUAGE_CODE = "en"
    funded = Proposal(status=Proposal.Status.FUNDED)
    with pytest.raises(DomainError) as refused:
        PROPOSAL.check(funded, "submit")
    assert refused.value.code == "invalid_transition"
    assert str(refused.value.message) == "A proposal that is funds disbursed cannot be submitted."
    with pytest.raises(DomainError) as unknown:
        PROPOSAL.check(funded, "teleport")
    assert (unknown.value.code, unknown.value.details[0]["field"]) == ("unknown_action", "action")


def test_a_group_step_that_needs_a_reason_says_so_and_only_offices_register():
    assert {s.name for s in GROUP.steps.values() if s.needs_note} == {
        "return",
        "suspend",
        "dissolve",
    }
    assert {s.name for s in GROUP.steps.values() if s.permission == "change"} == {"submit"}
