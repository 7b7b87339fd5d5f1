"""The annual report as a tagged PDF (PDF/UA-1), made from the report's own Markdown, so the
PDF says exactly what `arsrapport-<år>.md` says: headings, tables with header cells, every
chart as an image with its alt text (and its table after it)."""

from __future__ import annotations

import re
from functools import lru_cache

import markdown as markdown_library
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ...approval.decisions.pdf import to_pdf
from .charts import Chart

WHAT = "årsrapporten"
ESCAPED = ("<", ">", "&", "~", "|")


@lru_cache(maxsize=1)
def _template():
    environment = Environment(loader=PackageLoader("rutinportal.portal.reporting", "templates"),
                              autoescape=select_autoescape(["html.j2"]))
    return environment.get_template("arsrapport.html.j2")


def report_html(text: str, title: str, charts: list[Chart]) -> str:
    """The Markdown as HTML: every value in it is escaped as Markdown text already
    (`reporting.markdown`), so the converter makes no element a value did not ask for; the
    chart files it names become images the PDF carries."""
    converter = markdown_library.Markdown(extensions=["tables"], output_format="html")
    # Every character `reporting.markdown` escapes is read back as itself, as CommonMark does.
    converter.ESCAPED_CHARS = [*converter.ESCAPED_CHARS, *ESCAPED]
    body = converter.convert(text)
    for chart in charts:
        body = body.replace(f'src="{chart.name}.png"', f'src="rutinportal-bild:{chart.name}.png"')
        # The vector file lies beside the PDF: named, not linked.
        body = re.sub(rf'<a href="{re.escape(chart.name)}\.svg">(.*?)</a>', r"\1", body)
    return _template().render(title=title, body=Markup(body))


def report_pdf(text: str, title: str, charts: list[Chart]) -> bytes:
    images = {f"{c.name}.png": c.png for c in charts}
    return to_pdf(report_html(text, title, charts), images, what=WHAT).data
