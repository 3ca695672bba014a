from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingGroup(models.Model):
    """A kelompok kerja (KKG, MGMP, ...): the scope a ketua's role assignment points at."""

    class Kind(models.TextChoices):
        KKG = "kkg", "KKG"
        MGMP = "mgmp", "MGMP"
        MGBK = "mgbk", "MGBK"
        KKM = "kkm", "KKM"
        KKKS = "kkks", "KKKS"
        POKJAWAS = "pokjawas", "Pokjawas"
        KKPS = "kkps", "KKPS"
        KOMBEL = "kombel", _("Learning community (kombel)")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    regency = models.ForeignKey(
        "directory.Regency",
        verbose_name=_("district/city"),
        on_delete=models.PROTECT,
        related_name="working_groups",
    )
    province = models.ForeignKey(
        "directory.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="working_groups",
    )
    school = models.ForeignKey(
        "directory.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_groups",
        help_text=_("Only for a learning community inside one school."),
    )

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's membership of a group; ended memberships stay as history."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="memberships"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_membership_per_group",
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.group}"
