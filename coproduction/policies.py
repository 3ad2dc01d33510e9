"""Rules that other apps attach to contributions, so that coproduction need not know them.

The workshops app, for instance, checks that a participant proposes within their workshop's
datasets, area and opening hours, and records which workshop a proposal came from.
"""

from __future__ import annotations

from collections.abc import Callable

AuthorCheck = Callable[..., None]
CreatedHook = Callable[..., None]

_author_checks: list[AuthorCheck] = []
_created_hooks: list[CreatedHook] = []


def register_author_check(check: AuthorCheck) -> None:
    """check(author, dataset, feature, geometry) raises ContributionForbidden or
    ContributionInvalid when this author may not make this proposal."""
    if check not in _author_checks:
        _author_checks.append(check)


def register_created_hook(hook: CreatedHook) -> None:
    """hook(contribution) runs inside the transaction that stored a new contribution."""
    if hook not in _created_hooks:
        _created_hooks.append(hook)


def check_author(author, dataset, feature, geometry) -> None:
    for check in _author_checks:
        check(author, dataset, feature, geometry)


def contribution_created(contribution) -> None:
    for hook in _created_hooks:
        hook(contribution)


ReferenceProvider = Callable[..., dict]
_reference_providers: list[ReferenceProvider] = []


def register_reference_values(provider: ReferenceProvider) -> None:
    """provider(feature) -> {field: value} from another source (osm_sync: what OpenStreetMap
    says), shown next to the proposal in the review."""
    if provider not in _reference_providers:
        _reference_providers.append(provider)


def reference_values(feature) -> dict:
    values: dict = {}
    for provider in _reference_providers:
        values.update(provider(feature))
    return values


DemoLoader = Callable[..., list]
_demo_loaders: list[DemoLoader] = []


def register_demo_loader(loader: DemoLoader) -> None:
    """loader(owner) -> lines to print; runs after the demo datasets are loaded (workshops:
    a live demonstration workshop)."""
    if loader not in _demo_loaders:
        _demo_loaders.append(loader)


def run_demo_loaders(owner) -> list[str]:
    lines: list[str] = []
    for loader in _demo_loaders:
        lines.extend(loader(owner))
    return lines
