"""The scoping matrix: every endpoint that takes an object, called by every kind of actor.

An actor outside the object's scope gets exactly the 404 a missing object gets, and the
object stays unchanged. The objects are Kemendikbud's (an SD, its KKG, a Kemendikbud
programme); the Kemenag offices of the same city (Kantor Kemenag, a madrasah supervisor)
and the BBGP, which oversees without keeping the registry, are the ministry axis.
`test_matrix_covers_every_object_endpoint` fails when a new URL with an object in its path
is added without a row here.
"""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice

from gugus.accounts.models import ApiToken, RoleAssignment, User
from gugus.accounts.services import api_token_create
from gugus.api import api
from gugus.communities.models import (
    Activity,
    Attendance,
    Evidence,
    Membership,
    Officer,
    WorkingGroup,
)
from gugus.competency.models import TrainerChoice, UkgEvent, UkgImport
from gugus.core.access import _policies, visible
from gugus.core.models import ImportRun
from gugus.core.roles import OfficeKind, Role
from gugus.directory.models import CorrectionRequest, Person, Province, Regency, School
from gugus.directory.offices import standard_office
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
from gugus.insights.models import Report
from gugus.partnership.models import (
    ActionPlan,
    Cohort,
    ObservationNote,
    Pair,
    Participant,
    RundownItem,
    Tier,
    Visit,
    VisitAttendance,
)
from gugus.performance import services as performance_services
from gugus.performance.models import Cycle, Period, Plan, Rubric, Stage
from gugus.training.models import (
    Cascade,
    Certificate,
    CertificateBatch,
    CheckIn,
    Evaluation,
    Event,
    Facilitator,
    Material,
    Mentoring,
    MentoringVisit,
    Quota,
    Session,
    Venue,
)
from gugus.training.models import Participant as TrainingParticipant
from tests.factories import GroupFactory, PersonFactory, member, user_with_role

ACTORS = [
    "pusat",
    "prov34",
    "kab3471",
    "kab3404",
    "prov33",
    "kepala",
    "pengawas",
    "ketua",
    "guru",
    "narasumber33",
    "kemenag3471",
    "pengawasmadrasah",
    "bbgp34",
]
# Schools and people are seen region-wide by both ministries' offices (groups and PAI
# teachers cross the line); groups and all inside them only by the governing ministry's.
REGION = {"pusat", "prov34", "kab3471", "kemenag3471", "bbgp34"}
SEES = {
    "school": REGION | {"kepala", "pengawas", "pengawasmadrasah", "ketua", "guru"},
    "person": REGION | {"kepala", "pengawas", "pengawasmadrasah", "ketua", "guru"},
    "correction": REGION | {"guru"},
    "importrun": {"kab3471"},
    "ukgimport": {"kab3471"},
    "token": {"guru"},
    "assignment": REGION | {"kepala"},
    # Another teacher's account at the Yogyakarta SD: seen by the offices of its region.
    "user": REGION,
    "group": {"pusat", "prov34", "kab3471", "bbgp34", "pengawas", "ketua", "guru"},
}
for _kind in (
    "membership",
    "officer",
    "activity",
    "evidence",
    "proposal",
    "spending",
    "fundreturn",
    "taxdeposit",
):
    SEES[_kind] = SEES["group"]
for _kind in (
    "proposal_spend",
    "proposal_review",
    "proposal_verify",
    "proposal_manage",
    "line",
    "item",
):
    SEES[_kind] = SEES["group"]
SEES["programme"] = set(ACTORS)
# A Kemendikbud cohort of province 34: its offices (a kab/kota one too) and the teacher
# taking part see it; the Kemenag office of the same city does not.
SEES["cohort"] = {"pusat", "prov34", "kab3471", "kab3404", "bbgp34", "guru"}
SEES["participant"] = SEES["cohort"]
SEES["pair"] = SEES["cohort"]
# The host's OJL week: seen with the cohort (the teacher "guru" is its host); the partner's
# action plan: read by the cohort's offices and by the host.
SEES["visit"] = SEES["cohort"]
SEES["rundownitem"] = SEES["visit"]
SEES["actionplan"] = SEES["cohort"]
# The teacher's semester plan at the Yogyakarta SD (Kemendikbud): the teacher, the head,
# the school's supervisor and the offices of its ministry; semesters are national.
SEES["plan"] = {"pusat", "prov34", "kab3471", "bbgp34", "kepala", "pengawas", "guru"}
SEES["plan_supervise"] = SEES["plan"]
SEES["plan_stage"] = SEES["plan"]
SEES["period"] = set(ACTORS)
# Training: the organisers (the BBGP and the offices covering the province), the kab/kota
# office of the participant's kab/kota, and the participant (the head).
SEES["certificate"] = {"pusat", "prov34", "kab3471", "bbgp34", "kepala"}
SEES["tparticipant"] = SEES["certificate"]
SEES["tparticipant_nominate"] = SEES["tparticipant_own"] = SEES["tparticipant"]
SEES["tparticipant_cascade"] = SEES["tmentoring"] = SEES["tparticipant"]
SEES["tparticipant_act"] = SEES["tparticipant"]
# The event: every office of its ministry whose region overlaps DIY, and its participant.
SEES["tevent"] = {"pusat", "prov34", "kab3471", "kab3404", "bbgp34", "kepala"}
SEES["tevent_nominate"] = SEES["tsession"] = SEES["tfacilitator"] = SEES["tevent"]
SEES["tmaterial"] = SEES["tevent"]
SEES["group_office"] = SEES["group"]
# A region's dashboard: the offices and supervisors whose region covers it, both ministries.
SEES["region"] = REGION | {"pengawas", "pengawasmadrasah"}
SEES["report"] = SEES["region"]
SEES["correction_withdraw"] = SEES["correction"]
# Who may change each kind of object (a subset of SEES).
CHANGES = {
    "school": {"pusat", "prov34", "kab3471"},
    "person": {"pusat", "prov34", "kab3471"},
    "correction": {"pusat", "prov34", "kab3471"},
    "correction_withdraw": {"guru"},
    "assignment": {"pusat", "prov34", "kab3471"},
    "user": {"pusat", "prov34", "kab3471"},
    "token": {"guru"},
    "group": {"pusat", "prov34", "kab3471", "ketua"},
    "membership": {"pusat", "prov34", "kab3471", "ketua"},
    "officer": {"pusat", "prov34", "kab3471", "ketua"},
    "activity": {"pusat", "prov34", "kab3471", "ketua"},
    "programme": {"pusat"},
    "group_office": {"pusat", "prov34", "kab3471"},
    "proposal": {"ketua"},
    "line": {"ketua"},
    "item": {"ketua"},
    "proposal_spend": {"ketua"},
    "proposal_review": set(),
    "proposal_verify": {"pengawas"},
    "proposal_manage": {"pusat"},
    # run by the offices covering the whole province, a BBGP included
    "cohort": {"pusat", "prov34", "bbgp34"},
    "participant": {"pusat", "prov34", "bbgp34"},
    "pair": {"pusat", "prov34", "bbgp34"},
    # the rundown, attendance and notes: the offices running the cohort and the host
    "visit": {"pusat", "prov34", "bbgp34", "guru"},
    "rundownitem": {"pusat", "prov34", "bbgp34", "guru"},
    # written by the partner (or the offices running the cohort), not by the host
    "actionplan": {"pusat", "prov34", "bbgp34"},
    # the teacher writes their plan, the head (their superior) agrees, observes, assesses
    "plan": {"guru"},
    "plan_supervise": {"kepala"},
    "plan_stage": {"guru", "kepala"},
    "period": {"pusat"},
    # training: the organisers (offices covering DIY, the BBGP included); the kab/kota
    # offices nominate for their own kab/kota; the participant evaluates and cascades
    "tevent": {"pusat", "prov34", "bbgp34"},
    "tsession": {"pusat", "prov34", "bbgp34"},
    "tfacilitator": {"pusat", "prov34", "bbgp34"},
    "tevent_nominate": {"pusat", "prov34", "bbgp34", "kab3471", "kab3404"},
    "tparticipant": {"pusat", "prov34", "bbgp34"},
    "tparticipant_nominate": {"pusat", "prov34", "bbgp34", "kab3471"},
    "tparticipant_own": {"kepala"},
    "tparticipant_cascade": {"pusat", "prov34", "bbgp34", "kepala"},
    # the participant's page acts for the committee, the participant and their mentor
    "tparticipant_act": {"pusat", "prov34", "bbgp34", "kepala"},
    "tmentoring": {"pusat", "prov34", "bbgp34"},
    "certificate": {"pusat", "prov34", "bbgp34"},
}

