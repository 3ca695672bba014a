"""The Guru Pembelajar track rule and the choice of each group's trainer."""

from decimal import Decimal

import pytest

from gugus.competency import tracks, trainers
from gugus.competency.models import Result, UkgEvent
from gugus.core.errors import DomainError, Forbidden
from gugus.core.models import AuditEntry
from gugus.core.roles import Role
from tests.factories import GroupFactory, PersonFactory, SchoolFactory, member, user_with_role

pytestmark = pytest.mark.usefixtures("indonesian")


@pytest.fixture
def event(db):
    return UkgEvent.objects.create(code="ukg-2015", name="UKG 2015", year=2015)


def result(event, person, total=60, below=0, **extra):
    modules = {f"group_{g}": Decimal(40 if i < below else 70) for i, g in enumerate("abcdefghij")}
    return Result.objects.create(
        event=event,
        person=person,
        total=Decimal(total),
        pedagogik=Decimal(extra.pop("pedagogik", total)),
        profesional=Decimal(extra.pop("profesional", total)),
        province_id=person.province_id,
        regency_id=person.regency_id or "",
        school_id=person.school_id,
        **{**modules, **extra},
    )


@pytest.mark.parametrize(
    ("below", "track"),
    [
        (10, "tatap_muka"),
        (8, "tatap_muka"),
        (7, "kombinasi"),
        (6, "kombinasi"),
        (5, "daring"),
        (3, "daring"),
        (2, "calon_in"),
        (0, "calon_in"),
    ],
)
def test_the_number_of_modules_below_55_chooses_the_track(event, below, track):
    r = result(event, PersonFactory(school=SchoolFactory()), total=75, below=below)
    rec = tracks.recommend(r)
    assert rec.track == track
    assert rec.modules_below == list("ABCDEFGHIJ"[:below])


@pytest.mark.parametrize(
    ("total", "below", "missing", "track", "note"),
    [
        (75, 1, 0, "calon_in", ""),
        # The 2015 teacher at 55.95 with no module under the mark studies on their own.
        (
            55.95,
            0,
            0,
            "mandiri",
            "Instruktur nasional juga memerlukan nilai UKG paling sedikit 71.",
        ),
        (
            70.99,
            2,
            0,
            "mandiri",
            "Instruktur nasional juga memerlukan nilai UKG paling sedikit 71.",
        ),
        # A module without a score is unknown, never passed.
        (80, 0, 2, "mandiri", "Modul I, J belum bernilai: tidak diketahui, bukan lulus."),
    ],
)
def test_only_a_high_complete_score_makes_a_candidate_instructor(
    event, total, below, missing, track, note
):
    r = result(event, PersonFactory(school=SchoolFactory()), total=total, below=below)
    for g in "jihgfedcba"[:missing]:
        setattr(r, f"group_{g}", None)
    rec = tracks.recommend(r)
    assert (rec.track, rec.note) == (track, note)


def test_no_module_scores_means_no_track(event):
    bare = Result.objects.create(
        event=event,
        person=PersonFactory(school=SchoolFactory()),
        total=60,
        pedagogik=55,
        profesional=65,
        province_id="34",
    )
    assert tracks.recommend(bare).track is None


def test_the_events_own_pass_mark_decides(event):
    """A module at 58 is under a pass mark of 60 set on the event, not under 55."""
    event.pass_mark = 60
    event.save()
    r = result(event, PersonFactory(school=SchoolFactory()), total=75, below=0)
    r.group_a = 58
    assert tracks.recommend(r).modules_below == ["A"]


def test_counts_per_track_per_region_and_group(event):
    school = SchoolFactory()
    people = [PersonFactory(school=school) for _i in range(4)]
    for person, below in zip(people, (9, 6, 4, 1), strict=True):
        result(event, person, below=below)
    group = GroupFactory()
    for person in people[:2]:
        member(group, person)
    assert tracks.counts(event, by="regency")["34.71"] == {
        "tatap_muka": 1,
        "kombinasi": 1,
        "daring": 1,
        "mandiri": 1,  # one module under the mark, but a total of 60
        "calon_in": 0,
    }
    assert tracks.counts(event, by="group")[str(group.pk)] == {
        "tatap_muka": 1,
        "kombinasi": 1,
        "daring": 0,
        "mandiri": 0,
        "calon_in": 0,
    }


