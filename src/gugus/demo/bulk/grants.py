"""Grant programmes of every kab/kota office, both ministries, in every state: last
year's closed, this year's two rounds spread over draft, open, review, running and
reporting, with proposals, In-On-In plans, budgets, reviews, realised activities,
spending, tax deposits and returns as the services would have left them."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from gugus.communities.models import Activity, Attendance, Evidence, Membership, WorkingGroup
from gugus.demo.bulk.base import DAY, PDF, BulkGenerator, stored_file
from gugus.demo.groups import ACTIVITY_COLUMNS, photo_file
from gugus.grants.inoni import IN, ON, TEMPLATE_COUNTS, skeleton
from gugus.grants.models import (
    BudgetLine,
    FundReturn,
    GrantProgramme,
    PlannedActivity,
    ProgrammeKind,
    Proposal,
    Review,
    Spending,
    TaxDeposit,
)

Status = Proposal.Status
AMOUNTS = {"kkg": 15_000_000, "kombel": 15_000_000}  # the rest: Rp30 juta
KINDS = {
    "kemendikbud": ("kkg", "mgmp", "mgbk", "kkks"),
    "kemenag": ("kkg", "mgmp", "kkm"),
}
# Days before today: proposals from, until, activities from, until (as the demo's).
DATES = {
    "closed_last_year": (420, 400, 390, 240),
    "closed": (300, 285, 275, 60),
    "reporting": (250, 235, 225, 20),
    "running": (130, 115, 105, -60),
    "review": (30, 5, -10, -180),
    "open": (7, -21, -30, -200),
    "draft": (-10, -40, -50, -220),
}
# This year's two rounds, turn by turn over the kab/kota and ministries.
ROUNDS = [
    ("reporting", "open"),
    ("running", "review"),
    ("reporting", "draft"),
    ("closed", "open"),
    ("running", "review"),
]
# Where the applicants of a programme stand, by the programme's state.
APPLICANTS = {
    "open": [
        (Status.DRAFT, 40),
        (Status.SUBMITTED, 35),
        (Status.RETURNED, 15),
        (Status.WITHDRAWN, 10),
    ],
    "review": [
        (Status.SUBMITTED, 25),
        (Status.VERIFIED, 55),
        (Status.RETURNED, 10),
        (Status.WITHDRAWN, 10),
    ],
}
GRANTEES = {
    "running": [(Status.FUNDED, 100)],
    "reporting": [
        (Status.FUNDED, 30),
        (Status.REPORTED, 30),
        (Status.REPORT_VERIFIED, 20),
        (Status.CLOSED, 20),
    ],
    "closed": [(Status.CLOSED, 100)],
    "closed_last_year": [(Status.CLOSED, 100)],
}
TOPICS = [
    ("Asesmen diagnostik literasi", "Murid kelas 4 belum memahami isi bacaan"),
    ("Pembelajaran berdiferensiasi", "Kemampuan murid dalam satu kelas sangat beragam"),
    ("Numerasi kontekstual", "Murid kesulitan soal cerita pecahan"),
    ("Modul ajar Kurikulum Merdeka", "Murid pasif saat pembelajaran"),
]
REPORTED = {Status.REPORTED, Status.REPORT_VERIFIED, Status.CLOSED}
PROGRAMME_COLUMNS = [
    "id",
    "name",
    "year",
    "ministry",
    "province",
    "regency",
    "apply_from",
    "apply_until",
    "period_start",
    "period_end",
    "budget_ceiling",
    "quota",
    "required_documents",
    "status",
    "review_weight",
    "activeness_weight",
    "favour_activation",
    "decision_number",
    "decision_date",
    "created_by",
    "created_at",
]
PROPOSAL_COLUMNS = [
    "id",
    "programme",
    "group",
    "status",
    "review_level",
    "amount",
    "background_current",
    "background_expected",
    "background_solution",
    "goals",
    "sustainability_plan",
    "score",
    "rank",
    "selection_note",
    "disbursed_amount",
    "disbursed_on",
    "disbursement_ref",
    "outcomes",
    "created_by",
    "created_at",
    "submitted_at",
    "reported_at",
    "closed_at",
]
PLAN_COLUMNS = [
    "id",
    "proposal",
    "seq",
    "kind",
    "date",
    "topic",
    "facilitator",
    "learning_problem",
    "expected_output",
    "practises",
    "reflects_on",
    "activity",
    "students_change",
]
LINE_COLUMNS = [
    "id",
    "proposal",
    "planned",
    "category",
    "description",
    "planned_amount",
    "amount",
    "spent",
]


class GrantGenerator(BulkGenerator):
    salt = 11

    def run(self, regency_codes: list[str]) -> dict[str, int]:
        self.receipt = stored_file("grants/demo/kwitansi.pdf")
        self.proof = stored_file("grants/demo/bukti-setor.pdf")
        self.photo = stored_file("grants/demo/kelas.jpg", photo_file().read())
        turn = 0
        for _province, regencies in self.by_province(regency_codes):
            for regency in regencies:
                with transaction.atomic():
                    for ministry in KINDS:
                        self._office(regency, ministry, ROUNDS[turn % len(ROUNDS)])
                        turn += 1
        self.writer.finish()
        return dict(self.counts)

    def _office(self, regency, ministry: str, rounds: tuple[str, str]) -> None:
        groups = list(
            WorkingGroup.objects.filter(
                regency=regency,
                ministry=ministry,
                status=WorkingGroup.Status.ACTIVE,
                kind__in=KINDS[ministry],
            )
            .order_by("id")
            .values_list("id", "kind", "activeness_score")
        )
        if not groups:
            return
        members = defaultdict(list)
        for gid, pid in Membership.objects.filter(
            group_id__in=[g[0] for g in groups], ended_on__isnull=True
        ).values_list("group_id", "person_id"):
            members[gid].append(pid)
        self.rng.shuffle(groups)
        office = "Dinas Pendidikan" if ministry == "kemendikbud" else "Kantor Kemenag"
        place = regency.name
        plans = [("closed_last_year", "Tahap I")] + [
            (state, f"Tahap {'II' if n == 0 else 'III'}") for n, state in enumerate(rounds)
        ]
        share = max(3, len(groups) // len(plans))
        for n, (state, label) in enumerate(plans):
            applicants = groups[n * share : (n + 1) * share]
            apply_from, apply_until, start, end = (self.day(d) for d in DATES[state])
            year = apply_from.year
            self._programme(
                f"Bantuan Kelompok Kerja {office} {place} {year} {label}",
                year,
                ministry,
                regency,
                state,
                (apply_from, apply_until, start, end),
                applicants,
                members,
            )

    def _programme(self, name, year, ministry, regency, state, dates, applicants, members):
        apply_from, apply_until, start, end = dates
        status = "closed" if state == "closed_last_year" else state
        pid = self.ids(GrantProgramme, 1)[0]
        quota = max(1, len(applicants) * 2 // 5)
        amounts = {kind: AMOUNTS.get(kind, 30_000_000) for kind in KINDS[ministry]}
        decided = status in ("running", "reporting", "closed")
        self.write(
            GrantProgramme,
            PROGRAMME_COLUMNS,
            [
                (
                    pid,
                    name,
                    year,
                    ministry,
                    regency.province_id,
                    regency.code,
                    apply_from,
                    apply_until,
                    start,
                    end,
                    quota * 30_000_000,
                    quota,
                    '["SK pembentukan", "AD/ART", "Program kerja 3 tahun"]',
                    status,
                    Decimal("0.6"),
                    Decimal("0.4"),
                    False,
                    f"421.2/{pid:04d}/{regency.code}/{year}" if decided else "",
                    start - DAY if decided else None,
                    None,
                    self.at(apply_from - 10 * DAY),
                )
            ],
        )
        self.write(
            ProgrammeKind,
            ["id", "programme", "kind", "amount", "in_count", "on_count"],
            [
                (i, pid, kind, amounts[kind], *TEMPLATE_COUNTS[kind])
                for i, kind in zip(self.ids(ProgrammeKind, len(amounts)), amounts, strict=True)
            ],
        )
        if status == "draft":
            return
        if decided:
            # Ranked as `grants.selection` ranks: 0.6 x the reviewers' mean + 0.4 x
            # activeness; the quota's best are selected.
            scored = []
            for gid, kind, activeness in applicants:
                review = 70 + self.rng.randint(0, 25)
                score = (Decimal("0.6") * review + Decimal("0.4") * (activeness or 0)).quantize(
                    Decimal("0.01")
                )
                scored.append((score, review, gid, kind, activeness or 0))
            scored.sort(key=lambda a: (-a[0], a[2]))
            entries = [
                (
                    gid,
                    kind,
                    activeness,
                    self._pick(GRANTEES[state]) if rank <= quota else Status.NOT_SELECTED,
                    rank,
                    review,
                    score,
                )
                for rank, (score, review, gid, kind, activeness) in enumerate(scored, start=1)
            ]
        else:
            entries = [
                (gid, kind, activeness or 0, self._pick(APPLICANTS[status]), None, None, None)
                for gid, kind, activeness in applicants
            ]
        rows = _Rows()
        for gid, kind, activeness, pstate, rank, review, score in entries:
            self._proposal(
                rows,
                pid,
                gid,
                kind,
                (activeness, review, score),
                pstate,
                rank,
                amounts[kind],
                dates,
                members[gid],
            )
        rows.write(self)

    @staticmethod
    def _note(score, review_score, activeness, rank, state) -> str:
        """The ranking's explanation, in the words `grants.selection` writes."""
        verdict = "Tidak terpilih" if state == Status.NOT_SELECTED else "Terpilih"
        score_text = f"{score:.2f}".replace(".", ",")
        review_text = f"{review_score:.1f}".replace(".", ",")
        return (
            f"Skor {score_text} = 0,6 x rata-rata verifikator {review_text} + 0,4 x "
            f"keaktifan {activeness}. {verdict} (peringkat {rank})."
        )

    def _pick(self, weighted):
        return self.rng.choices([s for s, _w in weighted], [w for _s, w in weighted])[0]

    def _proposal(self, rows, programme, gid, kind, scoring, state, rank, amount, dates, members):
        apply_from, apply_until, start, end = dates
        activeness, review_score, score = scoring
        prop = self.ids(Proposal, 1)[0]
        topic, problem = TOPICS[prop % len(TOPICS)]
        created = self.at(apply_from + (prop % 5) * (apply_until - apply_from) / 6)
        submitted = state not in (Status.DRAFT,)
        granted = state in (Status.FUNDED, *REPORTED)
        disbursed_on = start if granted else None
        rows.proposals.append(
            (
                prop,
                programme,
                gid,
                state,
                "kabkota" if state == Status.SUBMITTED else "",
                amount,
                f"{problem}; guru belum memiliki strategi yang sama.",
                f"Guru anggota menerapkan {topic.lower()} di kelas.",
                f"Pola In-On-In tentang {topic.lower()}.",
                f"Mengatasi masalah: {problem.lower()}.",
                "Pertemuan bulanan dengan iuran anggota dan dana BOS sekolah inti.",
                score,
                rank,
                self._note(score, review_score, activeness, rank, state) if score else "",
                amount if granted else None,
                disbursed_on,
                f"SP2D-{prop:08d}" if granted else "",
                "Rata-rata skor asesmen murid naik." if state in REPORTED else "",
                None,
                created,
                created if submitted else None,
                self.at(end) if state in REPORTED else None,
                self.at(end + 15 * DAY) if state == Status.CLOSED else None,
            )
        )
        rows.participants += [(prop, p) for p in members]
        reviewed = state not in (Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN)
        if state == Status.RETURNED:
            rows.reviews.append(
                (
                    "proposal",
                    "kabkota",
                    "return",
                    None,
                    "Lengkapi RAB per kegiatan.",
                    prop,
                    self.at(apply_until),
                )
            )
        elif reviewed:
            rows.reviews.append(
                (
                    "proposal",
                    "kabkota",
                    "approve",
                    review_score or 80,
                    "",
                    prop,
                    self.at(apply_until),
                )
            )
        if state in (Status.REPORT_VERIFIED, Status.CLOSED):
            rows.reviews.append(("report", "pengawas", "approve", None, "", prop, self.at(end)))
        if state == Status.CLOSED:
            rows.reviews.append(("report", "kantor", "approve", None, "", prop, self.at(end)))
        self._plan(rows, prop, gid, kind, state, topic, problem, amount, dates, members)

    def _plan(self, rows, prop, gid, kind, state, topic, problem, amount, dates, members):
        _f, _u, start, end = dates
        template = skeleton(*TEMPLATE_COUNTS[kind])
        step = (end - start) / (len(template) + 1)
        granted = state in (Status.FUNDED, *REPORTED)
        item_ids = list(self.ids(PlannedActivity, len(template)))
        by_ref = {f"Kegiatan {n}": item for n, item in enumerate(item_ids, start=1)}
        per_in = (amount * 8 // 10) // (TEMPLATE_COUNTS[kind][0] * 2) // 1000 * 1000
        per_on = 250_000
        lines = []
        for seq, (item, (kind_, practises_ref, reflects_ref)) in enumerate(
            zip(item_ids, template, strict=True), start=1
        ):
            day = start + step * seq
            held = granted and day <= self.today
            activity = self.ids(Activity, 1)[0] if held else None
            reflects = by_ref.get(reflects_ref)
            practises = by_ref.get(practises_ref)
            title = f"{topic}: praktik di kelas" if kind_ == ON else f"{topic}: bagian {seq}"
            rows.plan.append(
                (
                    item,
                    prop,
                    seq,
                    kind_,
                    day,
                    title,
                    "Widyaprada BBGP" if kind_ == IN else "",
                    problem,
                    "Catatan observasi dan hasil karya murid"
                    if kind_ == ON
                    else "Modul ajar dan instrumen",
                    practises,
                    reflects,
                    activity,
                    "Murid lebih aktif bertanya." if held and state in REPORTED else "",
                )
            )
            if held:
                rows.activities.append(
                    (
                        activity,
                        gid,
                        kind_,
                        title,
                        day,
                        2,
                        "Sekolah inti gugus",
                        "",
                        "Widyaprada BBGP" if kind_ == IN else "",
                        problem,
                        rows.activity_of.get(reflects),
                        "held",
                        "",
                        None,
                        self.now,
                    )
                )
                rows.activity_of[item] = activity
                if kind_ == IN:
                    rows.attendance += [(activity, p, "hadir") for p in members]
                rows.evidence.append(
                    (
                        activity,
                        Evidence.Kind.PHOTO if kind_ == ON else Evidence.Kind.DOCUMENT,
                        self.photo if kind_ == ON else self.receipt,
                        len(PDF),
                        None,
                        self.now,
                    )
                )
            if kind_ == IN:
                lines += [
                    (item, "honorarium", f"Honorarium narasumber kegiatan {seq}", per_in, held),
                    (item, "konsumsi", f"Konsumsi kegiatan {seq}", per_in, held),
                ]
            else:
                lines.append((item, "transport", f"Transport kegiatan {seq}", per_on, held))
        whole = amount - sum(line[3] for line in lines)
        lines.append((None, "penggandaan", "Penggandaan modul dan LPJ", whole, state in REPORTED))
        self._budget(rows, prop, state, lines, end)

    def _budget(self, rows, prop, state, lines, end):
        spent_total = tax_total = 0
        for (planned, category, description, planned_amount, spent_yet), line in zip(
            lines, self.ids(BudgetLine, len(lines)), strict=True
        ):
            spent = planned_amount * 97 // 100 if spent_yet else 0
            rows.lines.append(
                (line, prop, planned, category, description, planned_amount, planned_amount, spent)
            )
            if spent:
                tax = spent * 5 // 100 if category == "honorarium" else 0
                rows.spending.append(
                    (
                        line,
                        min(end, self.today),
                        description,
                        spent,
                        "pph21" if tax else "",
                        tax,
                        self.receipt,
                        None,
                        self.now,
                    )
                )
                spent_total += spent
                tax_total += tax
        if state in REPORTED:
            if tax_total:
                rows.taxes.append(
                    (
                        prop,
                        "pph21",
                        tax_total,
                        min(end, self.today),
                        f"NTPN{prop:012d}",
                        self.proof,
                        None,
                        self.now,
                    )
                )
            left = sum(line[3] for line in lines) - spent_total
            if left:
                rows.returns.append(
                    (
                        prop,
                        left,
                        min(end, self.today),
                        f"NTPN{prop:08d}R",
                        self.proof,
                        None,
                        self.now,
                    )
                )


class _Rows:
    """One programme's rows, written table by table in dependency order."""

    def __init__(self):
        self.proposals, self.participants, self.reviews, self.plan = [], [], [], []
        self.lines, self.spending, self.taxes, self.returns = [], [], [], []
        self.activities, self.attendance, self.evidence = [], [], []
        self.activity_of: dict[int, int] = {}

    def write(self, gen: BulkGenerator) -> None:
        gen.write(Proposal, PROPOSAL_COLUMNS, self.proposals)
        gen.write(Proposal.participants.through, ["proposal", "person"], self.participants)
        gen.write(
            Review,
            ["stage", "level", "decision", "score", "comment", "proposal", "at"],
            self.reviews,
        )
        gen.write(Activity, ACTIVITY_COLUMNS, self.activities)
        gen.write(Attendance, ["activity", "person", "status"], self.attendance)
        gen.write(
            Evidence,
            ["activity", "kind", "file", "size", "uploaded_by", "uploaded_at"],
            self.evidence,
        )
        gen.write(PlannedActivity, PLAN_COLUMNS, self.plan)
        gen.write(BudgetLine, LINE_COLUMNS, self.lines)
        gen.write(
            Spending,
            [
                "line",
                "date",
                "description",
                "amount",
                "tax_kind",
                "tax_amount",
                "receipt",
                "recorded_by",
                "recorded_at",
            ],
            self.spending,
        )
        gen.write(
            TaxDeposit,
            [
                "proposal",
                "tax_kind",
                "amount",
                "date",
                "reference",
                "proof",
                "recorded_by",
                "recorded_at",
            ],
            self.taxes,
        )
        gen.write(
            FundReturn,
            ["proposal", "amount", "date", "reference", "proof", "recorded_by", "recorded_at"],
            self.returns,
        )
