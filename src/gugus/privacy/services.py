"""Handing a person their own data: gathered, and logged like every personal-data
download (who, when, what)."""

from gugus.core.documents import Document
from gugus.directory.services import personal_data_read
from gugus.privacy import documents
from gugus.privacy.selectors import OwnData, own_data


def own_data_read(*, actor, fmt: str) -> OwnData:
    data = own_data(user=actor)
    personal_data_read(actor=actor, what=f"own_data_{fmt}", rows=1)
    return data


def own_data_document(*, actor, fmt: str) -> Document:
    data = own_data_read(actor=actor, fmt=fmt)
    return (documents.own_data_pdf if fmt == "pdf" else documents.own_data_json)(data)
