from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from gugus.core.roles import OFFICE_BOUND_ROLES, SUPERVISOR_TITLES, Role, ScopeLevel


class User(AbstractUser):
    """A login. Linked to the person record it belongs to, when there is one."""

    person = models.OneToOneField(
        "directory.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    # Raised to sign the user out everywhere: every session carries a hash of the password
    # and this number, and one made before the raise no longer matches.
    session_generation = models.PositiveIntegerField(default=0)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def _get_session_auth_hash(self, secret=None):
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class RoleAssignment(models.Model):
    """A role held by a user within one scope; revoked assignments are kept as history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # Administrators and supervisors act for an office: its ministry and region bind them.
    office = models.ForeignKey(
        "directory.Office",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    scope_level = models.CharField(_("scope"), max_length=10, choices=ScopeLevel.choices)
    province = models.ForeignKey(
        "directory.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    regency = models.ForeignKey(
        "directory.Regency",
        verbose_name=_("district/city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    school = models.ForeignKey(
        "directory.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group = models.ForeignKey(
        "communities.WorkingGroup",
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user_id", "role"]
        constraints = [
            models.CheckConstraint(
                name="office_roles_belong_to_an_office",
                condition=~models.Q(role__in=OFFICE_BOUND_ROLES) | models.Q(office__isnull=False),
            ),
            models.CheckConstraint(
                name="role_scope_is_exactly_its_level",
                condition=(
                    models.Q(
                        scope_level=ScopeLevel.NASIONAL,
                        province__isnull=True,
                        regency__isnull=True,
                        school__isnull=True,
                        group__isnull=True,
                    )
                    | models.Q(
                        scope_level=ScopeLevel.PROVINSI,
                        province__isnull=False,
                        regency__isnull=True,
                        school__isnull=True,
                        group__isnull=True,
                    )
                    | models.Q(
                        scope_level=ScopeLevel.KABKOTA,
                        province__isnull=True,
                        regency__isnull=False,
                        school__isnull=True,
                        group__isnull=True,
                    )
                    | models.Q(
                        scope_level=ScopeLevel.SEKOLAH,
                        province__isnull=True,
                        regency__isnull=True,
                        school__isnull=False,
                        group__isnull=True,
                    )
                    | models.Q(
                        scope_level=ScopeLevel.KELOMPOK,
                        province__isnull=True,
                        regency__isnull=True,
                        school__isnull=True,
                        group__isnull=False,
                    )
                ),
            ),
        ]

    def __str__(self):
        return f"{self.title} — {self.scope_label}"

    @property
    def title(self) -> str:
        """The role as people say it: a pengawas is a school or a madrasah/PAI one."""
        if self.role == Role.PENGAWAS and self.office_id:
            return str(SUPERVISOR_TITLES[self.office.ministry])
        return str(self.get_role_display())

    @property
    def ministry(self) -> str | None:
        """The ministry the assignment acts for: its office's, else its school's or
        group's; None for a role that spans both (a national resource person)."""
        for holder in (self.office, self.school, self.group):
            if holder is not None:
                return holder.ministry
        return None

    @property
    def scope_label(self) -> str:
        if self.office_id and self.role != Role.PENGAWAS:
            return self.office.name
        target = self.group or self.school or self.regency or self.province
        return str(target) if target else str(_("National"))


class ApiToken(models.Model):
    """A personal API token for scripts. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
