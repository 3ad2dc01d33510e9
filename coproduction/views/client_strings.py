"""Interface strings the page scripts need, translated on the server (one catalog)."""

from django.utils.translation import gettext as _


def contribution_strings() -> dict[str, str]:
    return {
        "sending": _("Envoi de votre proposition…"),
        "saved": _("Proposition enregistrée. Merci !"),
        "waiting": _(
            "Pas de connexion : votre proposition est gardée sur cet appareil et sera envoyée "
            "dès le retour du réseau."
        ),
        "queued": _("%(count)s proposition(s) en attente d’envoi."),
        "rejected": _("La proposition n’a pas été enregistrée : corrigez ce qui est signalé."),
        "forbidden": _("Votre session a expiré : reconnectez-vous pour envoyer la proposition."),
        "photoSent": _("Photo ajoutée."),
        "photoFailed": _("La photo n’a pas pu être envoyée : %(reason)s"),
        "checking": _("Vérification…"),
        "valid": _("Format correct."),
        "propose": _("Proposer une correction"),
        "fixAttributes": _("Corriger des informations"),
        "move": _("Déplacer le lieu"),
        "closed": _("Signaler fermé ou disparu"),
        "comment": _("Commenter"),
        "commentLabel": _("Votre commentaire"),
        "reasonLabel": _("Ce que vous savez (facultatif)"),
        "noteLabel": _("Explication ou source (facultatif)"),
        "photoLabel": _("Photo comme preuve (facultatif, JPEG, PNG ou WebP)"),
        "send": _("Envoyer la proposition"),
        "cancel": _("Annuler"),
        "latitude": _("Latitude"),
        "longitude": _("Longitude"),
        "moveHelp": _(
            "Faites glisser le repère violet, ou sélectionnez-le et utilisez les flèches du "
            "clavier, ou tapez les coordonnées."
        ),
        "moveNorth": _("Vers le nord"),
        "moveSouth": _("Vers le sud"),
        "moveWest": _("Vers l’ouest"),
        "moveEast": _("Vers l’est"),
        "newPosition": _("Nouvelle position"),
        "loginToContribute": _("Connectez-vous pour proposer une correction."),
        "login": _("Se connecter"),
        "addPlace": _("Ajouter un lieu manquant ici"),
        "nothingChanged": _("Modifiez au moins une information."),
    }


def contribution_context(request, dataset, contributor) -> dict:
    """The JSON the contribution scripts read (see static/js/contrib/context.js)."""
    from django.urls import reverse

    return {
        "dataset": dataset.slug,
        "canContribute": contributor is not None,
        "loginUrl": f"{reverse('account_login')}?next={request.get_full_path()}",
        "contributionsUrl": reverse("coproduction:api-contributions"),
        "validateUrl": reverse("coproduction:api-validate"),
        "photoUrl": reverse("coproduction:api-contribution-photo", args=[0]),
        "strings": contribution_strings(),
    }


def map_tile_settings() -> dict:
    from django.conf import settings

    return {
        "url": settings.MAP_TILES_URL,
        "attribution": settings.MAP_TILES_ATTRIBUTION,
        "maxZoom": settings.MAP_TILES_MAX_ZOOM,
    }