RUNDOWN_ITEM = {"day": 1, "starts": "08:00", "ends": "09:00", "activity": "workshop"}

# (kind, method, url template, object kind, payload, is_change)
ENDPOINTS = [
    ("page", "get", "/dasbor/{region}/", "region", None, False),
    ("page", "get", "/dasbor/{region}/tabel.{tfmt}", "region", None, False),
    ("page", "get", "/dasbor/{region}/dampak/", "region", None, False),
    ("page", "get", "/dasbor/{region}/laporan/", "region", None, False),
    (
        "page",
        "post",
        "/dasbor/{region}/laporan/",
        "region",
        {"kind": "bulanan", "period": "2026-10"},
        False,
    ),
    ("page", "get", "/dasbor/laporan/{report}/", "report", None, False),
    ("api", "get", "/api/v1/insights/regions/{region}", "region", None, False),
    ("api", "get", "/api/v1/insights/regions/{region}/table", "region", None, False),
    ("api", "get", "/api/v1/insights/regions/{region}/records/{measure}", "region", None, False),
    ("api", "get", "/api/v1/insights/regions/{region}/impact", "region", None, False),
    ("api", "get", "/api/v1/insights/regions/{region}/reports", "region", None, False),
    (
        "api",
        "post",
        "/api/v1/insights/regions/{region}/reports",
        "region",
        {"kind": "bulanan", "period": "2026-10"},
        False,
    ),
    ("api", "get", "/api/v1/insights/reports/{report}", "report", None, False),
    ("api", "get", "/api/v1/insights/reports/{report}/{rfmt}", "report", None, False),
    ("api", "get", "/api/v1/insights/groups/{group}", "group", None, False),
    ("api", "get", "/api/v1/insights/schools/{school}", "school", None, False),
    ("page", "get", "/dasbor/laporan/{report}.{rfmt}", "report", None, False),
    ("page", "get", "/dasbor/{region}/{measure}/", "region", None, False),
    ("page", "get", "/dasbor/kelompok/{group}/", "group", None, False),
    ("page", "get", "/dasbor/sekolah/{school}/", "school", None, False),
    ("page", "get", "/pelatihan/sertifikat/{certificate}.pdf", "certificate", None, False),
    ("page", "get", "/pelatihan/{tevent}/", "tevent", None, False),
    (
        "page",
        "post",
        "/pelatihan/{tevent}/aksi/",
        "tevent_nominate",
        {"action": "venue", "name": "Aula", "capacity": "5"},
        True,
    ),
    ("page", "get", "/pelatihan/{tevent}/sertifikat/progres/", "tevent", None, True),
    ("page", "get", "/pelatihan/{tevent}/peserta.xlsx", "tevent_nominate", None, True),
    (
        "api",
        "get",
        "/api/v1/training/events/{tevent}/participants.xlsx",
        "tevent_nominate",
        None,
        True,
    ),
    ("page", "get", "/pelatihan/sesi/{tsession}/presensi/", "tsession", None, True),
    (
        "page",
        "post",
        "/pelatihan/sesi/{tsession}/presensi/",
        "tsession",
        {"token": "matrix-token"},
        True,
    ),
    ("page", "get", "/pelatihan/peserta/{tparticipant}/", "tparticipant", None, False),
    (
        "page",
        "post",
        "/pelatihan/peserta/{tparticipant}/aksi/",
        "tparticipant_act",
        {"action": "scores", "post_score": "99"},
        True,
    ),
    ("page", "get", "/pelatihan/materi/{tmaterial}/", "tmaterial", None, False),
    ("page", "get", "/ptk/{person}/transkrip/", "person", None, False),
    ("page", "get", "/ptk/{person}/transkrip.pdf", "person", None, False),
    ("api", "get", "/api/v1/training/events/{tevent}", "tevent", None, False),
    ("api", "patch", "/api/v1/training/events/{tevent}", "tevent", {"version": 1, "jp": 30}, True),
    ("api", "post", "/api/v1/training/events/{tevent}/step", "tevent", {"step": "open"}, True),
    (
        "api",
        "post",
        "/api/v1/training/events/{tevent}/venues",
        "tevent",
        {"name": "Aula", "capacity": 10},
        True,
    ),
    ("api", "post", "/api/v1/training/events/{tevent}/seating", "tevent", None, True),
    (
        "api",
        "post",
        "/api/v1/training/events/{tevent}/sessions",
        "tevent",
        {"date": "2026-03-19", "title": "Sesi", "starts": "13:00", "ends": "15:00"},
        True,
    ),
    (
        "api",
        "put",
        "/api/v1/training/sessions/{tsession}",
        "tsession",
        {"date": "2026-03-19", "title": "Sesi", "starts": "13:00", "ends": "15:00"},
        True,
    ),
    ("api", "delete", "/api/v1/training/sessions/{tsession}", "tsession", None, True),
    (
        "api",
        "post",
        "/api/v1/training/sessions/{tsession}/checkins",
        "tsession",
        {"token": "matrix-token"},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/training/events/{tevent}/facilitators",
        "tevent",
        {"person_id": "{person}", "kind": "praktisi"},
        True,
    ),
    ("api", "delete", "/api/v1/training/facilitators/{tfacilitator}", "tfacilitator", None, True),
    (
        "api",
        "post",
        "/api/v1/training/events/{tevent}/materials",
        "tevent",
        {"title": "Modul", "_upload": "file"},
        True,
    ),
    ("api", "get", "/api/v1/training/materials/{tmaterial}/file", "tmaterial", None, False),
    ("api", "get", "/api/v1/training/events/{tevent}/quotas", "tevent", None, False),
    (
        "api",
        "put",
        "/api/v1/training/events/{tevent}/quotas",
        "tevent",
        {"seats": {"sd": 2}},
        True,
    ),
    ("api", "get", "/api/v1/training/events/{tevent}/participants", "tevent", None, False),
    (
        "api",
        "post",
        "/api/v1/training/events/{tevent}/participants",
        "tevent_nominate",
        {"person_id": "{person}"},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/training/participants/{tparticipant}/replacement",
        "tparticipant_nominate",
        {"person_id": "{person}", "reason": "Sakit"},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/training/participants/{tparticipant}/withdrawal",
        "tparticipant_nominate",
        {"reason": "Sakit"},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/training/participants/{tparticipant}/registration",
        "tparticipant_own",
        None,
        True,
    ),
    (
        "api",
        "put",
        "/api/v1/training/participants/{tparticipant}/scores",
        "tparticipant",
        {"post_score": 90},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/training/participants/{tparticipant}/evaluation",
        "tparticipant_own",
        {"content": 5, "facilitators": 5, "organisation": 5, "usefulness": 5},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/training/participants/{tparticipant}/mentors",
        "tparticipant",
        {"mentor_id": "{person}"},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/training/mentorings/{tmentoring}/visits",
        "tmentoring",
        {"date": "2026-01-09", "minutes": 60, "notes": "Catatan"},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/training/participants/{tparticipant}/cascades",
        "tparticipant_cascade",
        {
            "date": "2026-01-09",
            "title": "Imbas",
            "schools": "{school}",
            "teachers": "3",
            "_upload": "evidence",
        },
        True,
    ),
    ("api", "get", "/api/v1/training/events/{tevent}/dashboard", "tevent", None, False),
    (
        "api",
        "post",
        "/api/v1/training/participants/{tparticipant}/certificate",
        "tparticipant",
        None,
        True,
    ),
    ("api", "post", "/api/v1/training/events/{tevent}/certificates", "tevent", None, True),
    ("api", "get", "/api/v1/training/events/{tevent}/certificates/batch", "tevent", None, True),
    ("api", "get", "/api/v1/training/events/{tevent}/certificates", "tevent", None, False),
    (
        "api",
        "post",
        "/api/v1/training/certificates/{certificate}/revocation",
        "certificate",
        {"reason": "Keliru"},
        True,
    ),
    ("api", "get", "/api/v1/training/certificates/{certificate}/pdf", "certificate", None, False),
    ("api", "get", "/api/v1/people/{person}/transcript", "person", None, False),
    ("api", "get", "/api/v1/people/{person}/transcript.pdf", "person", None, False),
    ("page", "get", "/sekolah/{school}/", "school", None, False),
    ("page", "get", "/sekolah/{school}/ubah/", "school", None, True),
    (
        "page",
        "post",
        "/sekolah/{school}/ubah/",
        "school",
        {
            "npsn": "{school}",
            "name": "Diubah",
            "jenjang": "sd",
            "status": "negeri",
            "district": "34.71.01",
        },
        True,
    ),
    ("page", "get", "/sekolah/{school}/hapus/", "school", None, True),
    ("page", "post", "/sekolah/{school}/hapus/", "school", {}, True),
    ("page", "get", "/ptk/{person}/", "person", None, False),
    ("page", "get", "/ptk/{person}/hapus/", "person", None, True),
    ("page", "post", "/ptk/{person}/hapus/", "person", {}, True),
    ("page", "get", "/ptk/{person}/ubah/", "person", None, True),
    (
        "page",
        "post",
        "/ptk/{person}/ubah/",
        "person",
        {"name": "Diubah", "position": "guru", "gender": "P", "school": "{school}"},
        True,
    ),
    ("page", "get", "/ptk/{person}/akun/", "person", None, True),
    (
        "page",
        "post",
        "/ptk/{person}/akun/",
        "person",
        {"username": "baru", "email": "baru@sekolah.id", "role": "guru"},
        True,
    ),
    ("page", "get", "/koreksi/{correction}/", "correction", None, False),
    ("page", "post", "/koreksi/{correction}/", "correction", {"approve": "1"}, True),
    ("page", "get", "/koreksi/{correction}/bukti/", "correction", None, False),
    ("page", "post", "/koreksi/{correction}/tarik/", "correction_withdraw", {}, True),
    ("page", "get", "/impor/{importrun}/", "importrun", None, False),
    ("page", "get", "/ukg/impor/{ukgimport}/", "ukgimport", None, False),
    ("page", "get", "/ukg/impor/{ukgimport}/laporan.csv", "ukgimport", None, False),
    ("page", "get", "/impor/{importrun}/laporan.csv", "importrun", None, False),
    ("api", "get", "/api/v1/imports/{importrun}", "importrun", None, False),
    ("page", "post", "/akun/token/{token}/cabut/", "token", {}, True),
    ("page", "post", "/akun/{user}/keluarkan/", "user", {}, True),
    ("page", "post", "/akun/{user}/faktor-kedua/hapus/", "user", {}, True),
    ("api", "post", "/api/v1/users/{user}/sessions/revoke", "user", None, True),
    ("api", "post", "/api/v1/users/{user}/second-factor/reset", "user", None, True),
    ("page", "get", "/kelompok/{group}/", "group", None, False),
    ("page", "get", "/kelompok/{group}/ubah/", "group", None, True),
    (
        "page",
        "post",
        "/kelompok/{group}/ubah/",
        "group",
        {"kind": "kkg", "name": "Diubah", "jenjang": "sd", "regency": "34.71"},
        True,
    ),
    (
        "page",
        "post",
        "/kelompok/{group}/status/",
        "group",
        {"action": "suspend", "note": "x"},
        True,
    ),
    ("page", "post", "/kelompok/{group}/anggota/", "group", {"identifier": "{nuptk}"}, True),
    (
        "page",
        "post",
        "/kelompok/{group}/pengurus/",
        "group",
        {"identifier": "{nuptk}", "position": "bendahara"},
        True,
    ),
    ("page", "get", "/kelompok/{group}/kegiatan/baru/", "group", None, True),
    (
        "page",
        "post",
        "/kelompok/{group}/kegiatan/baru/",
        "group",
        {"kind": "in", "topic": "Baru", "date": "2026-01-05", "duration_jp": "2", "place": "SD"},
        True,
    ),
    ("page", "get", "/kelompok/{group}/kehadiran.xlsx", "group", None, False),
    ("page", "post", "/keanggotaan/{membership}/akhiri/", "membership", {}, True),
    ("page", "post", "/pengurus/{officer}/akhiri/", "officer", {}, True),
    ("page", "get", "/kegiatan/{activity}/", "activity", None, False),
    ("page", "post", "/kegiatan/{activity}/", "activity", {"p-{person_id}": "absen"}, True),
    ("page", "get", "/kegiatan/{activity}/ubah/", "activity", None, True),
    ("page", "post", "/kegiatan/{activity}/status/", "activity", {"status": "cancelled"}, True),
    ("page", "post", "/kegiatan/{activity}/bukti/", "activity", {"kind": "foto"}, True),
    ("page", "get", "/bukti/{evidence}/", "evidence", None, False),
    ("page", "get", "/kelompok/{group}/dokumen/{document}/", "group", None, False),
    ("api", "get", "/api/v1/groups/{group}/documents/{document}", "group", None, False),
    ("api", "get", "/api/v1/groups/{group}", "group", None, False),
    ("api", "patch", "/api/v1/groups/{group}", "group", {"name": "Diubah"}, True),
    (
        "api",
        "post",
        "/api/v1/groups/{group}/transitions",
        "group",
        {"action": "suspend", "note": "x"},
        True,
    ),
    ("api", "get", "/api/v1/groups/{group}/members", "group", None, False),
    (
        "api",
        "post",
        "/api/v1/groups/{group}/members",
        "group",
        {"person_id": "{newcomer_id}"},
        True,
    ),
    ("api", "delete", "/api/v1/memberships/{membership}", "membership", None, True),
    ("api", "get", "/api/v1/groups/{group}/officers", "group", None, False),
    (
        "api",
        "post",
        "/api/v1/groups/{group}/officers",
        "group",
        {"person_id": "{person_id}", "position": "bendahara"},
        True,
    ),
    ("api", "get", "/api/v1/groups/{group}/activities", "group", None, False),
    (
        "api",
        "post",
        "/api/v1/groups/{group}/activities",
        "group",
        {"kind": "in", "topic": "Baru", "date": "2026-01-06", "place": "SD"},
        True,
    ),
    ("api", "get", "/api/v1/groups/{group}/activeness", "group", None, False),
    ("api", "get", "/api/v1/activities/{activity}", "activity", None, False),
    ("api", "patch", "/api/v1/activities/{activity}", "activity", {"topic": "Diubah"}, True),
    ("api", "get", "/api/v1/activities/{activity}/attendance", "activity", None, False),
    (
        "api",
        "patch",
        "/api/v1/activities/{activity}/attendance",
        "activity",
        {"attendance": {"{person_id}": "absen"}},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/groups/{group}/documents/{document}",
        "group",
        {"_upload": "file"},
        True,
    ),
    ("api", "delete", "/api/v1/officers/{officer}", "officer", None, True),
    ("api", "get", "/api/v1/activities/{activity}/evidence", "activity", None, False),
    (
        "api",
        "post",
        "/api/v1/activities/{activity}/evidence",
        "activity",
        {"kind": "dokumen", "_upload": "file"},
        True,
    ),
    ("api", "get", "/api/v1/evidence/{evidence}/file", "evidence", None, False),
    ("api", "post", "/api/v1/plan-items/{item}/realisation", "item", {"place": "SD 1"}, True),
    ("api", "put", "/api/v1/plan-items/{item}/outcome", "item", {"students_change": "X"}, True),
    ("api", "get", "/api/v1/proposals/{proposal}/lpj.{fmt}", "proposal", None, False),
    ("api", "get", "/api/v1/programmes/{programme}/decision.{fmt}", "programme", None, False),
    ("api", "get", "/api/v1/spending/{spending}/receipt", "spending", None, False),
    ("api", "get", "/api/v1/returns/{fundreturn}/proof", "fundreturn", None, False),
    ("api", "get", "/api/v1/tax-deposits/{taxdeposit}/proof", "taxdeposit", None, False),
    ("api", "get", "/api/v1/proposals/{proposal}/taxes", "proposal", None, False),
    ("api", "delete", "/api/v1/me/tokens/{token}", "token", None, True),
    ("api", "get", "/api/v1/schools/{school}", "school", None, False),
    ("api", "patch", "/api/v1/schools/{school}", "school", {"name": "Diubah"}, True),
    ("api", "delete", "/api/v1/schools/{school}", "school", None, True),
    ("api", "get", "/api/v1/people/{person}", "person", None, False),
    ("api", "delete", "/api/v1/people/{person}", "person", None, True),
    ("api", "patch", "/api/v1/people/{person}", "person", {"name": "Diubah"}, True),
    (
        "api",
        "post",
        "/api/v1/people/{person}/account",
        "person",
        {"username": "akun.baru", "email": "baru@sekolah.id", "role": "guru"},
        True,
    ),
    ("api", "get", "/api/v1/corrections/{correction}", "correction", None, False),
    (
        "api",
        "post",
        "/api/v1/corrections/{correction}/decision",
        "correction",
        {"approve": True},
        True,
    ),
    ("api", "post", "/api/v1/corrections/{correction}/withdrawal", "correction_withdraw", {}, True),
    ("api", "delete", "/api/v1/role-assignments/{assignment}", "assignment", None, True),
    ("admin", "get", "/admin/directory/school/{school_pk}/change/", "school", None, False),
    ("admin", "get", "/admin/directory/person/{person}/change/", "person", None, False),
    (
        "admin",
        "get",
        "/admin/directory/correctionrequest/{correction}/change/",
        "correction",
        None,
        False,
    ),
    (
        "admin",
        "get",
        "/admin/accounts/roleassignment/{assignment}/change/",
        "assignment",
        None,
        False,
    ),
    ("page", "get", "/kompetensi/kelompok/{group}/", "group", None, False),
    (
        "page",
        "post",
        "/kompetensi/kelompok/{group}/pelatih/",
        "group_office",
        {"person": "{person_id}", "reason": "x"},
        True,
    ),
    ("page", "get", "/bantuan/{programme}/", "programme", None, False),
    (
        "page",
        "post",
        "/bantuan/{programme}/aksi/",
        "programme",
        {"action": "start_reporting"},
        True,
    ),
    ("page", "get", "/bantuan/{programme}/sk.{fmt}", "programme", None, False),
    ("page", "post", "/bantuan/{programme}/ajukan/{group}/", "proposal", {}, True),
    ("page", "get", "/usulan/{proposal}/", "proposal", None, False),
    ("page", "get", "/usulan/{proposal}/keuangan/", "proposal", None, False),
    ("page", "get", "/usulan/{proposal}/lpj.{fmt}", "proposal", None, False),
    (
        "page",
        "post",
        "/usulan/{proposal}/aksi/",
        "proposal",
        {"action": "outcome", "item": "{item}", "students_change": "Diubah"},
        True,
    ),
    (
        "page",
        "post",
        "/usulan/{proposal}/aksi/",
        "proposal_spend",
        {"action": "return", "amount": "1000", "date": "2026-02-05", "reference": "X"},
        True,
    ),
    (
        "page",
        "post",
        "/usulan/{proposal}/aksi/",
        "proposal_verify",
        {"action": "report_verify", "decision": "approve"},
        True,
    ),
    (
        "page",
        "post",
        "/usulan/{proposal}/aksi/",
        "proposal_manage",
        {"action": "report_approve", "decision": "approve"},
        True,
    ),
    ("page", "get", "/belanja/{spending}/nota/", "spending", None, False),
    ("page", "get", "/pengembalian/{fundreturn}/bukti/", "fundreturn", None, False),
    ("page", "get", "/setoran-pajak/{taxdeposit}/bukti/", "taxdeposit", None, False),
    ("api", "get", "/api/v1/programmes/{programme}", "programme", None, False),
    (
        "api",
        "post",
        "/api/v1/programmes/{programme}/transitions",
        "programme",
        {"action": "start_reporting"},
        True,
    ),
    ("api", "post", "/api/v1/programmes/{programme}/selection", "programme", {}, True),
    (
        "api",
        "post",
        "/api/v1/programmes/{programme}/decision",
        "programme",
        {"number": "9", "date": "2026-02-01"},
        True,
    ),
    ("api", "get", "/api/v1/programmes/{programme}/proposals", "programme", None, False),
    ("api", "get", "/api/v1/programmes/{programme}/sustainability", "programme", None, False),
    (
        "api",
        "post",
        "/api/v1/programmes/{programme}/proposals",
        "proposal",
        {"group_id": "{group}"},
        True,
    ),
    ("api", "get", "/api/v1/groups/{group}/grant-eligibility", "group", None, False),
    ("api", "get", "/api/v1/groups/{group}/competency", "group", None, False),
    (
        "api",
        "put",
        "/api/v1/groups/{group}/trainer",
        "group_office",
        {"person_id": "{person_id}", "reason": "x"},
        True,
    ),
    ("api", "get", "/api/v1/ukg/imports/{ukgimport}", "ukgimport", None, False),
    ("api", "get", "/api/v1/proposals/{proposal}", "proposal", None, False),
    ("api", "patch", "/api/v1/proposals/{proposal}", "proposal", {"goals": "Diubah"}, True),
    (
        "api",
        "put",
        "/api/v1/proposals/{proposal}/plan",
        "proposal",
        [{"seq": 1, "topic": "Diubah"}],
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/proposals/{proposal}/budget",
        "proposal",
        {"category": "bahan", "description": "ATK", "amount": 1000},
        True,
    ),
    ("api", "delete", "/api/v1/budget-lines/{line}", "line", None, True),
    ("api", "post", "/api/v1/proposals/{proposal}/submission", "proposal", {}, True),
    ("api", "post", "/api/v1/proposals/{proposal}/withdrawal", "proposal", {}, True),
    (
        "api",
        "post",
        "/api/v1/proposals/{proposal}/reviews",
        "proposal_review",
        {"decision": "return", "comment": "x"},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/proposals/{proposal}/disbursement",
        "proposal_manage",
        {"amount": 15000000, "date": "2026-02-03", "reference": "X"},
        True,
    ),
    ("api", "get", "/api/v1/proposals/{proposal}/spending", "proposal", None, False),
    (
        "api",
        "post",
        "/api/v1/proposals/{proposal}/spending",
        "proposal_spend",
        {
            "line_id": "{line}",
            "date": "2026-02-05",
            "description": "X",
            "amount": "1",
            "_upload": "receipt",
        },
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/proposals/{proposal}/reallocations",
        "proposal_spend",
        {"from_line": "{line}", "to_line": "{line}", "amount": 1, "reason": "x"},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/proposals/{proposal}/returns",
        "proposal_spend",
        {"amount": "1", "date": "2026-02-05", "reference": "X", "_upload": "proof"},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/proposals/{proposal}/tax-deposits",
        "proposal_spend",
        {
            "tax_kind": "pph21",
            "amount": "1",
            "date": "2026-02-05",
            "reference": "0A1B2C3D4E5F6G7H",
            "_upload": "proof",
        },
        True,
    ),
    ("api", "post", "/api/v1/proposals/{proposal}/report", "proposal", {"outcomes": "x"}, True),
    (
        "api",
        "post",
        "/api/v1/proposals/{proposal}/report/verification",
        "proposal_verify",
        {"decision": "approve"},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/proposals/{proposal}/report/approval",
        "proposal_manage",
        {"decision": "approve"},
        True,
    ),
    ("page", "get", "/kemitraan/{cohort}/", "cohort", None, False),
    ("page", "post", "/kemitraan/{cohort}/aksi/", "cohort", {"action": "match"}, True),
    ("api", "get", "/api/v1/cohorts/{cohort}", "cohort", None, False),
    ("api", "get", "/api/v1/cohorts/{cohort}/participants", "cohort", None, False),
    ("api", "get", "/api/v1/cohorts/{cohort}/pairs", "cohort", None, False),
    ("api", "get", "/api/v1/cohorts/{cohort}/effect?event=ukg-2015", "cohort", None, True),
    ("api", "post", "/api/v1/cohorts/{cohort}/selection", "cohort", {}, True),
    ("api", "post", "/api/v1/cohorts/{cohort}/matching", "cohort", {}, True),
    (
        "api",
        "post",
        "/api/v1/cohorts/{cohort}/participants",
        "cohort",
        {"person_id": "{newcomer_id}", "tier": 2, "reason": "x"},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/participants/{participant}/exclusion",
        "participant",
        {"reason": "x"},
        True,
    ),
    ("api", "put", "/api/v1/pairs/{pair}/lock", "pair", {"locked": True}, True),
    ("api", "post", "/api/v1/pairs/{pair}/exclusion", "pair", {"reason": "x"}, True),
    (
        "page",
        "post",
        "/kemitraan/{cohort}/aksi/",
        "cohort",
        {"action": "plan_visits", "return_start": "2026-03-01"},
        True,
    ),
    ("page", "get", "/kemitraan/kunjungan/{visit}/", "visit", None, False),
    (
        "page",
        "post",
        "/kemitraan/kunjungan/{visit}/aksi/",
        "visit",
        {"action": "update", "summary": "x"},
        True,
    ),
    (
        "page",
        "post",
        "/kemitraan/kunjungan/{visit}/aksi/",
        "visit",
        {"action": "note", "day": "1", "observed": "{participant}", "text": "x"},
        True,
    ),
    ("page", "get", "/kemitraan/kunjungan/{visit}/hadir/{day}/", "visit", None, True),
    ("page", "post", "/kemitraan/kunjungan/{visit}/hadir/{day}/", "visit", {}, True),
    ("page", "get", "/kemitraan/kunjungan/{visit}/unduh.{fmt}", "visit", None, False),
    ("page", "get", "/kemitraan/acara/{rundownitem}/", "rundownitem", None, True),
    (
        "page",
        "post",
        "/kemitraan/peserta/{plan_participant}/rencana-aksi/",
        "actionplan",
        {"action": "save", "goal": "x", "steps": "x", "indicator": "x"},
        True,
    ),
    (
        "api",
        "post",
        "/api/v1/cohorts/{cohort}/visits",
        "cohort",
        {"return_start": "2026-03-01"},
        True,
    ),
    ("api", "get", "/api/v1/cohorts/{cohort}/visits", "cohort", None, False),
    ("api", "get", "/api/v1/cohorts/{cohort}/selection", "cohort", None, True),
    (
        "page",
        "post",
        "/kemitraan/{cohort}/aksi/",
        "cohort",
        {"action": "add_participant", "nuptk": "{nuptk}", "tier": "2", "reason": "x"},
        True,
    ),
    ("api", "get", "/api/v1/cohorts/{cohort}/export.xlsx", "cohort", None, False),
    ("page", "get", "/kemitraan/{cohort}/unduh.xlsx", "cohort", None, False),
    ("api", "get", "/api/v1/cohorts/{cohort}/pair-map", "cohort", None, False),
    ("api", "get", "/api/v1/visits/{visit}", "visit", None, False),
    ("api", "put", "/api/v1/visits/{visit}", "visit", {"summary": "x"}, True),
    ("api", "get", "/api/v1/visits/{visit}/rundown", "visit", None, False),
    ("api", "post", "/api/v1/visits/{visit}/rundown", "visit", RUNDOWN_ITEM, True),
    ("api", "put", "/api/v1/rundown-items/{rundownitem}", "rundownitem", RUNDOWN_ITEM, True),
    ("api", "delete", "/api/v1/rundown-items/{rundownitem}", "rundownitem", None, True),
    ("api", "get", "/api/v1/visits/{visit}/attendance", "visit", None, False),
    (
        "api",
        "put",
        "/api/v1/visits/{visit}/attendance/{day}",
        "visit",
        {"statuses": []},
        True,
    ),
    ("api", "get", "/api/v1/visits/{visit}/observations", "visit", None, False),
    (
        "api",
        "post",
        "/api/v1/visits/{visit}/observations",
        "visit",
        {"day": 1, "observed_id": "{participant}", "text": "x"},
        True,
    ),
    ("api", "get", "/api/v1/visits/{visit}/report.pdf", "visit", None, False),
    ("api", "get", "/api/v1/visits/{visit}/rundown.xlsx", "visit", None, False),
    (
        "api",
        "get",
        "/api/v1/participants/{plan_participant}/action-plan",
        "actionplan",
        None,
        False,
    ),
    (
        "api",
        "put",
        "/api/v1/participants/{plan_participant}/action-plan",
        "actionplan",
        {"goal": "x", "steps": "x", "indicator": "x"},
        True,
    ),
    (
        "api",
        "put",
        "/api/v1/participants/{plan_participant}/action-plan/report",
        "actionplan",
        {"report": "x"},
        True,
    ),
    ("page", "get", "/kinerja/{plan}/", "plan", None, False),
    ("page", "post", "/kinerja/{plan}/", "plan", {"action": "save", "version": "1"}, True),
    (
        "page",
        "post",
        "/kinerja/{plan}/",
        "plan_supervise",
        {"action": "agree", "version": "1"},
        True,
    ),
    (
        "page",
        "post",
        "/kinerja/{plan}/",
        "plan_stage",
        {"action": "stage", "kind": "1", "version": "1"},
        True,
    ),
    ("page", "get", "/kinerja/{plan}/observasi/", "plan_supervise", None, True),
    ("page", "get", "/kinerja/{plan}/rekam.pdf", "plan", None, False),
    ("api", "get", "/api/v1/plans/{plan}/record.pdf", "plan", None, False),
    ("page", "post", "/kinerja/{plan}/observasi/", "plan_supervise", {"version": "1"}, True),
    ("page", "get", "/kinerja/semester/{period}/ekinerja.{efmt}", "period", None, False),
    ("api", "get", "/api/v1/plans/{plan}", "plan", None, False),
    ("api", "put", "/api/v1/plans/{plan}", "plan", {"version": 1}, True),
    ("api", "post", "/api/v1/plans/{plan}/submission", "plan", {"version": 1}, True),
    (
        "api",
        "post",
        "/api/v1/plans/{plan}/review",
        "plan_supervise",
        {"version": 1, "decision": "agree"},
        True,
    ),
    ("api", "get", "/api/v1/plans/{plan}/cycle", "plan", None, False),
    ("api", "put", "/api/v1/plans/{plan}/cycle/stages/{kind}", "plan_stage", {"version": 1}, True),
    (
        "api",
        "put",
        "/api/v1/plans/{plan}/cycle/observation",
        "plan_supervise",
        {"version": 1, "ratings": []},
        True,
    ),
    (
        "api",
        "put",
        "/api/v1/plans/{plan}/cycle/aspects",
        "plan_supervise",
        {"version": 1, "reflect": 1, "learn": 1, "change": 1},
        True,
    ),
    (
        "api",
        "put",
        "/api/v1/plans/{plan}/assessment",
        "plan_supervise",
        {"version": 1, "work_results": "sesuai", "work_behaviour": "sesuai"},
        True,
    ),
    (
        "api",
        "put",
        "/api/v1/periods/{period}/extension",
        "period",
        {"window": "plan", "until": "2030-01-01"},
        True,
    ),
    ("api", "get", "/api/v1/periods/{period}/completion", "period", None, False),
    ("api", "get", "/api/v1/periods/{period}/ekinerja.{efmt}", "period", None, False),
    ("admin", "get", "/admin/grants/proposal/{proposal}/change/", "proposal", None, False),
    ("admin", "get", "/admin/grants/spending/{spending}/change/", "spending", None, False),
]
# Paths with a parameter that is not a scoped object: public reference data and the
# Django admin's generic routes (its object views are covered through the rows above).
NOT_SCOPED = {
    "/api/v1/regions/provinces/{code}/regencies",
    "/api/v1/regions/regencies/{code}/districts",
    "/impor/templat/<str:kind>.csv",
    "/sandi/reset/<uidb64>/<token>/",
    # The public verification of a certificate: anyone with the code sees name, event, date.
    "/verifikasi/<str:token>/",
    "/api/v1/training/verification/{token}",
    # The signed-in person's own data as PDF or JSON: nobody else's is reachable.
    "/saya/semua-data.<str:fmt>",
}


