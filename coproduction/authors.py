"""Who is contributing in this request: a signed-in user, or a workshop participant whose
session carries their contributor identity (they have no account)."""

from __future__ import annotations

from .models import Contributor

SESSION_CONTRIBUTOR_KEY = "contributor_id"


def contributor_for_request(request) -> Contributor | None:
    contributor_id = request.session.get(SESSION_CONTRIBUTOR_KEY)
    if contributor_id:
        contributor = Contributor.objects.filter(pk=contributor_id, erased_at__isnull=True).first()
        if contributor:
            return contributor
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Contributor.for_user(user)
    return None
