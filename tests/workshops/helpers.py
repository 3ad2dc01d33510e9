from datetime import timedelta

from django.utils import timezone

from workshops.models import Workshop
from workshops.services.sessions import open_workshop

from ..contributions_helpers import make_dataset


def make_workshop(user, dataset=None, opened=True, **fields) -> Workshop:
    dataset = dataset or make_dataset()
    start = timezone.now()
    workshop = Workshop.objects.create(
        title=fields.pop("title", "Atelier du jeudi"),
        created_by=user,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        **fields,
    )
    workshop.datasets.add(dataset)
    if opened:
        open_workshop(workshop)
    return workshop