@pytest.fixture
def world(db, yogya_school):
    teacher = PersonFactory(school=yogya_school, name="Siti Guru")
    head = PersonFactory(school=yogya_school, position="kepala")
    group = GroupFactory(decree_file=ContentFile(b"%PDF-1.4\n", name="sk.pdf"))
    member(group, teacher)
    actors = {
        "pusat": user_with_role(Role.ADMIN_PUSAT),
        "prov34": user_with_role(Role.ADMIN_PROVINSI, province_id="34"),
        "kab3471": user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71")),
        "kab3404": user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.04")),
        "prov33": user_with_role(Role.ADMIN_PROVINSI, province_id="33"),
        "kepala": user_with_role(Role.KEPALA_SEKOLAH, school=yogya_school, person=head),
        "pengawas": user_with_role(Role.PENGAWAS, regency=Regency.objects.get(code="34.71")),
        "ketua": user_with_role(Role.KETUA_KELOMPOK, group=group),
        "guru": user_with_role(Role.GURU, school=yogya_school, person=teacher),
        "narasumber33": user_with_role(Role.NARASUMBER, province_id="33"),
        "kemenag3471": user_with_role(
            Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"), ministry="kemenag"
        ),
        "pengawasmadrasah": user_with_role(
            Role.PENGAWAS, regency=Regency.objects.get(code="34.71"), ministry="kemenag"
        ),
        "bbgp34": user_with_role(
            Role.ADMIN_PROVINSI,
            province_id="34",
            office=standard_office(OfficeKind.BBGP, province=Province.objects.get(pk="34")),
        ),
    }
    correction = CorrectionRequest.objects.create(
        person=teacher,
        requested_by=actors["guru"],
        changes={"name": "Siti Aminah"},
        reason="Salah ketik",
        evidence=ContentFile(b"%PDF-1.4", name="sk.pdf"),
    )
    importrun = ImportRun.objects.create(
        kind="people", user=actors["kab3471"], filename="ptk.csv", status="rejected"
    )
    token, _key = api_token_create(user=actors["guru"], name="skrip")
    account = user_with_role(Role.GURU, school=yogya_school)
    TOTPDevice.objects.create(user=account, name="Gugus", confirmed=True)
    assignment = RoleAssignment.objects.get(user=actors["kepala"])
    newcomer = PersonFactory(school=yogya_school)
    newcomer.subjects.add("guru-kelas")
    officer = Officer.objects.create(
        group=group, person=teacher, position="sekretaris", started_on="2025-01-01"
    )
    activity = Activity.objects.create(
        group=group, kind="in", topic="Asesmen", date="2026-01-05", place="SD", status="held"
    )
    Attendance.objects.create(activity=activity, person=teacher, status="hadir")
    evidence = Evidence.objects.create(
        activity=activity, kind="foto", file=ContentFile(b"\xff\xd8\xff", name="foto.jpg")
    )
    programme = GrantProgramme.objects.create(
        name="Bantuan 2026",
        ministry="kemendikbud",
        year=2026,
        apply_from="2026-01-05",
        apply_until="2026-01-31",
        period_start="2026-02-01",
        period_end="2026-11-30",
        budget_ceiling=90_000_000,
        quota=5,
        status="running",
    )
    ProgrammeKind.objects.create(
        programme=programme, kind="kkg", amount=15_000_000, in_count=3, on_count=2
    )
    proposal = Proposal.objects.create(
        programme=programme,
        group=group,
        amount=15_000_000,
        status="funded",
        disbursed_amount=15_000_000,
        disbursed_on="2026-02-03",
    )
    item = PlannedActivity.objects.create(proposal=proposal, seq=1, kind="in", topic="Asesmen")
    line = BudgetLine.objects.create(
        proposal=proposal,
        planned=item,
        category="honorarium",
        description="Honor",
        planned_amount=15_000_000,
        amount=15_000_000,
        spent=1_000_000,
    )
    spending = Spending.objects.create(
        line=line,
        date="2026-02-05",
        description="Honor In 1",
        amount=1_000_000,
        receipt=ContentFile(b"%PDF-1.4", name="nota.pdf"),
    )
    fundreturn = FundReturn.objects.create(
        proposal=proposal,
        amount=1_000,
        date="2026-02-05",
        reference="NTPN",
        proof=ContentFile(b"%PDF-1.4", name="setor.pdf"),
    )
    taxdeposit = TaxDeposit.objects.create(
        proposal=proposal,
        tax_kind="pph21",
        amount=1_000,
        date="2026-02-05",
        reference="0A1B2C3D4E5F6G7H",
        proof=ContentFile(b"%PDF-1.4", name="setor-pajak.pdf"),
    )
    ukg = UkgImport.objects.create(
        user=actors["kab3471"],
        event=UkgEvent.objects.create(code="ukg-2015", name="UKG 2015", year=2015),
        filename="ukg.csv",
        sha256="x",
        status="rejected",
        error_count=1,
        error_report=ContentFile(b"Baris,Kolom\n", name="laporan.csv"),
    )
    cohort = Cohort.objects.create(
        name="Kemitraan IPA 2026",
        year=2026,
        ministry="kemendikbud",
        province_id="34",
        event=ukg.event,
        levels=["sd"],
    )
    upper = Tier.objects.create(cohort=cohort, rank=1, name="Guru Mitra 1", mentees=2)
    lower = Tier.objects.create(cohort=cohort, rank=2, name="Guru Mitra 2", max_score=55)
    host = Participant.objects.create(
        cohort=cohort,
        tier=upper,
        person=teacher,
        subject_id="ipa",
        jenjang="sd",
        regency_id="34.71",
        school=yogya_school,
        score=80,
    )
    partner = Participant.objects.create(
        cohort=cohort,
        tier=lower,
        person=newcomer,
        subject_id="ipa",
        jenjang="sd",
        regency_id="34.71",
        score=40,
    )
    pair = Pair.objects.create(cohort=cohort, host=host, partner=partner, gap=40, km=0, cost=6000)
    visit = Visit.objects.create(
        cohort=cohort,
        direction=Visit.Direction.OJL,
        host=host,
        school=yogya_school,
        regency_id="34.71",
        start=datetime.date(2026, 1, 5),
        days=3,
    )
    rundown_item = RundownItem.objects.create(
        visit=visit,
        day=1,
        starts=datetime.time(8),
        ends=datetime.time(9),
        activity=RundownItem.Activity.WELCOME,
    )
    VisitAttendance.objects.create(visit=visit, day=1, participant=partner, status="hadir")
    ObservationNote.objects.create(visit=visit, day=1, observed=host, text="Kelas aktif.")
    ActionPlan.objects.create(participant=partner, goal="Praktikum", steps="LKPD", indicator="70%")
    period = performance_services.period_for(datetime.date(2026, 2, 10))
    plan = Plan.objects.create(
        period=period,
        person=teacher,
        role="guru",
        school=yogya_school,
        province_id=yogya_school.province_id,
        regency_id=yogya_school.regency_id,
        ministry=yogya_school.ministry,
        status="agreed",
    )
    cycle = Cycle.objects.create(plan=plan, rubric=Rubric.objects.get(version="2023.1"))
    Stage.objects.bulk_create(Stage(cycle=cycle, kind=k) for k in range(1, 6))
    training = Event.objects.create(
        kind="pelatihan",
        title="Pelatihan Pengelolaan Kinerja",
        ministry="kemendikbud",
        office=standard_office(OfficeKind.BBGP, province=Province.objects.get(pk="34")),
        province_id="34",
        starts_on=datetime.date(2026, 3, 19),
        ends_on=datetime.date(2026, 3, 22),
        capacity=45,
        jp=32,
        positions=["kepala"],
        certificate_prefix="BBGP-DIY",
        status="closed",
    )
    trainee = TrainingParticipant.objects.create(
        event=training,
        person=head,
        regency_id="34.71",
        level_group="sd",
        school=yogya_school,
        checkin_token="matrix-token",
    )
    Session.objects.create(
        event=training,
        date=datetime.date(2026, 3, 19),
        title="Hari 1",
        starts=datetime.time(8),
        ends=datetime.time(16),
    )
    Quota.objects.create(event=training, regency_id="34.71", level_group="sd", seats=3)
    certificate = Certificate.objects.create(
        participant=trainee, number="BBGP-DIY/2026/00001", token="matrix-certificate"
    )
    material = Material.objects.create(
        event=training, title="Modul", file=ContentFile(b"%PDF-1.4\n", name="modul.pdf")
    )
    report = Report.objects.create(
        scope="K:34.71",
        kind="bulanan",
        period="2026-10",
        status="done",
        pdf=ContentFile(b"%PDF-1.4\n", name="laporan.pdf"),
    )
    ids = {
        "report": report.pk,
        "rfmt": "pdf",
        "region": "K:34.71",
        "measure": "schools",
        "tfmt": "xlsx",
        "certificate": certificate.pk,
        "tevent": training.pk,
        "tsession": training.sessions.first().pk,
        "tfacilitator": Facilitator.objects.create(
            event=training, person=newcomer, kind="praktisi"
        ).pk,
        "tmaterial": material.pk,
        "tparticipant": trainee.pk,
        "tmentoring": Mentoring.objects.create(participant=trainee, mentor=newcomer).pk,
        "cohort": cohort.pk,
        "participant": host.pk,
        "pair": pair.pk,
        "visit": visit.pk,
        "rundownitem": rundown_item.pk,
        "plan_participant": partner.pk,
        "day": 1,
        "plan": plan.pk,
        "period": period.pk,
        "kind": 1,
        "efmt": "csv",
        "ukgimport": ukg.pk,
        "programme": programme.pk,
        "proposal": proposal.pk,
        "item": item.pk,
        "line": line.pk,
        "spending": spending.pk,
        "fundreturn": fundreturn.pk,
        "taxdeposit": taxdeposit.pk,
        "fmt": "pdf",
        "school": yogya_school.npsn,
        "school_pk": yogya_school.pk,
        "person": teacher.pk,
        "correction": correction.pk,
        "importrun": importrun.pk,
        "token": token.pk,
        "user": account.pk,
        "assignment": assignment.pk,
        "group": group.pk,
        "membership": group.memberships.get().pk,
        "officer": officer.pk,
        "activity": activity.pk,
        "evidence": evidence.pk,
        "document": "sk",
        "nuptk": newcomer.nuptk,
        "person_id": teacher.pk,
        "newcomer_id": newcomer.pk,
    }
    return {
        "actors": actors,
        "ids": ids,
        "teacher": teacher,
        "school": yogya_school,
        "correction": correction,
        "assignment": assignment,
        "token": token,
        "account": account,
        "group": group,
        "officer": officer,
        "activity": activity,
        "proposal": proposal,
    }


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {_fill(k, ids): _fill(v, ids) for k, v in value.items()}
    return value


