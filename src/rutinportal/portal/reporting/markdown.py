"""The report's Markdown: a Jinja template whose every value is written as Markdown text —
the counterpart of HTML autoescaping: `|`, `*`, `_`, `<`, `[` … in a title or a name are
escaped, so a value can never become a table cell, a link, emphasis or raw HTML."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ...content.documents import Kind
from ..campaigns.ledger import Count
from .charts import Chart
from .figures import AnnualReport
from .tables import ReportTable

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#!])")
NUMERIC_TYPES = (int, float)


class Raw(str):
    """Markdown the template writes itself (never a value from content or the roster)."""


def text(value: Any) -> str:
    """A value as Markdown text: numbers and dates in Swedish form, None as a dash."""
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    shown = " ".join(str(value).split())  # no line break can end a table row
    return _SPECIAL.sub(r"\\\1", shown)


def _numeric(table: ReportTable, column: int) -> bool:
    values = [row[column] for row in table.rows if row[column] is not None]
    return bool(values) and all(isinstance(v, NUMERIC_TYPES) and not isinstance(v, bool)
                                for v in values)


def _days(value: float | None) -> Raw:
    return Raw("–" if value is None else f"{text(value)} dagar")


def _plural(count: int, one: str, many: str) -> Raw:
    return Raw(f"{count} {one if count == 1 else many}")


def _percent(count: Count) -> Raw:
    return Raw("–" if count.percent is None else f"{count.percent} %")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("rutinportal.portal.reporting", "templates"),
                      autoescape=False, finalize=text, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["raw"] = Raw
    env.globals.update(numeric=_numeric, days=_days, percent=_percent, plural=_plural,
                       kinds=Kind)
    return env


def markdown(report: AnnualReport, tables: dict[str, list[ReportTable]],
             charts: list[Chart]) -> str:
    rendered = _environment().get_template("arsrapport.md.j2").render(
        report=report, tables=tables, charts=charts)
    return re.sub(r"\n{3,}", "\n\n", rendered).strip() + "\n"
