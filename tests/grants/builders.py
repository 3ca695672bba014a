"""Groups, programmes and proposals in the states the grant tests start from."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from gugus.accounts.models import User
from gugus.communities.models import Activity, Membership, Officer
from gugus.core.roles import Role
from gugus.grants import checks, services
from tests.factories import GroupFactory, SchoolFactory, teacher, user_with_role

PDF = b"%PDF-1.4\n%receipt\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64

WINDOW = {
    "apply_from": "2026-01-05",
    "apply_until": "2026-01-31",
    "period_start": "2026-02-01",
    "period_end": "2026-11-30",
}


def ready_group(members=20, active_months=8, **fields):
    """An active group meeting every eligibility requirement (8 active months in 2025)."""
    group = GroupFactory(
        decree_number="421/7/2024",
        decree_date=datetime.date(2024, 1, 8),
        decree_file=SimpleUploadedFile("sk.pdf", b"%PDF-1.4"),
        statutes_file=SimpleUploadedFile("adart.pdf", b"%PDF-1.4"),
        programme_start_year=2024,
        programme_end_year=2026,
        **fields,
    )
    school = SchoolFactory()
    people = [teacher(school) for _i in range(members)]
    for p in people:
        Membership.objects.create(group=group, person=p, started_on="2024-01-01")
    for position, p in zip(("pembina", "ketua", "sekretaris", "bendahara"), people, strict=False):
        Officer.objects.create(group=group, person=p, position=position, started_on="2024-01-01")
    for m in range(active_months):
        Activity.objects.create(
            group=group,
            kind="pertemuan",
            topic="Rapat",
            place="SD",
            date=datetime.date(2025, 12 - m, 10),
            status="held",
        )
    return group


def officer(group, position):
    return group.officers.get(position=position, ended_on__isnull=True).person


def receipt(name="nota.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def photo(name="kelas.jpg"):
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


def plan_rows(proposal, topic="Asesmen diagnostik"):
    """Complete plan rows keeping the generated dates and links."""
    return [
        {
            "seq": item.seq,
            "topic": f"{topic} {item.seq}",
            "facilitator": "Narasumber BBGP" if item.kind == "in" else "",
            "learning_problem": "Siswa kelas 4 belum lancar membaca pemahaman",
            "expected_output": "Modul ajar" if item.kind == "in" else "Catatan observasi kelas",
        }
        for item in proposal.plan.order_by("seq")
    ]


TRANSPORT = 250_000


def _transport_lines(proposal, covered):
    """Each activity the default lines do not fund gets its own (transport to the school
    of an On, or to the venue of an In): every activity has its RAB."""
    return [
        {
            "planned": item.seq,
            "category": "transport",
            "description": f"Transport {item.ref}",
            "amount": TRANSPORT,
        }
        for item in proposal.plan.order_by("seq")
        if item.seq not in covered
    ]


def _transport(proposal, covered):
    return TRANSPORT * len(_transport_lines(proposal, covered))


def complete(proposal, ketua, *, lines=None):
    """Fill a drafted proposal so that it can be submitted."""
    services.proposal_update(
        actor=ketua,
        proposal=proposal,
        data={
            "background_current": "Nilai literasi rendah",
            "background_expected": "Guru menerapkan asesmen diagnostik",
            "background_solution": "In-On-In tentang asesmen",
            "goals": "Meningkatkan literasi siswa",
            "sustainability_plan": "Iuran anggota dan dana BOS untuk pertemuan bulanan",
        },
    )
    services.plan_update(actor=ketua, proposal=proposal, rows=plan_rows(proposal))
    amount = proposal.amount
    for row in lines or [
        {
            "planned": 1,
            "category": "honorarium",
            "description": "Honor narasumber",
            "amount": amount * 4 // 10,
        },
        {
            "planned": 1,
            "category": "konsumsi",
            "description": "Konsumsi In 1",
            "amount": amount * 2 // 10,
        },
        {
            "planned": 5,
            "category": "konsumsi",
            "description": "Konsumsi In 3",
            "amount": amount * 2 // 10,
        },
        *_transport_lines(proposal, covered={1, 5}),
        {
            "planned": "",
            "category": "penggandaan",
            "description": "Penggandaan LPJ",
            "amount": amount - (amount * 8 // 10) - _transport(proposal, covered={1, 5}),
        },
    ]:
        services.budget_line_add(actor=ketua, proposal=proposal, data=row)
    proposal.refresh_from_db()
    return proposal


def ketua_of(group):
    """The group's ketua login (created once)."""
    person = officer(group, "ketua")
    existing = User.objects.filter(person=person).first()
    return existing or user_with_role(Role.KETUA_KELOMPOK, person=person, group_id=group.pk)


def verified(programme, group, offices, score=80):
    """A proposal of `group` submitted and approved at every level with `score`."""
    ketua = ketua_of(group)
    proposal = complete(
        services.proposal_start(actor=ketua, programme=programme, group=group), ketua
    )
    services.proposal_submit(actor=ketua, proposal=proposal)
    for level in checks.review_levels(proposal):
        services.proposal_review(
            actor=offices[level], proposal=proposal, decision="approve", score=score
        )
    proposal.refresh_from_db()
    return proposal


def funded(programme, group, offices, clock, score=80):
    """A proposal selected, decided and paid (clock left on the payment day)."""
    proposal = verified(programme, group, offices, score)
    office = offices["nasional"]
    clock.set("2026-02-01")
    services.programme_transition(actor=office, programme=programme, action="close_applications")
    services.programme_select(actor=office, programme=programme)
    services.programme_decide(
        actor=office, programme=programme, number="1/SK/2026", date="2026-02-01"
    )
    proposal.refresh_from_db()
    services.disburse(
        actor=office,
        proposal=proposal,
        amount=proposal.amount,
        date="2026-02-03",
        reference="TRF-001",
    )
    clock.set("2026-02-05")
    proposal.refresh_from_db()
    return proposal