def _call(client, kind, method, url, payload):
    if isinstance(payload, dict) and "_upload" in payload:
        # A multipart endpoint: a fresh file each call, named by "_upload".
        data = {k: v for k, v in payload.items() if k != "_upload"}
        data[payload["_upload"]] = SimpleUploadedFile("nota.pdf", b"%PDF-1.4")
        return client.post(url, data)
    if kind == "api":
        body = payload if payload is not None else None
        return (
            getattr(client, method)(url, body, content_type="application/json")
            if (body is not None)
            else getattr(client, method)(url)
        )
    if method == "post":
        return client.post(url, payload or {})
    return client.get(url)


def _state(world):
    w = world
    return (
        w["school"].__class__.objects.get(pk=w["school"].pk).name,
        Person.objects.get(pk=w["teacher"].pk).name,
        CorrectionRequest.objects.get(pk=w["correction"].pk).status,
        RoleAssignment.objects.get(pk=w["assignment"].pk).revoked_at,
        ApiToken.objects.get(pk=w["token"].pk).revoked_at,
        User.objects.get(pk=w["account"].pk).session_generation,
        TOTPDevice.objects.filter(user=w["account"]).count(),
        User.objects.count(),
        WorkingGroup.objects.values_list("name", "status", "decree_file").get(pk=w["group"].pk),
        Membership.objects.filter(ended_on__isnull=True).count(),
        Officer.objects.filter(ended_on__isnull=True).count(),
        Activity.objects.values_list("topic", "status").get(pk=w["activity"].pk),
        Activity.objects.count(),
        Attendance.objects.values_list("status", flat=True).get(),
        Evidence.objects.count(),
        GrantProgramme.objects.values_list("status", "decision_number").get(),
        Proposal.objects.values_list("status", "goals", "review_level").get(),
        list(PlannedActivity.objects.values_list("topic", "students_change")),
        list(BudgetLine.objects.values_list("amount", "spent")),
        Spending.objects.count(),
        FundReturn.objects.count(),
        TaxDeposit.objects.count(),
        list(Cohort.objects.values_list("status", flat=True)),
        list(Participant.objects.order_by("pk").values_list("status", "note")),
        list(Pair.objects.order_by("pk").values_list("host_id", "partner_id", "locked")),
        list(Visit.objects.order_by("pk").values_list("start", "summary")),
        list(RundownItem.objects.order_by("pk").values_list("day", "starts", "activity")),
        list(VisitAttendance.objects.order_by("pk").values_list("day", "status")),
        ObservationNote.objects.count(),
        list(ActionPlan.objects.values_list("goal", "report")),
        list(Plan.objects.values_list("status", "version", "duties", "predikat")),
        list(Stage.objects.order_by("kind").values_list("done_at", "notes")),
        list(Cycle.objects.values_list("version", "reflect")),
        list(Period.objects.values_list("plan_closes", "run_closes", "assess_closes")),
        Review.objects.count(),
        TrainerChoice.objects.count(),
        list(Event.objects.values_list("status", "version", "jp")),
        list(Quota.objects.values_list("regency_id", "level_group", "seats")),
        list(
            TrainingParticipant.objects.order_by("pk").values_list(
                "status", "post_score", "registered_at"
            )
        ),
        list(Session.objects.order_by("pk").values_list("date", "title", "starts")),
        Venue.objects.count(),
        Facilitator.objects.count(),
        Material.objects.count(),
        CheckIn.objects.count(),
        Evaluation.objects.count(),
        Mentoring.objects.count(),
        MentoringVisit.objects.count(),
        Cascade.objects.count(),
        list(Certificate.objects.values_list("number", "revoked_at")),
        CertificateBatch.objects.count(),
        Report.objects.count(),
    )


