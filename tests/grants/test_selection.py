"""Selection within quota and ceiling by a documented score; decision and disbursement."""

import datetime

import pytest

from gugus.communities.models import ActivenessSnapshot
from gugus.core.clock import as_of
from gugus.core.errors import DomainError, FieldErrors, Forbidden
from gugus.core.models import AuditEntry
from gugus.grants import services
from gugus.grants.models import Proposal
from tests.grants.builders import complete, ketua_of, ready_group, verified
from tests.grants.conftest import open_programme


def activeness(group, score):
    ActivenessSnapshot.objects.update_or_create(
        group=group, month=datetime.date(2026, 1, 1), defaults={"score": score, "level": "aktif"}
    )


def close(programme, office):
    return services.programme_transition(
        actor=office, programme=programme, action="close_applications"
    )


def test_ranked_by_score_within_the_quota(programme, offices):
    programme.quota = 2
    programme.save()
    groups = [ready_group(name=f"KKG {n}") for n in "ABC"]
    for g, act in zip(groups, (50, 90, 70), strict=True):
        activeness(g, act)
    proposals = [verified(programme, g, offices, score=80) for g in groups]
    close(programme, offices["nasional"])
    ranked = services.programme_select(actor=offices["nasional"], programme=programme)
    assert [r.proposal.group.name for r in ranked] == ["KKG B", "KKG C", "KKG A"]
    for p in proposals:
        p.refresh_from_db()
    b, c, a = proposals[1], proposals[2], proposals[0]
    assert (b.status, b.rank, b.score) == ("selected", 1, 84)
    assert c.status == "selected" and a.status == "not_selected"
    assert b.selection_note.startswith(
        "Skor 84,00 = 0,6 x rata-rata verifikator 80,0 + 0,4 x keaktifan 90."
    )
    assert "kuota 2 kelompok sudah penuh" in a.selection_note
    assert AuditEntry.objects.filter(action="select", target_id=str(programme.pk)).exists()


def test_the_ceiling_passes_over_a_proposal_that_does_not_fit(programme, offices):
    programme.budget_ceiling = 50_000_000
    programme.save()
    kkm = ready_group(kind="kkks", name="KKKS A", jenjang="sd")
    kkg = [ready_group(name=f"KKG {n}") for n in "BC"]
    activeness(kkm, 60)
    activeness(kkg[0], 80)
    activeness(kkg[1], 40)
    [verified(programme, g, offices) for g in [kkm, *kkg]]
    close(programme, offices["nasional"])
    ranked = services.programme_select(actor=offices["nasional"], programme=programme)
    # KKG B 15 juta, KKKS A 30 juta = 45 juta; KKG C (15 juta) no longer fits in 5 juta.
    assert [(r.proposal.group.name, r.selected) for r in ranked] == [
        ("KKG B", True),
        ("KKKS A", True),
        ("KKG C", False),
    ]
    assert "Rp15.000.000 melebihi sisa pagu Rp5.000.000" in ranked[2].note


def test_ties_are_ordered_and_explained(programme, offices, clock):
    first, second = ready_group(name="KKG Awal"), ready_group(name="KKG Akhir")
    for g in (first, second):
        activeness(g, 70)
    verified(programme, first, offices)
    clock.set("2026-01-11")
    verified(programme, second, offices)
    close(programme, offices["nasional"])
    ranked = services.programme_select(actor=offices["nasional"], programme=programme)
    assert [r.proposal.group.name for r in ranked] == ["KKG Awal", "KKG Akhir"]
    assert ranked[0].score == ranked[1].score
    assert (
        "Skor sama dengan KKG Akhir; berperingkat di atasnya karena usulannya diajukan lebih "
        "dahulu." in ranked[0].note
    )
    assert "berperingkat di bawahnya" in ranked[1].note


def test_a_group_never_funded_before_wins_a_tie(programme, offices, clock):
    veteran, newcomer = ready_group(name="KKG Lama"), ready_group(name="KKG Baru")
    for g in (veteran, newcomer):
        activeness(g, 70)
    verified(programme, veteran, offices)
    verified(programme, newcomer, offices)
    # The veteran was funded by last year's programme.
    last_year = Proposal.objects.get(group=veteran)
    with as_of(datetime.date(2025, 1, 2)):
        last_programme = services.programme_create(
            actor=offices["nasional"],
            data={
                "name": "Bantuan 2025",
                "budget_ceiling": "1000000000",
                "quota": "5",
                "apply_from": "2025-01-01",
                "apply_until": "2025-01-31",
                "period_start": "2025-02-01",
                "period_end": "2025-11-30",
            },
            kinds=[{"kind": "kkg", "amount": "15000000"}],
        )
    Proposal.objects.create(
        programme=last_programme, group=veteran, amount=last_year.amount, status="closed"
    )
    close(programme, offices["nasional"])
    ranked = services.programme_select(actor=offices["nasional"], programme=programme)
    assert [r.proposal.group.name for r in ranked] == ["KKG Baru", "KKG Lama"]
    assert "belum pernah menerima bantuan" in ranked[0].note


