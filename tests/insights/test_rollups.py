"""The dashboards' tallies against counts made independently from the raw records (plain
Python over the rows, not the GROUP BY of `insights.measures`), for every kab/kota, the
provinces and the nation and both ministries, on generated data; and kept right through
inserts, updates, deletes and imports, each recounting only the places that changed."""

import io
from collections import Counter

from django.utils import timezone

from gugus.communities import activeness
from gugus.communities.models import Activity, Attendance, WorkingGroup
from gugus.competency.imports import UkgImporter
from gugus.competency.models import Result, UkgEvent, UkgImport
from gugus.core.imports import import_file
from gugus.core.models import ChangedPlace
from gugus.directory.models import KEMENAG_JENJANG, Person, School
from gugus.grants.models import ProgrammeKind, Proposal, Spending
from gugus.insights import rollups
from gugus.insights.models import Tally
from gugus.partnership.models import Pair, Visit, VisitAttendance
from gugus.partnership.models import Participant as Partner
from gugus.performance.models import Plan, Stage
from gugus.training.models import Cascade, Certificate, Quota
from gugus.training.models import Participant as Trainee
from tests.factories.accounts import user_with_role
from tests.factories.directory import SchoolFactory
from tests.insights.conftest import FUNDED


def _year(value) -> str:
    return str(value.year)


def _month(value) -> str:
    return f"{value.year}-{value.month:02d}"