MISSING = {
    "report": 999999,
    "rfmt": "pdf",
    "region": "K:99.99",
    "measure": "schools",
    "tfmt": "xlsx",
    "school": "99999999",
    "school_pk": 999999,
    "nuptk": "0000000000000000",
    "document": "sk",
    **dict.fromkeys(
        (
            "person",
            "person_id",
            "newcomer_id",
            "correction",
            "importrun",
            "token",
            "user",
            "assignment",
            "group",
            "membership",
            "officer",
            "activity",
            "evidence",
            "ukgimport",
            "programme",
            "proposal",
            "item",
            "line",
            "spending",
            "fundreturn",
            "taxdeposit",
            "cohort",
            "participant",
            "pair",
            "visit",
            "rundownitem",
            "plan_participant",
            "plan",
            "period",
            "certificate",
            "tevent",
            "tsession",
            "tfacilitator",
            "tmaterial",
            "tparticipant",
            "tmentoring",
        ),
        999999,
    ),
    "day": 1,
    "kind": 1,
    "efmt": "csv",
    "fmt": "pdf",
}


OFFICES = {"pusat", "prov34", "kab3471", "kab3404", "prov33", "kemenag3471", "bbgp34"}


def _allowed(kind, obj, is_change):
    allowed = CHANGES.get(obj, set()) if is_change else SEES[obj]
    return allowed & OFFICES if kind == "admin" else allowed


