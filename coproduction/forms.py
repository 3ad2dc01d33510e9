from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Dataset
from .profiles import DatasetProfile, ProfileError, shipped_profiles

AUTO_PROFILE = "__auto__"
STORED_PROFILE = "__stored__"


class ImportForm(forms.Form):
    """Import a file or URL, as a new dataset or as the next version of an existing one."""

    file = forms.FileField(
        label=_("Fichier"),
        required=False,
        help_text=_("CSV (séparateur , ; ou tabulation), GeoJSON ou liste JSON."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.json,.geojson"}),
    )
    url = forms.URLField(
        label=_("ou adresse web du fichier"),
        required=False,
        assume_scheme="https",
        help_text=_("Par exemple l’adresse de téléchargement d’une ressource du portail."),
    )
    slug = forms.SlugField(
        label=_("Identifiant du jeu de données"),
        max_length=100,
        help_text=_(
            "Lettres minuscules, chiffres et tirets. Le même identifiant crée une nouvelle version."
        ),
    )
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    profile_name = forms.ChoiceField(label=_("Profil"), required=False)
    profile_file = forms.FileField(
        label=_("ou fichier de profil (JSON)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json"}),
    )

    def __init__(self, *args, dataset: Dataset | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dataset = dataset
        choices = [(AUTO_PROFILE, _("Deviner les colonnes (latitude, longitude, nom…)"))]
        if dataset is not None:
            choices.insert(0, (STORED_PROFILE, _("Garder le profil actuel du jeu de données")))
            self.fields["slug"].initial = dataset.slug
            self.fields["slug"].widget = forms.HiddenInput()
            self.fields["title"].initial = dataset.title
        choices += [(name, name) for name in shipped_profiles()]
        self.fields["profile_name"].choices = choices
        self.fields["profile_name"].initial = choices[0][0]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if self.dataset is None and Dataset.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("Ce jeu de données existe déjà : importez une nouvelle version depuis sa page.")
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        has_file, has_url = bool(cleaned.get("file")), bool(cleaned.get("url"))
        if has_file == has_url:
            raise forms.ValidationError(
                _("Donnez soit un fichier, soit une adresse web (pas les deux).")
            )
        cleaned["profile"] = self._profile(cleaned)
        return cleaned

    def _profile(self, cleaned) -> DatasetProfile | None:
        upload = cleaned.get("profile_file")
        try:
            if upload:
                return DatasetProfile.from_json(upload.read().decode("utf-8-sig", "replace"))
            name = cleaned.get("profile_name") or AUTO_PROFILE
            if name == STORED_PROFILE and self.dataset is not None:
                return self.dataset.parsed_profile
            if name in shipped_profiles():
                return DatasetProfile.from_file(shipped_profiles()[name])
        except ProfileError as exc:
            self.add_error("profile_file" if upload else "profile_name", str(exc))
        return None