def test_national_instructors_train_their_group_first(event):
    group = GroupFactory()
    school = SchoolFactory()
    instructor = PersonFactory(school=school, is_instruktur_nasional=True)
    best = PersonFactory(school=school)
    for p in (instructor, best):
        member(group, p)
    result(event, best, total=90)
    chosen = trainers.trainers_for(group)
    assert [(t.person, t.kind) for t in chosen] == [(instructor, "in")]


def test_the_recommended_member_and_the_documented_tie_break(event):
    group = GroupFactory()
    school = SchoolFactory()
    a, b, c, d = (PersonFactory(school=school) for _i in range(4))
    for p in (a, b, c, d):
        member(group, p)
    result(event, a, total=80, profesional=70)
    result(event, b, total=80, profesional=75)  # same total, higher profesional
    result(event, c, total=69)
    result(event, d, total=85, subject_id="matematika")
    person, reason = trainers.recommended(group)
    assert person == d  # a KKG has no subject filter
    group.subject_id = "matematika"
    group.kind = "mgmp"
    group.save()
    assert trainers.recommended(group)[0] == d
    group.subject_id = None
    group.save()
    Result.objects.filter(person=d).delete()
    person, reason = trainers.recommended(group)
    assert person == b
    assert "UKG 2015" in reason and "(80,00; profesional 75,00)" in reason


def test_below_the_target_the_most_competent_member_is_still_recommended(event):
    """Nobody reaches 70: the best member (62) is recommended, with how far below the
    target and that the group needs a trainer from outside."""
    group = GroupFactory()
    best, other = PersonFactory(school=SchoolFactory()), PersonFactory(school=SchoolFactory())
    for p in (best, other):
        member(group, p)
    result(event, best, total=62)
    result(event, other, total=58)
    person, reason = trainers.recommended(group)
    assert person == best
    assert reason == (
        "Nilai tertinggi di UKG 2015 di antara anggota (62,00), 8,00 di bawah target 70: "
        "kelompok memerlukan pelatih dari luar."
    )
    assert [(t.person, t.kind) for t in trainers.trainers_for(group)] == [(best, "recommended")]


def test_an_office_confirms_or_overrides_with_a_reason_audited(event):
    group = GroupFactory()
    school = SchoolFactory()
    best, other = PersonFactory(school=school), PersonFactory(school=school)
    for p in (best, other):
        member(group, p)
    result(event, best, total=88)
    result(event, other, total=72)
    office = user_with_role(Role.ADMIN_KABKOTA, regency_id="34.71")
    ketua = user_with_role(Role.KETUA_KELOMPOK, group_id=group.pk)
    with pytest.raises(Forbidden):
        trainers.trainer_choose(actor=ketua, group=group, person_id=other.pk, reason="x")
    with pytest.raises(DomainError, match="Sebutkan alasan"):
        trainers.trainer_choose(actor=office, group=group, person_id=other.pk)
    outsider = PersonFactory(school=school)
    with pytest.raises(DomainError, match="anggota"):
        trainers.trainer_choose(actor=office, group=group, person_id=outsider.pk, reason="x")
    trainers.trainer_choose(actor=office, group=group, person_id=best.pk)
    assert trainers.trainers_for(group)[0].kind == "confirmed"
    trainers.trainer_choose(
        actor=office, group=group, person_id=other.pk, reason="Lebih dekat dengan sekolah anggota"
    )
    chosen = trainers.trainers_for(group)[0]
    assert (chosen.person, chosen.kind) == (other, "override")
    assert AuditEntry.objects.filter(action="trainer_override").get().changes["reason"] == [
        None,
        "Lebih dekat dengan sekolah anggota",
    ]