OUTSIDER_CASES = [
    (*e, actor) for e in ENDPOINTS for actor in ACTORS if actor not in _allowed(e[0], e[3], e[5])
]


@pytest.mark.parametrize(
    ("kind", "method", "template", "obj", "payload", "is_change", "actor"),
    OUTSIDER_CASES,
    ids=[f"{c[1].upper()} {c[2]} as {c[6]}" for c in OUTSIDER_CASES],
)
def test_outsider_gets_the_missing_object_404_and_changes_nothing(
    client, world, kind, method, template, obj, payload, is_change, actor
):
    client.force_login(world["actors"][actor])
    before = _state(world)
    missing = _call(client, kind, method, _fill(template, MISSING), _fill(payload, MISSING))
    response = _call(
        client, kind, method, _fill(template, world["ids"]), _fill(payload, world["ids"])
    )
    if kind == "admin":
        # The admin answers a hidden object as it answers a missing one: a redirect with
        # "does not exist" (or, for non-office users, to its login page).
        assert response.status_code == missing.status_code == 302
        assert response["Location"].split("?")[0] == missing["Location"].split("?")[0]
    elif actor in SEES[obj] and kind == "api":
        # Someone who may see the object but not change it is told so; nothing changes.
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
    else:
        assert missing.status_code == 404
        assert response.status_code == 404
        if kind == "api":
            assert response.json() == missing.json()
    assert _state(world) == before


