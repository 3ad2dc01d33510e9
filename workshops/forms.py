from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from coproduction.api_helpers import parse_bbox_text
from coproduction.models import Dataset, Feature

from .models import Workshop
from .services.sessions import communes_of

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def place_choices() -> list[tuple[int, str]]:
    """Access points a workshop can take place in: the places of the configured datasets."""
    features = Feature.objects.filter(
        dataset__slug__in=settings.WORKSHOP_PLACE_DATASETS, is_removed=False
    ).select_related("dataset")
    choices = []
    for feature in features.order_by("name"):
        field = feature.dataset.parsed_profile.commune_field
        commune = feature.properties.get(field, "") if field else ""
        label = f"{feature.name} — {commune}" if commune else feature.name
        choices.append((feature.pk, label))
    return choices


class WorkshopForm(forms.ModelForm):
    place_feature = forms.TypedChoiceField(
        label=_("Lieu d’accueil dans le jeu de données (facultatif)"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    co_facilitators = forms.CharField(
        label=_("Co-animateurs (adresses e-mail, séparées par des virgules)"),
        required=False,
        help_text=_("Ils doivent déjà avoir un compte."),
    )
    area_bbox_text = forms.CharField(
        label=_("Zone : rectangle ouest,sud,est,nord (facultatif)"),
        required=False,
        help_text=_(
            "Utilisez le bouton « Prendre la zone affichée » sous la carte, ou tapez les 4 nombres."
        ),
    )
    area_communes_text = forms.CharField(
        label=_("Zone : communes (séparées par des virgules, facultatif)"),
        required=False,
    )

    class Meta:
        model = Workshop
        fields = ["title", "place_name", "starts_at", "ends_at", "datasets", "instructions"]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "datasets": forms.CheckboxSelectMultiple,
            "instructions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place_feature"].choices = [("", "—")] + place_choices()
        self.fields["datasets"].queryset = Dataset.objects.order_by("title")
        instance = self.instance
        if instance.pk:
            self.fields["place_feature"].initial = instance.place_feature_id
            self.fields["co_facilitators"].initial = ", ".join(
                instance.facilitators.values_list("email", flat=True)
            )
            if instance.area_bbox:
                self.fields["area_bbox_text"].initial = ",".join(
                    f"{v:.5f}" for v in instance.area_bbox
                )
            self.fields["area_communes_text"].initial = ", ".join(instance.area_communes)

    def clean_co_facilitators(self):
        emails = [e.strip() for e in self.cleaned_data["co_facilitators"].split(",") if e.strip()]
        users = list(get_user_model().objects.filter(email__in=emails))
        unknown = sorted(set(emails) - {u.email for u in users})
        if unknown:
            raise forms.ValidationError(
                _("Aucun compte pour : %(emails)s.") % {"emails": ", ".join(unknown)}
            )
        return users

    def clean_area_bbox_text(self):
        text = self.cleaned_data["area_bbox_text"].strip()
        if not text:
            return None
        try:
            return list(parse_bbox_text(text))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("La fin doit venir après le début."))
        communes = [
            c.strip() for c in cleaned.get("area_communes_text", "").split(",") if c.strip()
        ]
        if communes and cleaned.get("datasets"):
            known = {c.casefold(): c for c in communes_of(cleaned["datasets"])}
            unknown = [c for c in communes if c.casefold() not in known]
            if unknown:
                self.add_error(
                    "area_communes_text",
                    _("Communes absentes des jeux de données choisis : %(names)s.")
                    % {"names": ", ".join(unknown)},
                )
            communes = [known.get(c.casefold(), c) for c in communes]
        cleaned["area_communes"] = communes
        return cleaned

    def save(self, commit=True):
        workshop = super().save(commit=False)
        workshop.place_feature_id = self.cleaned_data.get("place_feature")
        workshop.area_bbox = self.cleaned_data.get("area_bbox_text")
        workshop.area_communes = self.cleaned_data.get("area_communes", [])
        if commit:
            workshop.save()
            self.save_m2m()
            workshop.facilitators.set(self.cleaned_data["co_facilitators"])
        return workshop


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Code de l’atelier"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    pseudonym = forms.CharField(
        label=_("Votre pseudonyme"),
        max_length=40,
        help_text=_("Un prénom ou un surnom suffit. Pas besoin d’adresse e-mail."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )


class ResumeForm(forms.Form):
    recovery_code = forms.CharField(
        label=_("Votre code de reprise"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class PreRegisterForm(forms.Form):
    pseudonyms = forms.CharField(
        label=_("Pseudonymes (un par ligne)"), widget=forms.Textarea(attrs={"rows": 5})
    )


class GridForm(forms.Form):
    rows = forms.IntegerField(label=_("Lignes"), min_value=1, max_value=6, initial=2)
    columns = forms.IntegerField(label=_("Colonnes"), min_value=1, max_value=6, initial=2)
