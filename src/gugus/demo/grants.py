"""Grant programmes of DI Yogyakarta in every state (closed, reporting, running, in review,
open), written by replaying their history through the real services, each step `as_of`
the day it happened, so the demo obeys every rule a user would meet."""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Q
from PIL import Image, ImageDraw

from gugus.accounts.models import RoleAssignment, User
from gugus.communities import activeness
from gugus.communities import services as community
from gugus.communities.models import Activity, Attendance, Officer, WorkingGroup
from gugus.core import clock
from gugus.core.roles import Role, ScopeLevel
from gugus.demo.accounts import DEMO_REGENCY
from gugus.directory.models import Person, Position
from gugus.grants import money, services
from gugus.grants.eligibility import REQUIRED_OFFICERS
from gugus.grants.models import GrantProgramme

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
TOPICS = [
    ("Asesmen diagnostik literasi", "Murid kelas 4 belum memahami isi bacaan"),
    ("Pembelajaran berdiferensiasi", "Kemampuan murid dalam satu kelas sangat beragam"),
    ("Numerasi kontekstual", "Murid kesulitan soal cerita pecahan"),
    ("Modul ajar Kurikulum Merdeka", "Murid pasif saat pembelajaran"),
]
DAY = datetime.timedelta(days=1)

# name, days before today: (apply from, apply until, period start, period end), groups,
# last step, the ministry whose offices run it
PROGRAMMES = [
    ("Bantuan Kelompok Kerja DIY Tahap I", (420, 400, 390, 240), 4, "closed", "kemendikbud"),
    ("Bantuan Kelompok Kerja DIY Tahap II", (250, 235, 225, 20), 4, "reporting", "kemendikbud"),
    ("Bantuan Kelompok Kerja DIY Tahap III", (130, 115, 105, -60), 3, "running", "kemendikbud"),
    (
        "Bantuan Kelompok Kerja Madrasah Kota Yogyakarta 2026",
        (210, 195, 185, 25),
        3,
        "reporting",
        "kemenag",
    ),
    ("Bantuan Kelompok Kerja DIY 2027 Gelombang 1", (30, 5, -10, -180), 4, "review", "kemendikbud"),
    ("Bantuan Kelompok Kerja DIY 2027 Gelombang 2", (7, -21, -30, -200), 2, "open", "kemendikbud"),
]


@dataclass(frozen=True)
class Offices:
    """Who runs a programme: its owner, the reviewers from the kab/kota up, the pengawas
    who verifies the LPJ; all of the programme's ministry."""

    owner: User
    reviewers: tuple[User, ...]
    pengawas: User
    region: dict
    kinds: tuple[dict, ...]
    groups: dict
    decision_number: str  # how the office numbers its decrees


