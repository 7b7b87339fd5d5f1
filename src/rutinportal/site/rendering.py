"""The one Jinja2 environment for every generated page and HTML fragment of the package.

Autoescape is always on (no HTML built by string concatenation) and undefined variables fail
loudly, so a template that is handed the wrong context breaks the build instead of silently
rendering an empty value. Block tags (`{% for %}`, `{% if %}`) on a line of their own leave no
line behind (`trim_blocks`, `lstrip_blocks`).
Templates live in `rutinportal/site/templates/`; the redline macros, shared with the decision
pack, in `rutinportal/approval/templates/`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The shared environment over the package's templates (as `portal.web.shell` has one).

    Shared, so that each template is compiled once per process and not once per page (a
    fresh environment per page made generating 1,000 routines' pages take ~13 s of CPU
    instead of ~0.7 s: most of a large build's extra time over plain MkDocs). It
    holds no build state: only compiled templates, and Jinja reloads a template whose file
    has changed (auto_reload), so `mkdocs serve` never renders a stale one. Do not add
    filters or globals to it; make a new `Environment` for that.
    """
    return Environment(
        loader=ChoiceLoader([PackageLoader("rutinportal.site", "templates"),
                             PackageLoader("rutinportal.approval", "templates")]),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def html(template: str, **context: Any) -> Markup:
    """An HTML fragment from a template: safe to place in a page as it is (autoescaped)."""
    return Markup(render(template, **context))
