"""Proposals: generated from the template, checked on submit, reviewed level by level."""

import pytest

from gugus.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from gugus.core.models import AuditEntry
from gugus.core.roles import Role
from gugus.grants import checks, services
from gugus.grants.eligibility import refusals
from gugus.grants.models import Proposal, Review
from tests.factories import user_with_role
from tests.grants.builders import complete, funded, ready_group
from tests.grants.conftest import open_programme


def details(info):
    return [d["message"] for d in info.value.details]


def test_the_plan_is_generated_from_the_template_of_the_group_type(programme, group, ketua):
    proposal = services.proposal_start(actor=ketua, programme=programme, group=group)
    plan = list(proposal.plan.order_by("seq"))
    assert [i.kind for i in plan] == ["in", "on", "in", "on", "in"]
    assert plan[1].practises == plan[0] and plan[2].reflects_on == plan[1]
    assert plan[3].practises == plan[2] and plan[4].reflects_on == plan[3]
    assert all(programme.period_start < i.date < programme.period_end for i in plan)
    assert [i.date for i in plan] == sorted(i.date for i in plan)
    assert proposal.amount == 15_000_000
    assert proposal.participants.count() == 20
    assert checks.plan_problems(proposal) == []


def test_heads_groups_get_five_in_and_two_on(programme, clock):
    kkm = ready_group(kind="kkks", name="KKKS SD Kota Yogyakarta", jenjang="sd")
    ketua = user_with_role(
        Role.KETUA_KELOMPOK,
        person=kkm.officers.get(position="ketua").person,
        group_id=kkm.pk,
    )
    proposal = services.proposal_start(actor=ketua, programme=programme, group=kkm)
    kinds = [i.kind for i in proposal.plan.order_by("seq")]
    assert kinds.count("in") == 5 and kinds.count("on") == 2
    assert proposal.amount == 30_000_000
    assert checks.plan_problems(proposal) == []


def test_an_ineligible_group_cannot_start_and_is_told_why(programme, clock):
    group = ready_group(members=8, active_months=2)
    ketua = user_with_role(
        Role.KETUA_KELOMPOK, person=group.officers.get(position="ketua").person, group_id=group.pk
    )
    with pytest.raises(DomainError) as info:
        services.proposal_start(actor=ketua, programme=programme, group=group)
    assert info.value.code == "not_eligible"
    reasons = " ".join(details(info))
    assert "Aktif pada 2 dari 12 bulan" in reasons
    assert "paling sedikit 15 orang; saat ini 8" in reasons
    assert not Proposal.objects.exists()


def test_proposals_only_inside_the_window_and_once(programme, group, ketua, clock):
    clock.set("2026-02-02")
    with pytest.raises(DomainError, match="Usulan diterima dari 05-01-2026 sampai 31-01-2026"):
        services.proposal_start(actor=ketua, programme=programme, group=group)
    clock.set("2026-01-20")
    services.proposal_start(actor=ketua, programme=programme, group=group)
    with pytest.raises(DomainError) as info:
        services.proposal_start(actor=ketua, programme=programme, group=group)
    assert info.value.code == "duplicate"


def test_only_the_groups_ketua_prepares_the_proposal(programme, group, ketua, offices):
    with pytest.raises(Forbidden):
        services.proposal_start(actor=offices["kabkota"], programme=programme, group=group)
    proposal = services.proposal_start(actor=ketua, programme=programme, group=group)
    with pytest.raises(Forbidden):
        services.proposal_update(actor=offices["kabkota"], proposal=proposal, data={"goals": "x"})
    with pytest.raises(NotFound):
        services.proposal_update(actor=offices["sleman"], proposal=proposal, data={"goals": "x"})


