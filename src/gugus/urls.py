from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from gugus import views as project_views
from gugus.accounts import views as account_views
from gugus.api import api
from gugus.communities import views as group_views
from gugus.competency import views as competency_views
from gugus.core import views as core_views
from gugus.directory import views as directory_views
from gugus.grants import views as grant_views
from gugus.insights import views as insight_views
from gugus.partnership import views as partnership_views
from gugus.performance import views as performance_views
from gugus.privacy import views as privacy_views
from gugus.training import views as training_views

urlpatterns = [
    path("", project_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sandi/ubah/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "sandi/ubah/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("sandi/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "sandi/reset/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "sandi/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "sandi/reset/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("masuk/kode/", account_views.second_factor_verify, name="second_factor_verify"),
    path("akun/keamanan/", account_views.account_security, name="account_security"),
    path(
        "akun/<int:pk>/keluarkan/", account_views.user_sessions_revoke, name="user_sessions_revoke"
    ),
    path(
        "akun/<int:pk>/faktor-kedua/hapus/",
        account_views.user_second_factor_reset,
        name="user_second_factor_reset",
    ),
    path("audit/masuk/", account_views.sign_in_audit, name="sign_in_audit"),
    path("akun/token/", account_views.token_list, name="token_list"),
    path("akun/token/<int:pk>/cabut/", account_views.token_revoke, name="token_revoke"),
    path("audit/", core_views.audit_list, name="audit_list"),
    path("dasbor/", insight_views.dashboard_home, name="insights_home"),
    path("dasbor/kelompok/<int:pk>/", insight_views.group, name="insights_group"),
    path("dasbor/sekolah/<str:npsn>/", insight_views.school, name="insights_school"),
    path("dasbor/laporan/<int:pk>/", insight_views.report_status, name="insights_report"),
    path(
        "dasbor/laporan/<int:pk>.<str:fmt>", insight_views.report_file, name="insights_report_file"
    ),
    path("dasbor/<str:scope>/", insight_views.region, name="insights_region"),
    path("dasbor/<str:scope>/laporan/", insight_views.report_list, name="insights_reports"),
    path("dasbor/<str:scope>/dampak/", insight_views.impact_view, name="insights_impact"),
    path(
        "dasbor/<str:scope>/tabel.<str:fmt>",
        insight_views.region_table,
        name="insights_region_table",
    ),
    path("dasbor/<str:scope>/<str:measure>/", insight_views.records, name="insights_records"),
    path("verifikasi/<str:token>/", training_views.certificate_verify, name="certificate_verify"),
    path("pelatihan/", training_views.training_list, name="training_list"),
    path("pelatihan/baru/", training_views.training_create, name="training_create"),
    path("pelatihan/saya/", training_views.my_training, name="my_training"),
    path("pelatihan/usulan/", training_views.office_nominations, name="training_nominations"),
    path("pelatihan/<int:pk>/", training_views.training_detail, name="training_detail"),
    path("pelatihan/<int:pk>/aksi/", training_views.training_action, name="training_action"),
    path(
        "pelatihan/<int:pk>/peserta.xlsx",
        training_views.participants_xlsx,
        name="training_participants_xlsx",
    ),
    path(
        "pelatihan/<int:pk>/sertifikat/progres/",
        training_views.certificate_progress,
        name="training_certificate_progress",
    ),
    path(
        "pelatihan/sesi/<int:pk>/presensi/", training_views.session_checkin, name="training_checkin"
    ),
    path(
        "pelatihan/peserta/<int:pk>/",
        training_views.participant_detail,
        name="training_participant",
    ),
    path(
        "pelatihan/peserta/<int:pk>/aksi/",
        training_views.participant_action,
        name="training_participant_action",
    ),
    path(
        "pelatihan/sertifikat/<int:pk>.pdf",
        training_views.certificate_pdf,
        name="training_certificate_pdf",
    ),
    path("pelatihan/materi/<int:pk>/", training_views.material_file, name="training_material"),
    path("ptk/<int:pk>/transkrip/", training_views.person_transcript, name="person_transcript"),
    path(
        "ptk/<int:pk>/transkrip.pdf",
        training_views.person_transcript_pdf,
        name="person_transcript_pdf",
    ),
    path("sekolah/", directory_views.school_list, name="school_list"),
    path("sekolah/baru/", directory_views.school_create, name="school_create"),
    path("sekolah/<str:npsn>/", directory_views.school_detail, name="school_detail"),
    path("sekolah/<str:npsn>/ubah/", directory_views.school_update, name="school_update"),
    path("sekolah/<str:npsn>/hapus/", directory_views.school_delete, name="school_delete"),
    path("ptk/", directory_views.person_list, name="person_list"),
    path("ptk/ekspor.xlsx", directory_views.person_export, name="person_export"),
    path("ptk/baru/", directory_views.person_create, name="person_create"),
    path("ptk/<int:pk>/", directory_views.person_detail, name="person_detail"),
    path("ptk/<int:pk>/ubah/", directory_views.person_update, name="person_update"),
    path("ptk/<int:pk>/akun/", account_views.person_account, name="person_account"),
    path("ptk/<int:pk>/hapus/", directory_views.person_delete, name="person_delete"),
    path("saya/", directory_views.my_data, name="my_data"),
    path("saya/semua-data/", privacy_views.own_data_page, name="own_data"),
    path("saya/semua-data.<str:fmt>", privacy_views.own_data_file, name="own_data_file"),
    path("akses-data/", privacy_views.access_log, name="personal_data_access"),
    path("saya/koreksi/", directory_views.correction_create, name="correction_create"),
    path("koreksi/", directory_views.correction_list, name="correction_list"),
    path("koreksi/<int:pk>/", directory_views.correction_detail, name="correction_detail"),
    path(
        "koreksi/<int:pk>/bukti/", directory_views.correction_evidence, name="correction_evidence"
    ),
    path(
        "koreksi/<int:pk>/tarik/", directory_views.correction_withdraw, name="correction_withdraw"
    ),
    path("kompetensi/", competency_views.competency_map, name="competency_map"),
    path("kemitraan/", partnership_views.cohort_list, name="cohort_list"),
    path("kemitraan/baru/", partnership_views.cohort_create, name="cohort_create"),
    path("kemitraan/<int:pk>/", partnership_views.cohort_detail, name="cohort_detail"),
    path("kemitraan/<int:pk>/aksi/", partnership_views.cohort_action, name="cohort_action"),
    path("kemitraan/saya/", partnership_views.my_partnership, name="my_partnership"),
    path("kinerja/", performance_views.semester, name="semester"),
    path("kinerja/buka/", performance_views.plan_open, name="plan_open"),
    path("kinerja/<int:pk>/", performance_views.plan_detail, name="plan_detail"),
    path("kinerja/<int:pk>/observasi/", performance_views.observation, name="observation"),
    path("kinerja/<int:pk>/rekam.pdf", performance_views.plan_record, name="plan_record"),
    path(
        "kinerja/semester/<int:pk>/ekinerja.<str:fmt>",
        performance_views.ekinerja,
        name="ekinerja",
    ),
    path("kemitraan/<int:pk>/unduh.xlsx", partnership_views.cohort_export, name="cohort_export"),
    path("kemitraan/kunjungan/<int:pk>/", partnership_views.visit_detail, name="visit_detail"),
    path("kemitraan/kunjungan/<int:pk>/aksi/", partnership_views.visit_action, name="visit_action"),
    path(
        "kemitraan/kunjungan/<int:pk>/hadir/<int:day>/",
        partnership_views.visit_attendance,
        name="visit_attendance",
    ),
    path(
        "kemitraan/kunjungan/<int:pk>/unduh.<str:fmt>",
        partnership_views.visit_download,
        name="visit_download",
    ),
    path(
        "kemitraan/acara/<int:pk>/", partnership_views.rundown_item_edit, name="rundown_item_edit"
    ),
    path(
        "kemitraan/peserta/<int:pk>/rencana-aksi/",
        partnership_views.action_plan,
        name="action_plan",
    ),
    path(
        "kompetensi/ekspor.xlsx",
        competency_views.competency_map_export,
        name="competency_map_export",
    ),
    path(
        "kompetensi/kelompok/<int:pk>/",
        competency_views.group_competency,
        name="group_competency",
    ),
    path(
        "kompetensi/kelompok/<int:pk>/pelatih/",
        competency_views.trainer_choose,
        name="trainer_choose",
    ),
    path("saya/ukg/", competency_views.my_results, name="my_results"),
    path("ukg/impor/", competency_views.ukg_upload, name="ukg_upload"),
    path("ukg/impor/<int:pk>/", competency_views.ukg_import_detail, name="ukg_import_detail"),
    path(
        "ukg/impor/<int:pk>/laporan.csv", competency_views.ukg_error_report, name="ukg_error_report"
    ),
    path("bantuan/", grant_views.programme_list, name="programme_list"),
    path("bantuan/baru/", grant_views.programme_create, name="programme_create"),
    path("bantuan/<int:pk>/", grant_views.programme_detail, name="programme_detail"),
    path("bantuan/<int:pk>/aksi/", grant_views.programme_action, name="programme_action"),
    path(
        "bantuan/<int:pk>/sk.<str:fmt>",
        grant_views.decision_export,
        name="decision_export",
    ),
    path(
        "bantuan/<int:pk>/ajukan/<int:group_pk>/",
        grant_views.proposal_start,
        name="proposal_start",
    ),
    path("usulan/<int:pk>/", grant_views.proposal_detail, name="proposal_detail"),
    path("usulan/<int:pk>/keuangan/", grant_views.proposal_money, name="proposal_money"),
    path("usulan/<int:pk>/aksi/", grant_views.proposal_action, name="proposal_action"),
    path("usulan/<int:pk>/lpj.<str:fmt>", grant_views.lpj_export, name="lpj_export"),
    path("belanja/<int:pk>/nota/", grant_views.receipt_file, name="receipt_file"),
    path("pengembalian/<int:pk>/bukti/", grant_views.return_proof_file, name="return_proof_file"),
    path("setoran-pajak/<int:pk>/bukti/", grant_views.tax_proof_file, name="tax_proof_file"),
    path("kelompok/", group_views.group_list, name="group_list"),
    path("kelompok/baru/", group_views.group_create, name="group_create"),
    path("kelompok/ekspor.xlsx", group_views.group_export, name="group_export"),
    path("kelompok/<int:pk>/", group_views.group_detail, name="group_detail"),
    path("kelompok/<int:pk>/ubah/", group_views.group_update, name="group_update"),
    path("kelompok/<int:pk>/status/", group_views.group_transition, name="group_transition"),
    path("kelompok/<int:pk>/anggota/", group_views.member_add, name="member_add"),
    path("kelompok/<int:pk>/pengurus/", group_views.officer_appoint, name="officer_appoint"),
    path("kelompok/<int:pk>/kegiatan/baru/", group_views.activity_create, name="activity_create"),
    path(
        "kelompok/<int:pk>/kehadiran.xlsx", group_views.attendance_export, name="attendance_export"
    ),
    path("keanggotaan/<int:pk>/akhiri/", group_views.member_end, name="member_end"),
    path("pengurus/<int:pk>/akhiri/", group_views.officer_end, name="officer_end"),
    path("kegiatan/<int:pk>/", group_views.activity_detail, name="activity_detail"),
    path("kegiatan/<int:pk>/ubah/", group_views.activity_update, name="activity_update"),
    path("kegiatan/<int:pk>/status/", group_views.activity_status, name="activity_status"),
    path("kegiatan/<int:pk>/bukti/", group_views.evidence_upload, name="evidence_upload"),
    path("bukti/<int:pk>/", group_views.evidence_download, name="evidence_download"),
    path(
        "kelompok/<int:pk>/dokumen/<str:document>/",
        group_views.group_document,
        name="group_document",
    ),
    path("saya/kelompok/", group_views.my_groups, name="my_groups"),
    path("keaktifan/", group_views.region_activeness, name="region_activeness"),
    path("impor/", directory_views.import_upload, name="import_upload"),
    path("impor/templat/<str:kind>.csv", directory_views.import_template, name="import_template"),
    path("impor/<int:pk>/", directory_views.import_detail, name="import_detail"),
    path("impor/<int:pk>/laporan.csv", directory_views.import_report, name="import_report"),
]
