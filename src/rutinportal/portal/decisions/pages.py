"""The Beslut page's HTML: its own templates (beside this module), autoescaped; the pack and
its documents are drawn by `approval.decisions.render`."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ...approval.decisions.render import change_kind, document_html, must_acknowledge


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("rutinportal.portal.decisions", "templates"),
                      autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True)
    env.globals.update(change_kind=change_kind, must_acknowledge=must_acknowledge,
                       document_html=document_html)
    return env


def render(template: str, **context) -> Markup:
    return Markup(environment().get_template(template).render(**context))
