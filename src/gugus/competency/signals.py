"""What the database's foreign keys on UKG results did, for the deletions that race an
import (decision 0013). A deletion first collects the results it must remove or refuse
over, then deletes; an import may commit results in between. So, just before the row
goes, take the lock the imports take (waiting for a running import to commit) and look
again.
"""

from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _

from gugus.competency import locks
from gugus.competency.models import Result, UkgEvent
from gugus.core.changes import mark_rows
from gugus.directory.models import Person


@receiver(pre_delete, sender=Person, dispatch_uid="competency.person_results_go_too")
def _person_results_go_too(sender, instance, using, **kwargs):
    locks.own_teachers(using)
    late = Result.objects.using(using).filter(person_id=instance.pk)
    mark_rows(late, "province_id", "regency_id")
    late._raw_delete(using)


@receiver(pre_delete, sender=UkgEvent, dispatch_uid="competency.event_keeps_its_results")
def _event_keeps_its_results(sender, instance, using, **kwargs):
    list(UkgEvent.objects.using(using).select_for_update().filter(pk=instance.pk).values("pk"))
    late = Result.objects.using(using).filter(event_id=instance.pk)
    if late.exists():
        raise ProtectedError(_("This UKG event has results; it cannot be deleted."), set(late[:1]))
