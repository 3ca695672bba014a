"""The dashboards as their users meet them: the numbers shown are the records' own counts,
each links to a list of exactly those records, the map draws every region in the class of
its figure, and a page costs the same queries for the nation as for a kab/kota."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from gugus.communities.models import WorkingGroup
from gugus.core import pagination
from gugus.core.roles import Role
from gugus.directory.models import Province, Regency, School
from gugus.insights import rollups
from tests.factories.accounts import user_with_role
from tests.factories.directory import SchoolFactory

pytestmark = pytest.mark.usefixtures("indonesian")


def _cell(html: str, indicator: str, column: int) -> str:
    """The text of one figure: the indicator's row, column 0 Kemendikbud, 1 Kemenag,
    2 total."""
    row = re.search(rf'<tr data-indicator="{indicator}">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    return re.sub(r"<[^>]+>", "", cells[column]).strip()


def _link(html: str, indicator: str, column: int) -> str:
    row = re.search(rf'<tr data-indicator="{indicator}">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    return re.search(r'href="([^"]+)"', cells[column]).group(1).replace("&amp;", "&")


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@pytest.fixture
def province_admin(world):
    return user_with_role(Role.ADMIN_PROVINSI, province=Province.objects.get(code="34"))


def test_a_province_dashboard_shows_its_own_counts_for_both_ministries(client, province_admin):
    client.force_login(province_admin)
    html = client.get("/dasbor/P:34/?tahun=2026").content.decode()
    for column, ministry in ((0, "kemendikbud"), (1, "kemenag")):
        schools = School.objects.filter(province_id="34", ministry=ministry).count()
        assert _cell(html, "schools", column) == _thousands(schools)
        groups = WorkingGroup.objects.filter(
            province_id="34", ministry=ministry, status__in=("verified", "active")
        ).count()
        assert _cell(html, "groups", column) == _thousands(groups)
    assert _cell(html, "schools", 2) == _thousands(School.objects.filter(province_id="34").count())
    # Gorontalo's schools are not in Yogyakarta's figures.
    assert School.objects.filter(province_id="75").exists()


def test_every_number_opens_exactly_the_records_behind_it(client, province_admin):
    client.force_login(province_admin)
    html = client.get("/dasbor/P:34/?tahun=2026").content.decode()
    for indicator, column in (("schools", 0), ("groups_active", 0), ("teachers", 2)):
        listed = client.get(_link(html, indicator, column)).content.decode()
        shown = int(_cell(html, indicator, column).replace(".", ""))
        total = re.search(r"dari (\d[\d.]*)", listed)
        assert total and int(total.group(1).replace(".", "")) == shown, indicator
        assert f"Angka ini mencakup {_thousands(shown)} " in listed
    # Kemenag's groups are counted for the Dinas, but listed only to Kemenag's offices.
    listed = client.get(_link(html, "groups_active", 1)).content.decode()
    shown = _cell(html, "groups_active", 1)
    assert f"Angka ini mencakup {shown} data." in listed
    assert "Tidak ada yang dapat Anda lihat." in listed


def test_a_long_list_behind_a_number_is_counted_only_up_to_the_cap(
    client, province_admin, monkeypatch
):
    """The nation's records are millions; counting them all on every page would scan."""
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    client.force_login(province_admin)
    html = client.get("/dasbor/P:34/?tahun=2026").content.decode()
    assert int(_cell(html, "schools", 2).replace(".", "")) > 2
    listed = client.get(_link(html, "schools", 2)).content.decode()
    assert "Angka ini mencakup 2+ data." in listed
    assert "dari 2+" in listed


