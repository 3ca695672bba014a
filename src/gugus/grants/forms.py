"""Forms of the grant pages. They render the fields and keep what was typed when a
service refuses (amounts stay as the user wrote them, "1.500.000"); the rules and the
parsing of rupiah stay in the services, so the API gets the same answers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gugus.communities.models import WorkingGroup
from gugus.core.cleaning import region_of_code
from gugus.core.roles import Ministry
from gugus.grants.checks import TEXT_FIELDS
from gugus.grants.inoni import TEMPLATE_COUNTS
from gugus.grants.models import BudgetLine, Proposal, Spending
from gugus.grants.money import tax_lines, totals


def _rupiah_field(label, **kwargs):
    return forms.CharField(
        label=label, max_length=30, widget=forms.TextInput(attrs={"inputmode": "numeric"}), **kwargs
    )


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


def _note_field(label, rows=2, **kwargs):
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class ProgrammeForm(forms.Form):
    """A programme and, per group type it funds, the amount and its In-On-In template."""

    name = forms.CharField(label=_("Name"), max_length=200)
    ministry = forms.ChoiceField(
        label=_("Ministry"),
        required=False,
        choices=[("", _("My office's")), *Ministry.choices],
        help_text=_("The programme funds only the groups this ministry governs."),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    apply_from = _date_field(_("Proposals from"))
    apply_until = _date_field(_("Proposals until"))
    period_start = _date_field(_("Activities from"))
    period_end = _date_field(_("Activities until"))
    budget_ceiling = _rupiah_field(_("Budget ceiling (Rp)"))
    quota = forms.IntegerField(label=_("Quota of groups"), min_value=1)
    required_documents = _note_field(_("Required documents (one per line)"), rows=3)
    review_weight = forms.CharField(
        label=_("Selection: weight of the reviewers' mean"),
        initial="0,6",
        max_length=5,
        required=False,
    )
    activeness_weight = forms.CharField(
        label=_("Selection: weight of activeness"),
        initial="0,4",
        max_length=5,
        required=False,
        help_text=_("The two weights add up to 1."),
    )
    favour_activation = forms.BooleanField(
        label=_("Favour groups that need activation (count 100 minus activeness)"),
        required=False,
    )

    KINDS = WorkingGroup.Kind

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            ("", _("National")),
            (_("Province"), [(p.code, p.name) for p in regions["provinces"]]),
            (_("District/city"), [(r.code, r.name) for r in regions["regencies"]]),
        ]
        for kind, label in self.KINDS.choices:
            ins, ons = TEMPLATE_COUNTS[kind]
            self.fields[f"amount_{kind}"] = _rupiah_field(label, required=False)
            self.fields[f"in_{kind}"] = forms.IntegerField(
                label=f"In {label}", required=False, min_value=0, initial=ins
            )
            self.fields[f"on_{kind}"] = forms.IntegerField(
                label=f"On {label}", required=False, min_value=0, initial=ons
            )
            for name in (f"amount_{kind}", f"in_{kind}", f"on_{kind}"):
                self.fields[name].widget.attrs["aria-label"] = self.fields[name].label

    def programme_fields(self):
        return [self[name] for name in self.base_fields]

    def kind_rows(self):
        return [
            (label, self[f"amount_{kind}"], self[f"in_{kind}"], self[f"on_{kind}"])
            for kind, label in self.KINDS.choices
        ]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            **{name: data[name] for name in self.base_fields if name != "region"},
            **region_of_code(data["region"]),
            "required_documents": [
                d.strip() for d in data["required_documents"].splitlines() if d.strip()
            ],
        }

    def kinds_data(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "kind": kind,
                "amount": data[f"amount_{kind}"],
                "in_count": data[f"in_{kind}"],
                "on_count": data[f"on_{kind}"],
            }
            for kind in self.KINDS.values
            if data[f"amount_{kind}"].strip()
        ]


class ProposalForm(forms.Form):
    """A form about one proposal; its choices come from the proposal's own plan and
    budget. The field ids carry the form's name, since one page holds several forms."""

    key = "proposal"

    def __init__(self, *args, proposal: Proposal, **kwargs):
        kwargs.setdefault("auto_id", f"{self.key}-%s")
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.setup()

    def setup(self):
        """Fill choices that depend on the proposal."""

    def line_choices(self, remaining: bool = True):
        return [
            (
                line.pk,
                f"{line.planned.ref + ' · ' if line.planned_id else ''}{line.description}"
                + (f" (Rp{line.remaining:,.0f})".replace(",", ".") if remaining else ""),
            )
            for line in self.proposal.budget.select_related("planned")
        ]


class BackgroundForm(ProposalForm):
    key = "background"

    def setup(self):
        for name in TEXT_FIELDS:
            self.fields[name] = _note_field(
                Proposal._meta.get_field(name).verbose_name.capitalize(), rows=3
            )
            self.initial.setdefault(name, getattr(self.proposal, name))


class LineForm(ProposalForm):
    key = "line"
    planned = forms.ChoiceField(label=_("Activity"), required=False)
    category = forms.ChoiceField(label=_("Category"), choices=BudgetLine.Category.choices)
    description = forms.CharField(label=_("Description"), max_length=200)
    amount = _rupiah_field(_("Amount (Rp)"))

    def setup(self):
        self.fields["planned"].choices = [("", _("Whole grant"))] + [
            (item.seq, item.ref) for item in self.proposal.plan.order_by("seq")
        ]


