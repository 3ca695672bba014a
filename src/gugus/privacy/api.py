"""A person's own data, and the log of personal-data downloads."""

import datetime

from ninja import Query, Router, Schema

from gugus.core.access import visible
from gugus.core.apitypes import PageOut, PageQuery, file_response, page_out
from gugus.core.views import attachment
from gugus.directory.models import PersonAccessLog
from gugus.privacy import services
from gugus.privacy.selectors import download_label

router = Router(tags=["personal data"])


class SectionOut(Schema):
    key: str
    title: str
    rows: list[dict]


class OwnDataOut(Schema):
    generated_at: str
    person_id: int | None
    user_id: int | None
    sections: list[SectionOut]


class AccessOut(Schema):
    id: int
    at: datetime.datetime
    user: str
    what: str
    label: str
    rows: int
    filters: dict
    province_id: str
    regency_id: str


@router.get("/me/data", response=OwnDataOut)
def own_data(request):
    """Everything Gugus holds about the caller (UU 27/2022); logged as a download."""
    return services.own_data_read(actor=request.auth, fmt="json").as_json()


@router.get("/me/data.pdf", **file_response("Your data as a PDF", ("application/pdf",)))
def own_data_pdf(request):
    """The same as a PDF to read or print; logged as a download."""
    document = services.own_data_document(actor=request.auth, fmt="pdf")
    return attachment(document.body, document.filename, document.content_type)


@router.get("/personal-data-access", response=PageOut[AccessOut])
def access_log(request, q: Query[PageQuery]):
    """Downloads of personal data: national administrators see all, a province or kab/kota
    office's administrator those of readers working in its region, anyone else their own."""
    entries = visible(request.auth, PersonAccessLog).select_related("user")
    return page_out(
        request,
        entries,
        q.page,
        q.page_size,
        item=lambda e: {
            "id": e.pk,
            "at": e.at,
            "user": e.user.username,
            "what": e.what,
            "label": download_label(e.what),
            "rows": e.rows,
            "filters": e.filters,
            "province_id": e.province_id,
            "regency_id": e.regency_id,
        },
    )