def test_submitting_an_empty_draft_names_every_gap(programme, group, ketua):
    proposal = services.proposal_start(actor=ketua, programme=programme, group=group)
    with pytest.raises(DomainError) as info:
        services.proposal_submit(actor=ketua, proposal=proposal)
    gaps = details(info)
    assert "Kondisi saat ini kosong." in gaps
    assert "Rencana setelah hibah kosong." in gaps
    assert any(g.startswith("Kegiatan 1 belum berisi: topik") for g in gaps)
    assert "Anggaran (RAB) berjumlah Rp0; harus sama dengan hibah, Rp15.000.000." in gaps
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_a_plan_breaking_the_in_on_in_rules_is_refused_naming_the_activity(programme, group, ketua):
    proposal = complete(
        services.proposal_start(actor=ketua, programme=programme, group=group), ketua
    )
    # The first On is moved before the In it practises.
    services.plan_update(
        actor=ketua,
        proposal=proposal,
        rows=[{"seq": 2, "date": "2026-02-02"}, {"seq": 1, "date": "2026-02-10"}],
    )
    with pytest.raises(DomainError) as info:
        services.proposal_submit(actor=ketua, proposal=proposal)
    gaps = details(info)
    assert "Kegiatan 2: pola dimulai dengan kegiatan In, bukan On." in gaps
    assert "Kegiatan 2 mempraktikkan Kegiatan 1, yang tidak dilaksanakan sebelumnya." in gaps
    # An On left without a reflecting In.
    services.plan_update(
        actor=ketua,
        proposal=proposal,
        rows=[
            {"seq": 1, "date": "2026-02-02"},
            {"seq": 2, "date": "2026-03-02"},
            {"seq": 5, "reflects_on": ""},
        ],
    )
    with pytest.raises(DomainError) as info:
        services.proposal_submit(actor=ketua, proposal=proposal)
    assert details(info) == ["Kegiatan 4 tidak diikuti kegiatan In yang merefleksikannya."]
    # A date outside the period.
    services.plan_update(
        actor=ketua, proposal=proposal, rows=[{"seq": 5, "reflects_on": "4", "date": "2026-12-15"}]
    )
    with pytest.raises(DomainError) as info:
        services.proposal_submit(actor=ketua, proposal=proposal)
    assert details(info) == [
        "Kegiatan 5 (15-12-2026) berada di luar masa program, 01-02-2026 sampai 30-11-2026."
    ]


def test_plan_rows_are_validated_by_field(programme, group, ketua):
    proposal = services.proposal_start(actor=ketua, programme=programme, group=group)
    with pytest.raises(FieldErrors) as info:
        services.plan_update(
            actor=ketua,
            proposal=proposal,
            rows=[{"seq": 2, "date": "31-02-2026", "practises": "9"}, {"seq": 8}],
        )
    assert {d["field"] for d in info.value.details} == {"date", "practises", "plan"}


def test_three_reviews_in_scope_then_verified(programme, group, ketua, offices):
    proposal = complete(
        services.proposal_start(actor=ketua, programme=programme, group=group), ketua
    )
    services.proposal_submit(actor=ketua, proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.review_level) == ("submitted", "kabkota")
    # Not the province's turn yet; Sleman does not even see the proposal.
    with pytest.raises(Forbidden):
        services.proposal_review(
            actor=offices["provinsi"], proposal=proposal, decision="approve", score=80
        )
    with pytest.raises(NotFound):
        services.proposal_review(
            actor=offices["sleman"], proposal=proposal, decision="approve", score=80
        )
    for level, score in (("kabkota", 80), ("provinsi", 70), ("nasional", 90)):
        services.proposal_review(
            actor=offices[level],
            proposal=proposal,
            decision="approve",
            score=score,
            comment="Lengkap",
        )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.review_level) == ("verified", "")
    assert list(proposal.reviews.values_list("level", "score")) == [
        ("kabkota", 80),
        ("provinsi", 70),
        ("nasional", 90),
    ]
    assert (
        AuditEntry.objects.filter(target_id=str(proposal.pk), action="review_approve").count() == 3
    )


def test_return_for_revision_needs_a_comment_and_restarts_the_chain(
    programme, group, ketua, offices
):
    proposal = complete(
        services.proposal_start(actor=ketua, programme=programme, group=group), ketua
    )
    services.proposal_submit(actor=ketua, proposal=proposal)
    services.proposal_review(
        actor=offices["kabkota"], proposal=proposal, decision="approve", score=75
    )
    with pytest.raises(FieldErrors, match="Sebutkan apa yang harus diperbaiki"):
        services.proposal_review(actor=offices["provinsi"], proposal=proposal, decision="return")
    with pytest.raises(FieldErrors, match="skor dari 0 sampai 100"):
        services.proposal_review(
            actor=offices["provinsi"], proposal=proposal, decision="approve", score=101
        )
    services.proposal_review(
        actor=offices["provinsi"],
        proposal=proposal,
        decision="return",
        comment="RAB konsumsi terlalu besar",
    )
    proposal.refresh_from_db()
    assert proposal.status == "returned"
    services.proposal_update(actor=ketua, proposal=proposal, data={"goals": "Literasi naik 10%"})
    services.proposal_submit(actor=ketua, proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.review_level) == ("submitted", "kabkota")
    assert proposal.reviews.filter(decision="return").get().comment == "RAB konsumsi terlalu besar"
    with pytest.raises(DomainError, match="tidak dapat diubah"):
        services.proposal_update(actor=ketua, proposal=proposal, data={"goals": "x"})


