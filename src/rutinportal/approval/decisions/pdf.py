"""The decision pack as a tagged PDF (PDF/UA-1: structure tags, the title and the language
from the HTML), with WeasyPrint. The only module that imports WeasyPrint.

Nothing is fetched while converting: the pack carries its own CSS and no images, and any
address in it is refused, so a text can never make the converter reach another host.
"""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint import HTML

from ...errors import UserError

VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def _refuse(url: str, *args, **kwargs):
    raise UserError(f"beslutsunderlaget hämtar ingenting utifrån, fick {url}")


def to_pdf(html: str) -> Pdf:
    document = HTML(string=html, url_fetcher=_refuse).render(pdf_variant=VARIANT)
    return Pdf(document.write_pdf(pdf_variant=VARIANT), len(document.pages))