class ReviewForm(ProposalForm):
    """The decision is the button pressed (approve or return), not a field."""

    key = "review"
    score = forms.CharField(
        label=_("Score (0–100)"),  # noqa: RUF001 (typographic dash)
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    comment = _note_field(_("Comment"))


class ReportForm(ProposalForm):
    key = "report"
    outcomes = _note_field(_("What changed for students"), rows=3)

    def setup(self):
        self.initial.setdefault("outcomes", self.proposal.outcomes)


class ReportDecisionForm(ProposalForm):
    key = "report-decision"
    comment = _note_field(_("Comment"))


class SpendForm(ProposalForm):
    key = "spend"
    line = forms.ChoiceField(label=_("Budget line"))
    date = _date_field(_("Date"))
    description = forms.CharField(label=_("Description"), max_length=200)
    amount = _rupiah_field(_("Amount (Rp)"))
    tax_kind = forms.ChoiceField(label=_("Tax"), choices=Spending.Tax.choices, required=False)
    tax_amount = _rupiah_field(_("Tax withheld (Rp)"), required=False, initial="0")
    receipt = forms.FileField(
        label=_("Receipt (photo or PDF)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
    )

    def setup(self):
        self.fields["line"].choices = self.line_choices()


class ReallocateForm(ProposalForm):
    key = "reallocate"
    from_line = forms.ChoiceField(label=_("From"))
    to_line = forms.ChoiceField(label=_("To"))
    amount = _rupiah_field(_("Amount (Rp)"))
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def setup(self):
        self.fields["from_line"].choices = self.line_choices()
        self.fields["to_line"].choices = self.line_choices(remaining=False)


class ReturnForm(ProposalForm):
    key = "return"
    amount = _rupiah_field(_("Amount (Rp)"))
    date = _date_field(_("Date"))
    reference = forms.CharField(label=_("Deposit reference (NTPN)"), max_length=100)
    proof = forms.FileField(
        label=_("Proof (photo or PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )

    def setup(self):
        self.initial.setdefault("amount", f"{totals(self.proposal).balance:.0f}")


class TaxDepositForm(ProposalForm):
    key = "deposit_tax"
    tax_kind = forms.ChoiceField(label=_("Tax"))
    amount = _rupiah_field(_("Amount (Rp)"))
    date = _date_field(_("Deposit date"))
    reference = forms.CharField(
        label=_("NTPN or billing code"),
        max_length=30,
        help_text=_("The NTPN on the bank's receipt (16 letters and digits)."),
    )
    proof = forms.FileField(
        label=_("Proof of deposit (photo or PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )

    def setup(self):
        owed = [t for t in tax_lines(self.proposal) if t.owed > 0]
        self.fields["tax_kind"].choices = [(t.kind, t.label) for t in owed]
        if owed:
            self.initial.setdefault("amount", f"{owed[0].owed:.0f}")


class DisburseForm(ProposalForm):
    key = "disburse"
    amount = _rupiah_field(_("Amount (Rp)"))
    date = _date_field(_("Date"))
    reference = forms.CharField(label=_("Transfer reference"), max_length=100)

    def setup(self):
        self.auto_id = f"disburse-{self.proposal.pk}-%s"
        self.initial.setdefault("amount", f"{self.proposal.amount:.0f}")


class DecisionForm(forms.Form):
    """The programme's decision (SK) that names the funded groups."""

    decision_number = forms.CharField(label=_("Decision (SK) number"), max_length=100)
    decision_date = _date_field(_("Decision date"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)


class PlanItemForm(forms.Form):
    """One activity of the plan; its number and kind come from the programme's template."""

    seq = forms.IntegerField(widget=forms.HiddenInput)
    date = _date_field(_("Date"), required=False)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    facilitator = forms.CharField(label=_("Facilitator"), max_length=200, required=False)
    learning_problem = _note_field(_("Students' learning problem addressed"))
    expected_output = forms.CharField(
        label=_("What it must produce"), max_length=300, required=False
    )
    practises = forms.IntegerField(
        label=_("Practises activity no."),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reflects_on = forms.IntegerField(
        label=_("Reflects on activity no."),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class BasePlanFormSet(forms.BaseFormSet):
    """The whole plan as one form; refusals of the service (which name the activity,
    "K2: ...") are shown above it."""

    key = "plan"
    # No field of the set itself: every refusal goes above the plan.
    fields: dict = {}

    def __init__(self, data=None, files=None, *, proposal: Proposal, **kwargs):
        self.proposal = proposal
        self.items = list(proposal.plan.select_related("practises", "reflects_on").order_by("seq"))
        initial = [
            {
                "seq": item.seq,
                "date": item.date,
                "topic": item.topic,
                "facilitator": item.facilitator,
                "learning_problem": item.learning_problem,
                "expected_output": item.expected_output,
                "practises": item.practises.seq if item.practises_id else None,
                "reflects_on": item.reflects_on.seq if item.reflects_on_id else None,
            }
            for item in self.items
        ]
        super().__init__(data, files, prefix="plan", initial=initial, **kwargs)

    def rows(self):
        return list(zip(self.items, self.forms, strict=False))

    def add_error(self, field, error):
        self._non_form_errors.append(error)


PlanFormSet = forms.formset_factory(PlanItemForm, formset=BasePlanFormSet, extra=0)


def plan_rows(cleaned_data: list[dict]) -> list[dict]:
    """The plan's rows as `services.plan_update` takes them (the API sends this shape)."""
    return [{k: "" if v is None else v for k, v in row.items()} for row in cleaned_data]


class ParticipantsForm(ProposalForm):
    key = "participants"
    participants = forms.MultipleChoiceField(
        label=_("Participants"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def setup(self):
        members = (
            self.proposal.group.memberships.filter(ended_on__isnull=True)
            .select_related("person")
            .order_by("person__name")
        )
        self.fields["participants"].choices = [(m.person_id, m.person.name) for m in members]
        self.initial.setdefault(
            "participants", list(self.proposal.participants.values_list("pk", flat=True))
        )