def test_the_chain_stops_at_the_programmes_level(offices, group, ketua, clock):
    province = open_programme(offices["provinsi"], data={"province": "34"})
    proposal = complete(
        services.proposal_start(actor=ketua, programme=province, group=group), ketua
    )
    assert checks.review_levels(proposal) == ["kabkota", "provinsi"]
    services.proposal_submit(actor=ketua, proposal=proposal)
    services.proposal_review(
        actor=offices["kabkota"], proposal=proposal, decision="approve", score=70
    )
    services.proposal_review(
        actor=offices["provinsi"], proposal=proposal, decision="approve", score=70
    )
    proposal.refresh_from_db()
    assert proposal.status == "verified"
    assert Review.objects.filter(proposal=proposal).count() == 2


def test_withdrawn_proposals_leave_the_review(programme, group, ketua, offices):
    proposal = complete(
        services.proposal_start(actor=ketua, programme=programme, group=group), ketua
    )
    services.proposal_submit(actor=ketua, proposal=proposal)
    services.proposal_withdraw(actor=ketua, proposal=proposal)
    with pytest.raises(Forbidden):
        services.proposal_review(
            actor=offices["kabkota"], proposal=proposal, decision="approve", score=80
        )


def test_budget_lines_name_the_wrong_field(programme, group, ketua):
    proposal = services.proposal_start(actor=ketua, programme=programme, group=group)
    with pytest.raises(FieldErrors) as info:
        services.budget_line_add(
            actor=ketua,
            proposal=proposal,
            data={"planned": "7", "category": "jalan-jalan", "description": "", "amount": "-5"},
        )
    assert {d["field"] for d in info.value.details} == {
        "planned",
        "category",
        "description",
        "amount",
    }


def test_a_group_accounts_for_its_grant_before_asking_for_another(programme, group, offices, clock):
    """Money received and not yet reported in an LPJ keeps the group out of the next
    programme, with the earlier programme named."""
    funded(programme, group, offices, clock)
    clock.set("2026-03-02")
    second = open_programme(
        offices["nasional"],
        data={
            "name": "Bantuan Tahap II",
            "apply_from": "2026-03-01",
            "apply_until": "2026-03-31",
            "period_start": "2026-04-01",
        },
    )
    assert refusals(group, second) == [
        "Laporan pertanggungjawaban (LPJ) bantuan dari Bantuan Kelompok Kerja 2026 belum diajukan."
    ]


def test_the_budget_never_exceeds_the_grant(programme, group, ketua):
    proposal = services.proposal_start(actor=ketua, programme=programme, group=group)
    services.budget_line_add(
        actor=ketua,
        proposal=proposal,
        data={"planned": 1, "category": "honorarium", "description": "Honor", "amount": 14_000_000},
    )
    with pytest.raises(FieldErrors) as refused:
        services.budget_line_add(
            actor=ketua,
            proposal=proposal,
            data={
                "planned": "",
                "category": "penggandaan",
                "description": "LPJ",
                "amount": 1_000_001,
            },
        )
    assert refused.value.details == [
        {
            "field": "amount",
            "message": "Anggaran akan menjadi Rp15.000.001, melebihi bantuan sebesar Rp15.000.000.",
        }
    ]
    assert proposal.budget.count() == 1


@pytest.mark.parametrize(
    ("kind", "jenjang", "funded_items", "unfunded"),
    [
        ("kkg", "sd", {1, 2, 3, 4, 5}, []),
        ("kkg", "sd", {1, 3, 5}, [2, 4]),  # the Ons have no RAB of their own
        ("kkg", "sd", set(), [1, 2, 3, 4, 5]),  # one line for the whole grant is not a RAB
        ("kkks", "sd", {1, 2, 3, 4, 5, 6, 7}, []),
        ("kkks", "sd", {1, 7}, [2, 3, 4, 5, 6]),
    ],
)
def test_every_planned_activity_has_its_own_budget_lines(
    programme, clock, kind, jenjang, funded_items, unfunded
):
    """The RAB is per activity (DOMAIN.md §3): the grant's total alone does not do."""
    group = ready_group(kind=kind, jenjang=jenjang)
    ketua = user_with_role(
        Role.KETUA_KELOMPOK, person=group.officers.get(position="ketua").person, group=group
    )
    proposal = services.proposal_start(actor=ketua, programme=programme, group=group)
    share = proposal.amount // 10
    for seq in sorted(funded_items):
        services.budget_line_add(
            actor=ketua,
            proposal=proposal,
            data={
                "planned": seq,
                "category": "konsumsi",
                "description": "Konsumsi",
                "amount": share,
            },
        )
    rest = proposal.amount - share * len(funded_items)
    services.budget_line_add(
        actor=ketua,
        proposal=proposal,
        data={"planned": "", "category": "penggandaan", "description": "LPJ", "amount": rest},
    )
    gaps = [m for f, m in checks.submission_gaps(proposal) if f == "budget"]
    assert gaps == [
        f"Kegiatan {seq} belum memiliki baris anggaran: setiap kegiatan memerlukan RAB-nya sendiri."
        for seq in unfunded
    ]
