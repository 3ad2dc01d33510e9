from django import template

register = template.Library()


@register.filter
def release_url(release, kind: str) -> str:
    return release.file_url(kind)