def test_selection_waits_for_every_review_and_the_decision_for_the_selection(
    programme, offices, clock
):
    g1, g2 = ready_group(), ready_group()
    verified(programme, g1, offices)
    pending = complete(
        services.proposal_start(actor=ketua_of(g2), programme=programme, group=g2), ketua_of(g2)
    )
    services.proposal_submit(actor=ketua_of(g2), proposal=pending)
    office = offices["nasional"]
    with pytest.raises(DomainError, match="Seleksi dilakukan setelah usulan ditutup"):
        services.programme_select(actor=office, programme=programme)
    close(programme, office)
    with pytest.raises(DomainError, match="1 usulan masih dalam verifikasi"):
        services.programme_select(actor=office, programme=programme)
    with pytest.raises(DomainError, match="Jalankan seleksi"):
        services.programme_decide(actor=office, programme=programme, number="1", date="2026-02-01")
    services.proposal_withdraw(actor=ketua_of(g2), proposal=pending)
    services.programme_select(actor=office, programme=programme)
    with pytest.raises(FieldErrors) as info:
        services.programme_decide(actor=office, programme=programme, number="", date="kemarin")
    assert {d["field"] for d in info.value.details} == {"decision_number", "decision_date"}
    with pytest.raises(Forbidden):
        services.programme_decide(
            actor=offices["provinsi"], programme=programme, number="1", date="2026-02-01"
        )
    programme = services.programme_decide(
        actor=office, programme=programme, number="0123/B/HK/2026", date="2026-02-01"
    )
    assert programme.status == "running"
    with pytest.raises(DomainError, match="sebelum SK terbit"):
        services.programme_select(actor=office, programme=programme)
    with pytest.raises(DomainError, match="SK diterbitkan sekali"):
        services.programme_decide(actor=office, programme=programme, number="2", date="2026-02-02")


def test_disbursement_is_the_whole_grant_after_the_decision(programme, offices, clock):
    proposal = verified(programme, ready_group(), offices)
    office = offices["nasional"]
    close(programme, office)
    services.programme_select(actor=office, programme=programme)
    proposal.refresh_from_db()
    with pytest.raises(DomainError, match="setelah SK terbit"):
        services.disburse(
            actor=office, proposal=proposal, amount="15000000", date="2026-02-03", reference="T"
        )
    services.programme_decide(actor=office, programme=programme, number="1", date="2026-02-01")
    with pytest.raises(FieldErrors, match=r"disalurkan penuh: Rp15\.000\.000"):
        services.disburse(
            actor=office, proposal=proposal, amount="10.000.000", date="2026-02-03", reference="T"
        )
    with pytest.raises(Forbidden):
        services.disburse(
            actor=offices["kabkota"],
            proposal=proposal,
            amount="15000000",
            date="2026-02-03",
            reference="T",
        )
    services.disburse(
        actor=office, proposal=proposal, amount="15.000.000", date="2026-02-03", reference="T-9"
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.disbursed_amount) == ("funded", 15_000_000)
    entry = AuditEntry.objects.get(action="disburse")
    assert entry.changes["disbursed_amount"] == [None, "15000000"]
    with pytest.raises(DomainError, match="Usulan berstatus dana tersalurkan"):
        services.disburse(
            actor=office, proposal=proposal, amount="15000000", date="2026-02-03", reference="T"
        )


def test_programme_transitions_refuse_the_wrong_order(offices, clock):
    office = offices["nasional"]
    programme = open_programme(office)
    with pytest.raises(DomainError, match="tidak dapat dibuka untuk usulan"):
        services.programme_transition(actor=office, programme=programme, action="open")
    with pytest.raises(DomainError, match="tidak dapat masuk tahap pelaporan"):
        services.programme_transition(actor=office, programme=programme, action="start_reporting")
    with pytest.raises(DomainError, match="tidak dapat ditutup"):
        services.programme_transition(actor=office, programme=programme, action="close")
    with pytest.raises(Forbidden):
        services.programme_transition(
            actor=offices["provinsi"], programme=programme, action="close_applications"
        )


@pytest.mark.parametrize(
    ("weights", "favour", "order", "note"),
    [
        # reviewers only: the better proposal wins whatever the group's habits
        (("1", "0"), False, ["KKG Rajin", "KKG Tidur"], "Skor 85,00 = 1 x rata-rata"),
        # the default: activeness counts 0.4
        (("0,6", "0,4"), False, ["KKG Rajin", "KKG Tidur"], "0,4 x keaktifan 90."),
        # favouring activation: the dormant group's need outweighs its lower review
        (("0,5", "0,5"), True, ["KKG Tidur", "KKG Rajin"], "0,5 x (100 - keaktifan 20)"),
    ],
)
def test_selection_weights_are_the_programmes(offices, clock, weights, favour, order, note):
    """The juknis of each year sets how reviewers and activeness weigh, and may favour
    groups that need activation ("yang belum aktif bisa aktif")."""
    programme = open_programme(
        offices["nasional"],
        data={
            "review_weight": weights[0],
            "activeness_weight": weights[1],
            "favour_activation": favour,
        },
    )
    busy, dormant = ready_group(name="KKG Rajin"), ready_group(name="KKG Tidur")
    activeness(busy, 90)
    activeness(dormant, 20)
    verified(programme, busy, offices, score=85)
    verified(programme, dormant, offices, score=75)
    close(programme, offices["nasional"])
    ranked = services.programme_select(actor=offices["nasional"], programme=programme)
    assert [r.proposal.group.name for r in ranked] == order
    assert note in " ".join(r.note for r in ranked)


@pytest.mark.parametrize(
    ("weights", "field"),
    [
        (("0,7", "0,4"), "activeness_weight"),
        (("1,5", "-0,5"), "review_weight"),
        (("x", "1"), "review_weight"),
    ],
)
def test_selection_weights_are_checked(offices, clock, weights, field):
    with pytest.raises(FieldErrors) as info:
        open_programme(
            offices["nasional"],
            data={"review_weight": weights[0], "activeness_weight": weights[1]},
        )
    assert field in [d["field"] for d in info.value.details]