def test_the_map_draws_every_region_in_the_class_of_its_figure(client, world):
    client.force_login(user_with_role(Role.ADMIN_PUSAT))
    html = client.get("/dasbor/N/?peta=ukg_mean").content.decode()
    paths = re.findall(
        r'<path d="([^"]+)" class="region (c\d|none)" fill="[^"]+" stroke="[^"]+" '
        r'data-code="(\d\d)"',
        html,
    )
    assert len(paths) == 38 == len({code for _d, _c, code in paths})
    assert all(d.startswith("M") and d.endswith("Z") for d, _c, _code in paths)
    rows = dict(re.findall(r'<tr data-code="(\d\d)" data-class="(c\d|none)">', html))
    assert {code: css for _d, css, code in paths} == rows
    # Yogyakarta and Gorontalo have results, every other province none.
    assert {code for code, css in rows.items() if css != "none"} == {"34", "75"}
    legend = re.findall(r'<span class="swatch region (c\d|none)"', html)
    assert legend == ["c0", "c1", "c2", "c3", "c4", "none"]
    assert "di bawah 50,00" in html  # the legend states each class's bounds

    province = client.get("/dasbor/P:34/").content.decode()
    drawn = set(re.findall(r'data-code="(34\.\d\d)"', province))
    assert drawn == set(Regency.objects.filter(province_id="34").values_list("code", flat=True))


def test_the_nation_costs_the_queries_a_district_costs(client, world):
    client.force_login(user_with_role(Role.ADMIN_PUSAT))

    def queries(scope):
        client.get(f"/dasbor/{scope}/")  # warm the session and the boundaries
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/dasbor/{scope}/").status_code == 200
        return len(captured)

    counts = {scope: queries(scope) for scope in ("N", "P:34", "K:34.71")}
    # The province and the kab/kota read their own name; the kab/kota lists its groups
    # instead of drawing a map.
    assert counts["P:34"] == counts["N"] + 1
    assert counts["N"] <= counts["K:34.71"] <= counts["N"] + 2
    assert counts["N"] <= 12
    # Many more records: the same queries (the page reads tallies, never the records).
    SchoolFactory.create_batch(40)
    rollups.refresh()
    assert queries("N") == counts["N"]


def test_the_figures_download_as_a_workbook_and_csv(client, province_admin):
    client.force_login(province_admin)
    response = client.get("/dasbor/P:34/tabel.xlsx?tahun=2026")
    book = load_workbook(io.BytesIO(response.content))
    figures, regions = book.worksheets
    rows = {r[1]: r[2:] for r in figures.iter_rows(values_only=True)}
    kemendikbud = School.objects.filter(province_id="34", ministry="kemendikbud").count()
    assert rows["Sekolah"][0] == kemendikbud
    assert regions.max_row == 1 + Regency.objects.filter(province_id="34").count()
    csv = client.get("/dasbor/P:34/tabel.csv?tahun=2026").content.decode()
    assert f"Sekolah,{kemendikbud}," in csv


def test_each_office_opens_its_own_region_and_no_other(client, world):
    office = user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))
    client.force_login(office)
    assert client.get("/dasbor/").url == "/dasbor/K:34.71/"
    assert client.get("/dasbor/K:34.71/").status_code == 200
    assert client.get("/dasbor/K:34.04/").status_code == 404
    assert client.get("/dasbor/P:34/").status_code == 404
    assert client.get("/dasbor/N/").status_code == 404


def test_a_district_lists_its_groups_and_each_opens_its_dashboard(client, world):
    office = user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))
    client.force_login(office)
    html = client.get("/dasbor/K:34.71/").content.decode()
    links = re.findall(r'href="/dasbor/kelompok/(\d+)/"', html)
    assert links
    group = WorkingGroup.objects.get(pk=links[0])
    assert group.regency_id == "34.71"
    page = client.get(f"/dasbor/kelompok/{group.pk}/?tahun=2026").content.decode()
    held = group.activities.filter(status="held", date__year=2026).count()
    shown = re.search(
        rf'Kegiatan terlaksana</td><td class="num"><a href="/kelompok/{group.pk}/">{held}</a>', page
    )
    assert shown  # the figure opens the group's page, where its activities are listed


def test_a_records_page_costs_the_same_queries_however_many_rows(client, province_admin):
    client.force_login(province_admin)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # Training participants print their person and event: read with them, not one by one.
    listed = client.get("/dasbor/P:34/nominated/?periode=2025").content.decode()
    assert listed.count('href="/pelatihan/peserta/') == 7
    assert queries("/dasbor/P:34/nominated/?periode=2025") == queries(
        "/dasbor/P:34/nominated/?periode=1999"
    )
