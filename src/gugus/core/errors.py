"""One application error type, mapped to a page message or a JSON body in one place."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refusal the user can understand: a stable code plus a translated message."""

    code = "invalid"
    status = 400

    def __init__(
        self,
        message=None,
        *,
        code: str | None = None,
        field: str | None = None,
        details: list | None = None,
    ):
        self.message = message if message is not None else self.default_message()
        if code:
            self.code = code
        self.field = field
        # A refusal of one field names it in `details` too, so every client reads fields
        # from one place (API bodies, forms, import reports).
        self.details = details or (
            [{"field": field, "message": str(self.message)}] if field else []
        )
        super().__init__(str(self.message))

    def default_message(self):
        return _("The request is not valid.")


class NotFound(DomainError):
    """Missing and out-of-scope objects answer alike, so scope leaks nothing."""

    code = "not_found"
    status = 404

    def default_message(self):
        return _("Not found.")


class Forbidden(DomainError):
    code = "forbidden"
    status = 403

    def default_message(self):
        return _("You are not allowed to do this.")


class FieldErrors(DomainError):
    """One or more fields are invalid; `details` lists {"field", "message"}."""

    code = "invalid"

    def __init__(self, errors: list[tuple[str, object]]):
        details = [{"field": f, "message": str(m)} for f, m in errors]
        super().__init__(
            "; ".join(f"{d['field']}: {d['message']}" for d in details), details=details
        )


class Conflict(DomainError):
    """Someone saved the record since the caller read it: nothing is overwritten, and
    `details` holds, per field that differs, the saved value and the caller's."""

    code = "conflict"
    status = 409

    def __init__(self, message=None, *, theirs: dict, yours: dict):
        details = [
            {
                "field": f,
                "message": str(message or self.default_message()),
                "saved": theirs[f],
                "yours": yours.get(f),
            }
            for f in theirs
            if (theirs[f] or None) != (yours.get(f) or None)  # empty is empty
        ]
        super().__init__(message, details=details)

    def default_message(self):
        return _("Someone else saved this in the meantime; compare both versions.")
