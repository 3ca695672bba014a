"""Property-based tests (hypothesis) on the validators every entry point shares and on
the rules that decide money, ratings and certificates: for any input, an answer or a
refusal in words, never a crash, and the rules hold for every case, not only the few a
person would write down."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from gugus.communities.activeness import ACTIVE, INACTIVE, LESS_ACTIVE, GroupFacts, measure
from gugus.communities.models import WorkingGroup
from gugus.communities.rules import group_shape_errors
from gugus.competency.tracks import track_for
from gugus.core.cleaning import clean_date, clean_flag, clean_rupiah, clean_text
from gugus.core.formats import parse_rupiah
from gugus.core.imports import fold_header
from gugus.directory.identifiers import parse_nip, validate_npsn, validate_nuptk
from gugus.directory.models import Jenjang
from gugus.grants.inoni import IN, ON, PlanItem, plan_violations, skeleton, template_errors
from gugus.partnership.models import Visit
from gugus.partnership.rundown import DAY_STARTS, template_for
from gugus.performance.models import Expectation, Predikat, Stage
from gugus.performance.rules import predikat, previous_stage
from gugus.training.rules import completion, minutes_to_jp

ANY_TEXT = st.text(max_size=60)
pytestmark = pytest.mark.usefixtures("indonesian")


@given(ANY_TEXT)
def test_identifiers_either_validate_or_say_why(value):
    for validate in (validate_npsn, validate_nuptk, parse_nip):
        try:
            validate(value)
        except ValidationError as refused:
            assert str(refused.messages[0])


@given(
    st.dates(datetime.date(1950, 1, 1), datetime.date(2000, 12, 31)),
    st.integers(0, 30),
    st.integers(1, 12),
    st.sampled_from("12"),
    st.integers(0, 999),
)
def test_a_well_formed_nip_gives_back_its_birth_date_and_gender(birth, after, month, sex, n):
    appointed = birth.year + 18 + after
    nip = f"{birth:%Y%m%d}{appointed}{month:02d}{sex}{n:03d}"

    assert parse_nip(nip) == (birth, "L" if sex == "1" else "P")


@given(st.integers(0, 10**13))
def test_rupiah_reads_back_whatever_way_it_is_grouped(amount):
    dotted = f"{amount:,}".replace(",", ".")
    for written in (str(amount), dotted, f"{amount:,}", f"Rp {dotted}"):
        assert parse_rupiah(written) == Decimal(amount), written


@given(
    st.one_of(
        ANY_TEXT, st.floats(allow_nan=True), st.decimals(allow_nan=True), st.integers(), st.none()
    )
)
def test_an_amount_of_money_is_whole_and_positive_or_refused_by_name(raw):
    value = parse_rupiah(raw)
    assert value is None or value == value.to_integral_value()
    errors = []
    amount = clean_rupiah(raw, "jumlah", errors)
    assert (amount is None) == bool(errors)
    assert amount is None or 0 < amount < 10**15


@given(st.one_of(ANY_TEXT, st.integers(), st.none(), st.booleans()))
def test_cleaners_answer_a_value_or_an_error_named_by_field(raw):
    errors = []
    clean_text(raw)
    clean_flag(raw, "aktif", errors)
    clean_date(raw, "tanggal", errors)
    clean_rupiah(raw, "jumlah", errors)
    for error in errors:
        field, message = error if isinstance(error, tuple) else (error["field"], error["message"])
        assert field in ("aktif", "tanggal", "jumlah") and str(message)


@given(ANY_TEXT)
def test_a_header_folds_to_a_plain_name(header):
    folded = fold_header(header, {})
    assert folded == folded.lower() and " " not in folded and not folded.startswith("_")


@given(st.sampled_from(Expectation), st.sampled_from(Expectation))
def test_every_pair_of_expectations_has_exactly_one_predikat(results, behaviour):
    rating = predikat(results, behaviour)
    assert rating in Predikat.values
    if results == behaviour == Expectation.ABOVE:
        assert rating == Predikat.SANGAT_BAIK
    if Expectation.BELOW in (results, behaviour) and results != Expectation.ABOVE:
        assert rating != Predikat.BAIK


@given(
    st.integers(0, 20),
    st.integers(1, 20),
    st.integers(0, 100),
    st.one_of(st.none(), st.decimals(0, 100, places=2)),
    st.one_of(st.none(), st.decimals(0, 100, places=2)),
)
def test_completion_needs_both_the_attendance_and_the_test(
    attended, sessions, minimum, score, pass_score
):
    attended = min(attended, sessions)
    result = completion(
        attended=attended,
        sessions=sessions,
        post_score=score,
        min_attendance=minimum,
        pass_score=pass_score,
    )
    assert result.attendance_met == (100 * attended >= minimum * sessions)
    assert result.completed == (
        result.attendance_met
        and (pass_score is None or (score is not None and score >= pass_score))
    )
    assert 0 <= result.attendance_pct <= 100


@given(st.integers(0, 10_000))
def test_a_started_jp_never_counts(minutes):
    jp = minutes_to_jp(minutes)
    assert jp == int(jp) and jp * 45 <= minutes < (jp + 1) * 45


@settings(max_examples=60)
@given(st.integers(0, 6), st.integers(0, 4))
def test_the_default_plan_of_every_possible_template_breaks_no_rule(in_count, on_count):
    if template_errors(in_count, on_count):
        return
    start = datetime.date(2026, 2, 1)
    items = [
        PlanItem(
            ref=f"Kegiatan {n}",
            kind=kind,
            date=start + datetime.timedelta(days=14 * n),
            practises=practises,
            reflects_on=reflects,
        )
        for n, (kind, practises, reflects) in enumerate(skeleton(in_count, on_count), start=1)
    ]
    assert [i.kind for i in items].count(IN) == in_count
    assert [i.kind for i in items].count(ON) == on_count

    found = plan_violations(
        items,
        in_count=in_count,
        on_count=on_count,
        period_start=start,
        period_end=start + datetime.timedelta(days=365),
    )

    assert found == [], found


ACTIVITY = st.tuples(
    st.dates(datetime.date(2025, 1, 1), datetime.date(2026, 11, 30)),
    st.sampled_from(["in", "on", "pertemuan"]),
    st.integers(1, 10_000),
    st.none(),
    st.frozensets(st.integers(1, 40), max_size=40),
)


@given(st.integers(0, 40), st.lists(ACTIVITY, max_size=30))
def test_activeness_is_a_score_out_of_100_with_a_level_and_its_reasons(members, activities):
    facts = GroupFacts(
        members=members,
        member_ids=set(range(1, members + 1)),
        activities=[(d, k, i, r, set(p)) for d, k, i, r, p in activities],
    )

    result = measure(facts, datetime.date(2026, 11, 1))

    assert 0 <= result.score <= 100
    assert result.level in (ACTIVE, LESS_ACTIVE, INACTIVE)
    assert result.level == ACTIVE or result.reasons  # a group not active is told why
    if not members:
        assert (result.score, result.level) == (0, INACTIVE)


@given(st.integers(0, 10), st.booleans(), st.integers(0, 10))
def test_more_modules_below_the_mark_never_mean_a_lighter_track(below, ready, more):
    order = ["calon_in", "mandiri", "daring", "kombinasi", "tatap_muka"]
    lighter = track_for(below, instructor_ready=ready)
    heavier = track_for(below + more, instructor_ready=ready)

    assert order.index(heavier) >= order.index(lighter)
    assert (lighter == "calon_in") == (below < 3 and ready)


@given(st.sampled_from(Visit.Direction.values), st.integers(1, 10))
def test_a_visit_rundown_fills_every_day_in_order_and_ends_by_evening(direction, days):
    sessions = template_for(direction, days)

    assert sorted({s.day for s in sessions}) == list(range(1, days + 1))
    for day in range(1, days + 1):
        today = [s for s in sessions if s.day == day]
        assert today[0].starts == DAY_STARTS
        for earlier, later in itertools.pairwise(today):
            assert earlier.starts < earlier.ends == later.starts
        assert today[-1].ends <= datetime.time(17, 0)


@given(
    st.sampled_from(WorkingGroup.Kind.values),
    st.sampled_from(["", *Jenjang.values]),
    st.sampled_from(["", *WorkingGroup.KombelMode.values]),
)
def test_a_group_of_any_shape_is_accepted_or_told_what_to_fix_by_field(kind, jenjang, mode):
    group = WorkingGroup(kind=kind, jenjang=jenjang, kombel_mode=mode, name="Kelompok")

    for field, message in group_shape_errors(group):
        assert field in ("jenjang", "subject", "kombel_mode", "school") and str(message)


@given(st.sampled_from(Stage.Kind.values))
def test_every_stage_but_the_first_waits_for_the_one_before(kind):
    before = previous_stage(kind)
    order = list(Stage.Kind.values)
    assert before == (None if kind == order[0] else order[order.index(kind) - 1])