def _photo(label: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 320), (214, 228, 240))
    ImageDraw.Draw(image).text((20, 150), label, fill=(20, 40, 80))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return SimpleUploadedFile("kelas.jpg", out.getvalue(), content_type="image/jpeg")


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class GrantReplay:
    def __init__(self, seed: int = 1, today: datetime.date | None = None):
        self.rng = random.Random(seed * 104729 + 3)
        self.today = today or clock.today()
        user = User.objects.get
        self.offices = {
            "kemendikbud": Offices(
                owner=user(username="admin.diy"),
                reviewers=(user(username="admin.kotayogya"), user(username="admin.diy")),
                pengawas=user(username="pengawas"),
                region={"province": "34"},
                kinds=(
                    {"kind": "kkg", "amount": "15000000"},
                    {"kind": "mgmp", "amount": "30000000"},
                ),
                groups={"kind": "kkg", "ministry": "kemendikbud"},
                decision_number="421.2/{pk:03d}/DIKPORA/{day:%Y}",
            ),
            # The seed's programme is Kemenag's: KKG MI and MGMP MTs of the city.
            "kemenag": Offices(
                owner=user(username="admin.kemenag.kotayogya"),
                reviewers=(user(username="admin.kemenag.kotayogya"),),
                pengawas=user(username="pengawas.madrasah"),
                region={"regency": DEMO_REGENCY},
                kinds=(
                    {"kind": "kkg", "amount": "15000000"},
                    {"kind": "mgmp", "amount": "30000000"},
                ),
                groups={"kind__in": ["kkg", "mgmp"], "jenjang__in": ["mi", "mts"]},
                decision_number="B-{pk:03d}/Kk.12.71/PP.00/{day:%m}/{day:%Y}",
            ),
        }
        self.patron = (
            Person.objects.filter(regency_id=DEMO_REGENCY, position=Position.PENGAWAS)
            .order_by("id")
            .first()
        )

    def day(self, days_before: int) -> datetime.date:
        return self.today - days_before * DAY

    def run(self) -> int:
        demo_group = RoleAssignment.objects.get(
            user__username="ketua.kkg", role=Role.KETUA_KELOMPOK
        ).group
        pools = {}
        for ministry, offices in self.offices.items():
            pools[ministry] = list(
                WorkingGroup.objects.filter(
                    regency_id=DEMO_REGENCY, status=WorkingGroup.Status.ACTIVE, **offices.groups
                )
                .exclude(pk=demo_group.pk)
                .annotate(
                    members=Count("memberships", filter=Q(memberships__ended_on__isnull=True))
                )
                .filter(members__gte=15, members__lte=30)
                .order_by("name")
            )
            self.rng.shuffle(pools[ministry])
        self._prepare(demo_group, self.day(7))
        for name, days, n, last, ministry in PROGRAMMES:
            groups, pools[ministry] = pools[ministry][:n], pools[ministry][n:]
            self.at = self.offices[ministry]
            self._programme(name, [self.day(d) for d in days], groups, last)
        all_ids = list(WorkingGroup.objects.filter(province_id="34").values_list("pk", flat=True))
        for start in range(0, len(all_ids), 500):
            activeness.refresh(all_ids[start : start + 500], months=18)
        return GrantProgramme.objects.count()

    # -- groups -------------------------------------------------------------------------

    def _prepare(self, group: WorkingGroup, opens: datetime.date) -> None:
        """Give a group what eligibility reads: decree and statutes PDFs, the four
        officers, and a meeting in most of the twelve months before the window."""
        if not group.decree_file:
            group.decree_file.save("sk.pdf", ContentFile(PDF), save=False)
            group.statutes_file.save("adart.pdf", ContentFile(PDF), save=False)
            group.save(update_fields=["decree_file", "statutes_file"])
        held = set(group.officers.filter(ended_on__isnull=True).values_list("position", flat=True))
        members = list(
            group.memberships.filter(ended_on__isnull=True).values_list("person_id", flat=True)
        )
        for position in REQUIRED_OFFICERS:
            if position not in held:
                person = (
                    self.patron.pk
                    if self.patron and position == Officer.Position.PEMBINA
                    else members[-1]
                )
                Officer.objects.create(
                    group=group, person_id=person, position=position, started_on=opens - 400 * DAY
                )
        months = {
            (d.year, d.month)
            for d in group.activities.filter(
                status="held", date__gte=opens - 365 * DAY, date__lt=opens
            ).values_list("date", flat=True)
        }
        for back in range(1, 13):
            if len(months) >= 9:
                break
            day = (opens.replace(day=1) - back * 28 * DAY).replace(day=12)
            if (day.year, day.month) in months:
                continue
            months.add((day.year, day.month))
            activity = Activity.objects.create(
                group=group,
                kind=Activity.Kind.MEETING,
                topic="Pertemuan rutin bulanan",
                date=day,
                place="SD inti gugus",
                status=Activity.Status.HELD,
            )
            Attendance.objects.bulk_create(
                Attendance(activity=activity, person_id=p, status="hadir")
                for p in members
                if self.rng.random() < 0.8
            )

    def _ketua(self, group: WorkingGroup) -> User:
        person = group.officers.get(position="ketua", ended_on__isnull=True).person
        user = User.objects.filter(person=person).first()
        if user is None:
            user = User(username=f"ketua.{group.pk}", person=person, first_name=person.name[:30])
            user.set_unusable_password()
            user.save()
            RoleAssignment.objects.create(
                user=user, role=Role.KETUA_KELOMPOK, scope_level=ScopeLevel.KELOMPOK, group=group
            )
        return user

    # -- one programme --------------------------------------------------------------------

    def _programme(self, name, dates, groups, last):
        apply_from, apply_until, start, end = dates
        with clock.as_of(apply_from - 5 * DAY):
            programme = services.programme_create(
                actor=self.at.owner,
                data={
                    "name": name,
                    **self.at.region,
                    "apply_from": apply_from,
                    "apply_until": apply_until,
                    "period_start": start,
                    "period_end": end,
                    "budget_ceiling": str(15_000_000 * max(len(groups) - 1, 1)),
                    "quota": str(max(len(groups) - 1, 1)),
                    "required_documents": ["SK pembentukan", "AD/ART", "Program kerja 3 tahun"],
                },
                kinds=list(self.at.kinds),
                source="demo",
            )
            programme = services.programme_transition(
                actor=self.at.owner, programme=programme, action="open", source="demo"
            )
        proposals = []
        for i, group in enumerate(groups):
            self._prepare(group, apply_from)
            proposals.append(self._propose(programme, group, apply_from + (1 + i) * DAY, last, i))
        if last == "open":
            return
        self._review(proposals, apply_until, last)
        with clock.as_of(apply_until + DAY):
            services.programme_transition(
                actor=self.at.owner, programme=programme, action="close_applications", source="demo"
            )
        if last == "review":
            return
        with clock.as_of(apply_until + 3 * DAY):
            activeness.refresh([g.pk for g in groups], months=18)
            services.programme_select(actor=self.at.owner, programme=programme, source="demo")
        with clock.as_of(start - DAY):
            services.programme_decide(
                actor=self.at.owner,
                programme=programme,
                number=self.at.decision_number.format(pk=programme.pk, day=start),
                date=start - DAY,
                source="demo",
            )
        funded = []
        for p in proposals:
            p.refresh_from_db()
            if p.status != "selected":
                continue
            with clock.as_of(start):
                p = services.disburse(
                    actor=self.at.owner,
                    proposal=p,
                    amount=p.amount,
                    date=start,
                    reference=f"SP2D-{start:%y%m}{p.pk:04d}",
                    source="demo",
                )
            funded.append(p)
        for n, p in enumerate(funded):
            self._carry_out(p, end, last, n)
        if last in ("reporting", "closed"):
            with clock.as_of(end + DAY):
                services.programme_transition(
                    actor=self.at.owner,
                    programme=programme,
                    action="start_reporting",
                    source="demo",
                )
        if last == "closed":
            with clock.as_of(end + 40 * DAY):
                services.programme_transition(
                    actor=self.at.owner, programme=programme, action="close", source="demo"
                )

    def _propose(self, programme, group, day, last, i):
        ketua = self._ketua(group)
        topic, problem = TOPICS[(group.pk + i) % len(TOPICS)]
        with clock.as_of(day):
            p = services.proposal_start(
                actor=ketua, programme=programme, group=group, source="demo"
            )
            services.proposal_update(
                actor=ketua,
                proposal=p,
                data={
                    "background_current": f"{problem}; guru belum memiliki strategi yang sama.",
                    "background_expected": f"Guru anggota menerapkan {topic.lower()} di kelas.",
                    "background_solution": f"Pola In-On-In tentang {topic.lower()}.",
                    "goals": f"Mengatasi masalah: {problem.lower()}.",
                    "sustainability_plan": "Pertemuan bulanan dengan iuran anggota dan dana BOS "
                    "sekolah inti; praktik baik diimbaskan ke sekolah sekitar.",
                },
                source="demo",
            )
            rows = []
            for item in p.plan.order_by("seq"):
                rows.append(
                    {
                        "seq": item.seq,
                        "topic": f"{topic}: "
                        + ("praktik di kelas" if item.kind == "on" else f"bagian {item.seq}"),
                        "facilitator": "Widyaprada BBGP DIY" if item.kind == "in" else "",
                        "learning_problem": problem,
                        "expected_output": "Modul ajar dan instrumen"
                        if item.kind == "in"
                        else "Catatan observasi dan hasil karya murid",
                    }
                )
            services.plan_update(actor=ketua, proposal=p, rows=rows, source="demo")
            amount = p.amount
            last_in = p.plan.filter(kind="in").order_by("-seq").first().seq
            # Every activity has its RAB: transport to each other meeting or classroom.
            others = [i for i in p.plan.order_by("seq") if i.seq not in (1, last_in)]
            transport = Decimal(250_000)
            rest = amount * Decimal("0.2") - transport * len(others)
            for planned, category, description, value in (
                (1, "honorarium", "Honorarium narasumber In", amount * Decimal("0.4")),
                (1, "konsumsi", "Konsumsi In", amount * Decimal("0.2")),
                *((i.seq, "transport", f"Transport kegiatan {i.seq}", transport) for i in others),
                (last_in, "konsumsi", "Konsumsi In refleksi", amount * Decimal("0.2")),
                ("", "penggandaan", "Penggandaan modul dan LPJ", rest),
            ):
                services.budget_line_add(
                    actor=ketua,
                    proposal=p,
                    data={
                        "planned": planned,
                        "category": category,
                        "description": description,
                        "amount": str(int(value)),
                    },
                    source="demo",
                )
            if not (last == "open" and i == 0):
                services.proposal_submit(actor=ketua, proposal=p, source="demo")
        return p

    def _review(self, proposals, apply_until, last):
        for i, p in enumerate(proposals):
            p.refresh_from_db()
            if p.status != "submitted":
                continue
            with clock.as_of(apply_until + DAY):
                if last == "review" and i == 0:
                    continue  # still waiting for the kab/kota office
                if last == "review" and i == 3:
                    services.proposal_review(
                        actor=self.at.reviewers[0],
                        proposal=p,
                        decision="return",
                        comment="Rincian konsumsi In refleksi belum sesuai standar biaya.",
                        source="demo",
                    )
                    continue
                kota, *higher = self.at.reviewers
                services.proposal_review(
                    actor=kota,
                    proposal=p,
                    decision="approve",
                    score=self.rng.randint(70, 92),
                    comment="Lengkap.",
                    source="demo",
                )
                if last == "review" and i == 1:
                    continue  # with the province office now
                for reviewer in higher:
                    services.proposal_review(
                        actor=reviewer,
                        proposal=p,
                        decision="approve",
                        score=self.rng.randint(70, 92),
                        source="demo",
                    )

    def _carry_out(self, p, end, last, n):
        """Hold the plan's activities up to today, spend, and report as far as `last`."""
        ketua = self._ketua(p.group)
        members = list(
            p.group.memberships.filter(ended_on__isnull=True).values_list("person_id", flat=True)
        )
        with clock.as_of(p.disbursed_on):
            for item in p.plan.order_by("seq"):
                services.plan_item_realise(
                    actor=ketua, item=item, place="SD inti gugus", source="demo"
                )
        for item in p.plan.select_related("activity").order_by("seq"):
            if item.date > self.today:
                break
            with clock.as_of(item.date):
                if item.kind == "on":  # held once its classroom evidence is in
                    community.evidence_add(
                        actor=ketua,
                        activity=item.activity,
                        upload=_photo(item.topic),
                        kind="observasi",
                        source="demo",
                    )
                community.attendance_record(
                    actor=ketua,
                    activity=item.activity,
                    statuses={
                        m: ("hadir" if self.rng.random() < 0.88 else "izin") for m in members
                    },
                    source="demo",
                )
                if item.kind != "on":
                    community.evidence_add(
                        actor=ketua,
                        activity=item.activity,
                        upload=_pdf("materi.pdf"),
                        kind="dokumen",
                        source="demo",
                    )
                services.plan_item_outcome(
                    actor=ketua,
                    item=item,
                    students_change="Murid lebih aktif bertanya dan hasil kerja lebih lengkap.",
                    source="demo",
                )
        spend_until = min(end, self.today)
        with clock.as_of(spend_until):
            for line in p.budget.all():
                ratio = Decimal("0.97") if last in ("reporting", "closed") else Decimal("0.5")
                amount = int(line.amount * ratio)
                tax = int(amount * Decimal("0.05")) if line.category == "honorarium" else 0
                money.spending_record(
                    actor=ketua,
                    line=line,
                    data={
                        "date": spend_until,
                        "description": line.description,
                        "amount": amount,
                        "tax_kind": "pph21" if tax else "",
                        "tax_amount": tax,
                    },
                    receipt=_pdf("kuitansi.pdf"),
                    source="demo",
                )
        if last not in ("reporting", "closed"):
            return
        with clock.as_of(end + 3 * DAY):
            balance = money.totals(p).balance
            money.funds_return_record(
                actor=ketua,
                proposal=p,
                data={"amount": balance, "date": end + 3 * DAY, "reference": f"NTPN{p.pk:08d}"},
                proof=_pdf("setor.pdf"),
                source="demo",
            )
            for tax in money.tax_lines(p):
                money.tax_deposit_record(
                    actor=ketua,
                    proposal=p,
                    data={
                        "tax_kind": tax.kind,
                        "amount": tax.owed,
                        "date": end + 3 * DAY,
                        "reference": f"{self.rng.getrandbits(64):016X}",
                    },
                    proof=_pdf("setor-pajak.pdf"),
                    source="demo",
                )
            services.report_submit(
                actor=ketua,
                proposal=p,
                outcomes="Rata-rata skor asesmen murid naik; guru anggota memakai modul yang sama.",
                source="demo",
            )
        if last == "reporting" and n == 2:
            return
        with clock.as_of(end + 10 * DAY):
            services.report_verify(
                actor=self.at.pengawas, proposal=p, decision="approve", source="demo"
            )
        if last == "reporting" and n == 1:
            return
        with clock.as_of(end + 20 * DAY):
            services.report_approve(
                actor=self.at.owner, proposal=p, decision="approve", source="demo"
            )


@transaction.atomic
def create_demo_grants(seed: int = 1) -> int:
    """Idempotent: nothing happens when programmes exist already."""
    if GrantProgramme.objects.exists():
        return 0
    return GrantReplay(seed=seed).run()