def expected() -> dict:
    """Every tally, counted the long way: (scope, ministry, measure, period) → value."""
    found = Counter()

    def add(province, regency, ministry, measure, period, value=1):
        for scope in (f"K:{regency}" if regency else f"S:{province}", f"P:{province}", "N"):
            found[(scope, ministry, measure, period)] += value

    for s in School.objects.all():
        add(s.province_id, s.regency_id, s.ministry, "schools", "")
    positions = {"guru": "teachers", "guru_bk": "teachers", "kepala": "heads"}
    positions["pengawas"] = "supervisors"
    for p in Person.objects.all():
        if p.position in positions:
            add(p.province_id, p.regency_id, p.ministry, positions[p.position], "")
    for g in WorkingGroup.objects.all():
        registered = g.status in ("verified", "active")
        if registered:
            add(g.province_id, g.regency_id, g.ministry, "groups", "")
        if registered and g.activeness_level == activeness.ACTIVE:
            add(g.province_id, g.regency_id, g.ministry, "groups_active", "")
        if g.status == "submitted":
            add(g.province_id, g.regency_id, g.ministry, "groups_waiting", "")
    for a in Activity.objects.select_related("group"):
        if a.status == "held":
            g = a.group
            add(g.province_id, g.regency_id, g.ministry, "activities", _year(a.date))
            add(g.province_id, g.regency_id, g.ministry, "activities_month", _month(a.date))
            present = a.attendance.filter(status="hadir").count()
            add(g.province_id, g.regency_id, g.ministry, "attended_month", _month(a.date), present)
    for sp in Spending.objects.select_related("line__proposal__group"):
        g = sp.line.proposal.group
        add(g.province_id, g.regency_id, g.ministry, "spent_month", _month(sp.date), int(sp.amount))
    for pr in Proposal.objects.select_related("group", "programme"):
        g, year = pr.group, str(pr.programme.year)
        if pr.status not in ("draft", "withdrawn"):
            add(g.province_id, g.regency_id, g.ministry, "proposals", year)
        if pr.status in FUNDED:
            add(g.province_id, g.regency_id, g.ministry, "funded", year)
            add(g.province_id, g.regency_id, g.ministry, "committed", year, int(pr.amount))
            add(
                g.province_id, g.regency_id, g.ministry, "disbursed", year, int(pr.disbursed_amount)
            )
            spent = sum(int(line.spent) for line in pr.budget.all())
            add(g.province_id, g.regency_id, g.ministry, "accounted", year, spent)
            kind = ProgrammeKind.objects.get(programme=pr.programme, kind=g.kind)
            held = Counter(
                pa.kind for pa in pr.plan.all() if pa.activity and pa.activity.status == "held"
            )
            if held["in"] >= kind.in_count and held["on"] >= kind.on_count:
                add(g.province_id, g.regency_id, g.ministry, "inoni_complete", year)
    for r in Result.objects.select_related("event"):
        ministry = "kemenag" if r.jenjang in KEMENAG_JENJANG else "kemendikbud"
        code = r.event.code
        add(r.province_id, r.regency_id, ministry, "ukg_results", code)
        add(r.province_id, r.regency_id, ministry, "ukg_sum", code, int(r.total * 100))
        if r.total < r.event.target:
            add(r.province_id, r.regency_id, ministry, "ukg_below", code)
    paired = set(Pair.objects.values_list("host_id", flat=True))
    paired |= set(Pair.objects.values_list("partner_id", flat=True))
    for p in Partner.objects.select_related("cohort", "regency"):
        if p.status == "excluded":
            continue
        place = (p.regency.province_id, p.regency_id, p.cohort.ministry)
        add(*place, "partners", str(p.cohort.year))
        if p.pk in paired:
            add(*place, "partners_paired", str(p.cohort.year))
    for v in Visit.objects.select_related("cohort", "regency"):
        add(v.regency.province_id, v.regency_id, v.cohort.ministry, "visits", str(v.cohort.year))
    for va in VisitAttendance.objects.select_related("visit__cohort", "participant__regency"):
        if va.status == "hadir":
            r, cohort = va.participant.regency, va.visit.cohort
            add(r.province_id, r.code, cohort.ministry, "visit_days", str(cohort.year))
    for plan in Plan.objects.select_related("period"):
        key = f"{plan.period.year}-{plan.period.half}"
        place = (plan.province_id, plan.regency_id, plan.ministry)
        add(*place, "plans", key)
        add(*place, f"plans_{plan.status}", key)
        if plan.predikat:
            add(*place, f"predikat_{plan.predikat}", key)
        for stage in Stage.objects.filter(cycle__plan=plan, done_at__isnull=False):
            add(*place, f"stage_{stage.kind}", key)
    for q in Quota.objects.select_related("event", "regency"):
        add(
            q.regency.province_id,
            q.regency_id,
            q.event.ministry,
            "seats",
            _year(q.event.starts_on),
            q.seats,
        )
    for t in Trainee.objects.select_related("event", "regency", "person"):
        year, ministry = _year(t.event.starts_on), t.event.ministry
        place = (t.regency.province_id, t.regency_id, ministry)
        if t.status == "nominated":
            add(*place, "nominated", year)
        for c in Certificate.objects.filter(participant=t, revoked_at__isnull=True):
            add(*place, "certified", year)
            add(*place, "certified_month", _month(timezone.localtime(c.issued_at)))
            person = t.person
            add(person.province_id, person.regency_id, person.ministry, "jp", year, t.event.jp)
        for cascade in Cascade.objects.filter(participant=t):
            add(*place, "cascades", year)
            add(*place, "cascade_teachers", year, cascade.teachers)
    reached = set()
    for cascade in Cascade.objects.select_related("participant__event"):
        event = cascade.participant.event
        for school in cascade.schools.all():
            reached.add(
                (
                    school.pk,
                    school.province_id,
                    school.regency_id,
                    event.ministry,
                    _year(event.starts_on),
                )
            )
    for _pk, province, regency, ministry, year in reached:
        add(province, regency, ministry, "cascade_schools", year)
    for at in Attendance.objects.select_related("activity", "person"):
        if at.status == "hadir" and at.activity.status == "held":
            jp = 2 if at.activity.kind == "on" else at.activity.duration_jp
            p = at.person
            add(p.province_id, p.regency_id, p.ministry, "jp", _year(at.activity.date), jp)
    return {k: v for k, v in found.items() if v}


def tallies() -> dict:
    return {(t.scope, t.ministry, t.measure, t.period): t.value for t in Tally.objects.all()}