@pytest.mark.parametrize(
    ("kind", "method", "template", "obj", "payload", "is_change"),
    [e for e in ENDPOINTS if e[1] == "get"],
    ids=[e[2] for e in ENDPOINTS if e[1] == "get"],
)
def test_insiders_can_open_what_their_scope_covers(
    client, world, kind, method, template, obj, payload, is_change
):
    for actor in sorted(_allowed(kind, obj, is_change)):
        client.force_login(world["actors"][actor])
        response = _call(client, kind, method, _fill(template, world["ids"]), None)
        assert response.status_code == 200, (actor, template, response.status_code)


def _django_paths(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith(("admin/", "api/")):
                continue
            yield from _django_paths(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield "/" + prefix + str(p.pattern)


def _placeholders_as_x(path: str) -> str:
    """/kelompok/<int:pk>/ and /api/v1/groups/{group_id} and a row's /kelompok/{group}/
    all read as .../{x}/ so they compare."""
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{x}", path)


def test_matrix_covers_every_object_endpoint():
    covered = {_placeholders_as_x(e[2].split("?")[0]) for e in ENDPOINTS if e[0] != "admin"}
    page_paths = {_placeholders_as_x(p) for p in _django_paths() if "<" in p}
    api_paths = {
        _placeholders_as_x(path) for path in api.get_openapi_schema()["paths"] if "{" in path
    }
    missing = (page_paths | api_paths) - covered - {_placeholders_as_x(p) for p in NOT_SCOPED}
    assert not missing, f"object endpoints without a scoping-matrix row: {sorted(missing)}"


@pytest.mark.parametrize("actor", ACTORS)
def test_every_policy_lists_each_visible_object_once(world, actor):
    """Counts on pages come from these querysets: a join that repeats rows would inflate them."""
    user = world["actors"][actor]
    for model in _policies:
        qs = visible(user, model)
        assert qs.count() == qs.values("pk").distinct().count(), (actor, model.__name__)


def test_scope_counts_match_what_each_actor_should_see(world):
    expected_schools = {
        "pusat": 1,
        "prov34": 1,
        "kab3471": 1,
        "kab3404": 0,
        "prov33": 0,
        "kepala": 1,
        "pengawas": 1,
        "ketua": 1,
        "guru": 1,
        "narasumber33": 0,
        "kemenag3471": 1,
        "pengawasmadrasah": 1,
        "bbgp34": 1,
    }
    # the teacher, the head and a newcomer at the Yogyakarta school
    expected_people = {
        "pusat": 3,
        "prov34": 3,
        "kab3471": 3,
        "kab3404": 0,
        "prov33": 0,
        "kepala": 3,
        "pengawas": 3,
        "ketua": 1,
        "guru": 1,
        "narasumber33": 0,
        "kemenag3471": 3,
        "pengawasmadrasah": 3,
        "bbgp34": 3,
    }
    for actor, user in world["actors"].items():
        assert visible(user, School).count() == expected_schools[actor], actor
        assert visible(user, Person).count() == expected_people[actor], actor
