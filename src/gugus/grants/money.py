"""The grant's money after disbursement: spending against RAB lines, reallocations
between lines, returned funds, tax withheld and deposited, and the running totals.

A line's `spent` moves only here, inside a transaction that locks the line
(`select_for_update`) and adds with an UPDATE on the row itself, with a database check
(`spent <= amount`) behind both: two entries racing for the last rupiah of a line cannot
both pass, and no update is lost. Every write locks the proposal first (then its lines,
by id), so spending, reallocations and returns queue on one lock and the group's balance
(disbursed - spent - returned) is read and changed by one of them at a time: spent plus
returned never exceeds what was paid in. Amounts are whole rupiah (`parse_rupiah`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from gugus.core import audit, clock
from gugus.core.access import user_of
from gugus.core.changes import mark_places
from gugus.core.cleaning import clean_choice, clean_date, clean_rupiah, clean_text, normalize_name
from gugus.core.errors import DomainError, FieldErrors
from gugus.core.formats import parse_rupiah, rupiah
from gugus.core.uploads import check_upload
from gugus.grants.models import (
    BudgetLine,
    FundReturn,
    Proposal,
    Reallocation,
    Spending,
    TaxDeposit,
)
from gugus.grants.workflow import proposal_step


@dataclass(frozen=True)
class Totals:
    planned: Decimal
    disbursed: Decimal
    spent: Decimal
    tax: Decimal
    returned: Decimal

    @property
    def balance(self) -> Decimal:
        """Money the group still holds: paid in, less spent, less paid back."""
        return self.disbursed - self.spent - self.returned


def totals(proposal: Proposal) -> Totals:
    lines = proposal.budget.aggregate(planned=Sum("planned_amount"), spent=Sum("spent"))
    tax = Spending.objects.filter(line__proposal=proposal).aggregate(t=Sum("tax_amount"))["t"]
    returned = proposal.returns.aggregate(t=Sum("amount"))["t"]
    return Totals(
        planned=lines["planned"] or Decimal(0),
        disbursed=proposal.disbursed_amount or Decimal(0),
        spent=lines["spent"] or Decimal(0),
        tax=tax or Decimal(0),
        returned=returned or Decimal(0),
    )


def _receipt_check(upload, field):
    return check_upload(
        upload, field=field, families=("image", "pdf"), expected=_("a photo or a PDF")
    )


def _spending_date(proposal: Proposal, raw, errors) -> datetime.date | None:
    day = clean_date(raw, "date", errors)
    if day is None:
        return None
    if proposal.disbursed_on and day < proposal.disbursed_on:
        errors.append(("date", _("Spending comes after the funds were paid.")))
    elif day > clock.today():
        errors.append(("date", _("Record spending once it has happened.")))
    return day


@transaction.atomic
def spending_record(
    *, actor, line: BudgetLine, data: dict, receipt, source: str = "web"
) -> Spending:
    """Record money spent on a line, with its receipt and the tax withheld. Refused when
    it would take the line past its amount (move money with a reallocation first) or
    spend more than the group holds. The proposal is locked first, as returns lock it,
    so spending and a return cannot both pass on the same balance."""
    proposal = Proposal.objects.select_for_update().select_related("group").get(pk=line.proposal_id)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    line.proposal = proposal
    proposal_step(actor, proposal, "spend")
    errors: list[tuple[str, Any]] = []
    day = _spending_date(proposal, data.get("date"), errors)
    description = normalize_name(clean_text(data.get("description")))[:200]
    if not description:
        errors.append(("description", _("Describe what was bought or paid.")))
    amount = clean_rupiah(data.get("amount"), "amount", errors)
    tax_kind = clean_choice(data.get("tax_kind") or "", Spending.Tax, "tax_kind", errors)
    tax = parse_rupiah(data.get("tax_amount") or 0)
    if tax is None or tax < 0 or (amount is not None and tax > amount):
        errors.append(("tax_amount", _("The tax is a whole number between zero and the amount.")))
    elif tax and not tax_kind:
        errors.append(("tax_kind", _("Say which tax was withheld.")))
    if errors:
        raise FieldErrors(errors)
    receipt = _receipt_check(receipt, "receipt")
    if amount > line.remaining:
        raise DomainError(
            _(
                "%(line)s has %(left)s left; %(amount)s is more. Record a reallocation from "
                "another line first."
            )
            % {"line": line.description, "left": rupiah(line.remaining), "amount": rupiah(amount)},
            code="overspend",
            field="amount",
        )
    balance = totals(proposal).balance
    if amount > balance:
        raise DomainError(
            _("The group holds %(balance)s; it cannot spend %(amount)s.")
            % {"balance": rupiah(balance), "amount": rupiah(amount)},
            code="overbalance",
            field="amount",
        )
    try:
        with transaction.atomic():
            updated = BudgetLine.objects.filter(pk=line.pk, spent__lte=F("amount") - amount).update(
                spent=F("spent") + amount
            )
    except IntegrityError:
        updated = 0
    if not updated:  # only reachable when the database lacks row locks
        raise DomainError(_("The line changed meanwhile; try again."), code="conflict")
    mark_places([(proposal.group.province_id, proposal.group.regency_id)])
    spending = Spending.objects.create(
        line=line,
        date=day,
        description=description,
        amount=amount,
        tax_kind=tax_kind,
        tax_amount=tax,
        receipt=receipt,
        recorded_by=user_of(actor),
        recorded_at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="spend",
        obj=spending,
        source=source,
        changes={
            "amount": [None, str(amount)],
            "tax": [None, [tax_kind, str(tax)]],
            "line_spent": [str(line.spent), str(line.spent + amount)],
        },
        **proposal.audit_region,
    )
    return spending


@transaction.atomic
def reallocation_record(
    *, actor, proposal: Proposal, from_line, to_line, amount, reason: str, source: str = "web"
) -> Reallocation:
    """Move unspent money from one RAB line to another, with the reason recorded."""
    proposal = Proposal.objects.select_for_update().select_related("group").get(pk=proposal.pk)
    lines = {
        line.pk: line
        for line in BudgetLine.objects.select_for_update()
        .filter(
            proposal=proposal,
            pk__in=[getattr(from_line, "pk", from_line), getattr(to_line, "pk", to_line)],
        )
        .order_by("pk")
    }
    proposal_step(actor, proposal, "reallocate")
    errors: list[tuple[str, Any]] = []
    source_line = lines.get(int(getattr(from_line, "pk", from_line) or 0))
    target_line = lines.get(int(getattr(to_line, "pk", to_line) or 0))
    if source_line is None:
        errors.append(("from_line", _("Choose a line of this grant.")))
    if target_line is None:
        errors.append(("to_line", _("Choose a line of this grant.")))
    if source_line and target_line and source_line.pk == target_line.pk:
        errors.append(("to_line", _("Choose a different line.")))
    value = clean_rupiah(amount, "amount", errors)
    reason = clean_text(reason)
    if not reason:
        errors.append(("reason", _("Give the reason for moving the money.")))
    if errors:
        raise FieldErrors(errors)
    if value > source_line.remaining:
        raise DomainError(
            _("%(line)s has only %(left)s unspent.")
            % {"line": source_line.description, "left": rupiah(source_line.remaining)},
            code="overspend",
            field="amount",
        )
    BudgetLine.objects.filter(pk=source_line.pk).update(amount=F("amount") - value)
    BudgetLine.objects.filter(pk=target_line.pk).update(amount=F("amount") + value)
    moved = Reallocation.objects.create(
        proposal=proposal,
        from_line=source_line,
        to_line=target_line,
        amount=value,
        reason=reason,
        recorded_by=user_of(actor),
        recorded_at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="reallocate",
        obj=moved,
        source=source,
        changes={
            "from": [str(source_line.amount), str(source_line.amount - value)],
            "to": [str(target_line.amount), str(target_line.amount + value)],
            "reason": [None, reason],
        },
        **proposal.audit_region,
    )
    return moved


@dataclass(frozen=True)
class TaxLine:
    """One tax of a grant: withheld from spending, deposited to the state, still owed."""

    kind: str
    label: str
    withheld: Decimal
    deposited: Decimal

    @property
    def owed(self) -> Decimal:
        return self.withheld - self.deposited


def tax_lines(proposal: Proposal) -> list[TaxLine]:
    """Per tax kind, what was withheld and what was deposited (the LPJ lists both)."""
    withheld = dict(
        Spending.objects.filter(line__proposal=proposal, tax_amount__gt=0)
        .values("tax_kind")
        .annotate(t=Sum("tax_amount"))
        .values_list("tax_kind", "t")
    )
    deposited = dict(
        proposal.tax_deposits.values("tax_kind")
        .annotate(t=Sum("amount"))
        .values_list("tax_kind", "t")
    )
    return [
        TaxLine(
            kind=kind,
            label=str(Spending.Tax(kind).label),
            withheld=withheld.get(kind, Decimal(0)),
            deposited=deposited.get(kind, Decimal(0)),
        )
        for kind in Spending.Tax.values
        if kind and (kind in withheld or kind in deposited)
    ]


# An NTPN (16 letters and digits, on the bank's receipt) or a billing code (15 digits).
TAX_REFERENCE = re.compile(r"[0-9A-Z]{16}|[0-9]{15}")


@transaction.atomic
def tax_deposit_record(
    *, actor, proposal: Proposal, data: dict, proof, source: str = "web"
) -> TaxDeposit:
    """Tax withheld from spending, deposited to the state with its NTPN and proof. Never
    more than what was withheld of that tax and not yet deposited."""
    proposal = Proposal.objects.select_for_update().select_related("group").get(pk=proposal.pk)
    proposal_step(actor, proposal, "deposit_tax")
    errors: list[tuple[str, Any]] = []
    kind = clean_choice(data.get("tax_kind") or "", Spending.Tax, "tax_kind", errors)
    if not kind and not errors:
        errors.append(("tax_kind", _("Say which tax was deposited.")))
    value = clean_rupiah(data.get("amount"), "amount", errors)
    day = _spending_date(proposal, data.get("date"), errors)
    reference = re.sub(r"[\s-]", "", clean_text(data.get("reference"))).upper()
    if not TAX_REFERENCE.fullmatch(reference):
        errors.append(
            (
                "reference",
                _("Give the NTPN (16 letters and digits) or the billing code (15 digits)."),
            )
        )
    if errors:
        raise FieldErrors(errors)
    proof = _receipt_check(proof, "proof")
    owed = next((t.owed for t in tax_lines(proposal) if t.kind == kind), Decimal(0))
    if value > owed:
        raise DomainError(
            _("%(tax)s still to deposit is %(owed)s; %(amount)s is more than that.")
            % {"tax": Spending.Tax(kind).label, "owed": rupiah(owed), "amount": rupiah(value)},
            code="overdeposit",
            field="amount",
        )
    deposit = TaxDeposit.objects.create(
        proposal=proposal,
        tax_kind=kind,
        amount=value,
        date=day,
        reference=reference,
        proof=proof,
        recorded_by=user_of(actor),
        recorded_at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="deposit_tax",
        obj=deposit,
        source=source,
        changes={
            "tax": [None, kind],
            "amount": [None, str(value)],
            "reference": [None, reference],
        },
        **proposal.audit_region,
    )
    return deposit


@transaction.atomic
def funds_return_record(
    *, actor, proposal: Proposal, data: dict, proof, source: str = "web"
) -> FundReturn:
    """Unspent money paid back to the treasury, with the deposit reference and proof."""
    proposal = Proposal.objects.select_for_update().select_related("group").get(pk=proposal.pk)
    proposal_step(actor, proposal, "return")
    errors: list[tuple[str, Any]] = []
    value = clean_rupiah(data.get("amount"), "amount", errors)
    day = _spending_date(proposal, data.get("date"), errors)
    reference = clean_text(data.get("reference"))[:100]
    if not reference:
        errors.append(("reference", _("Give the deposit reference (NTPN).")))
    if errors:
        raise FieldErrors(errors)
    proof = _receipt_check(proof, "proof")
    balance = totals(proposal).balance
    if value > balance:
        raise DomainError(
            _("The group holds %(balance)s; it cannot return %(amount)s.")
            % {"balance": rupiah(balance), "amount": rupiah(value)},
            code="overreturn",
            field="amount",
        )
    back = FundReturn.objects.create(
        proposal=proposal,
        amount=value,
        date=day,
        reference=reference,
        proof=proof,
        recorded_by=user_of(actor),
        recorded_at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="return_funds",
        obj=back,
        source=source,
        changes={"amount": [None, str(value)], "reference": [None, reference]},
        **proposal.audit_region,
    )
    return back