def test_every_tally_matches_the_records_counted_independently(world):
    counted, wanted = tallies(), expected()
    assert counted == wanted
    scopes = {k[0] for k in counted}
    # Several kab/kota in two provinces, the provinces and the nation, both ministries,
    # and every domain.
    assert {"K:34.71", "K:34.04", "K:75.71", "P:34", "P:75", "N"} <= scopes
    assert {k[1] for k in counted} == {"kemendikbud", "kemenag"}
    measures = {k[2] for k in counted}
    for m in (
        "schools",
        "groups_active",
        "activities",
        "committed",
        "accounted",
        "inoni_complete",
        "ukg_below",
        "partners_paired",
        "visit_days",
        "stage_3",
        "predikat_baik",
        "seats",
        "nominated",
        "certified",
        "cascade_schools",
        "jp",
    ):
        assert m in measures, m


def _recount_matches(changed: set[str]):
    """A refresh recounts exactly the marked places, and the result equals the long count."""
    marked = set(ChangedPlace.objects.values_list("scope", flat=True))
    assert marked == changed
    untouched = dict(
        Tally.objects.exclude(scope__in=changed)
        .exclude(scope__startswith="P:")
        .exclude(scope="N")
        .values_list("pk", "value")
    )
    rollups.refresh()
    assert not ChangedPlace.objects.exists()
    assert tallies() == expected()
    still = dict(Tally.objects.filter(pk__in=untouched).values_list("pk", "value"))
    assert still == untouched  # the other places' rows were not rewritten


def test_inserts_updates_and_deletes_are_recounted_where_they_happened(world, clock):
    # Insert: a school in Gorontalo.
    SchoolFactory(
        district_id="75.71.01",
        regency_id="75.71",
        province_id="75",
        ministry="kemenag",
        jenjang="mi",
    )
    _recount_matches({"K:75.71"})
    # Update: a teacher moves from Kota Yogyakarta to Kota Gorontalo.
    teacher = Person.objects.filter(regency_id="34.71", position="guru").first()
    teacher.school = School.objects.filter(regency_id="75.71").first()
    teacher.regency_id, teacher.province_id = "75.71", "75"
    teacher.save()
    _recount_matches({"K:34.71", "K:75.71"})
    # Update: a group is suspended.
    group = WorkingGroup.objects.filter(regency_id="34.04", status="active").first()
    group.status = "suspended"
    group.save()
    _recount_matches({"K:34.04"})
    # Delete: an activity held in Sleman, with its attendance.
    activity = Activity.objects.filter(group__regency_id="34.04", status="held").first()
    activity.delete()
    _recount_matches({"K:34.04"})
    # Delete: a certificate (the JP of its holder goes with it).
    certificate = Certificate.objects.select_related("participant").first()
    certificate.delete()
    _recount_matches({f"K:{certificate.participant.regency_id}"})


def test_the_directory_import_marks_the_places_it_writes(world, clock):
    office = user_with_role("admin_provinsi", province_id="75")
    district = "75.71.01"
    csv = "npsn,nama,jenjang,status,kode_kecamatan\n" + "".join(
        f"7599{i:04d},SD Contoh {i},sd,swasta,{district}\n" for i in range(3)
    )
    run = import_file(
        actor=office, kind="schools", file=io.BytesIO(csv.encode()), filename="sekolah.csv"
    )
    assert run.created == 3, run.errors
    _recount_matches({"K:75.71"})


def test_a_ukg_import_marks_the_places_of_the_results_it_writes(world, clock, tmp_path):
    event = UkgEvent.objects.order_by("-year").first()
    people = list(
        Person.objects.filter(regency_id="34.04", position="guru").exclude(nuptk=None)[:3]
    )
    csv = "NUPTK;Nilai Akhir;Nilai Pedagogik;Nilai Profesional\n" + "".join(
        f"{p.nuptk};{50 + i};{50 + i};{50 + i}\n" for i, p in enumerate(people)
    )
    job = UkgImport.objects.create(event=event, filename="ukg.csv", sha256="x" * 64, mode="all")
    UkgImporter(job).run(io.BytesIO(csv.encode()), "ukg.csv")
    job.refresh_from_db()
    assert job.created + job.updated == 3, job.message
    _recount_matches({"K:34.04"} | {f"K:{p.regency_id}" for p in people})
