"""The decision pack as a tagged PDF (PDF/UA-1: structure tags, the title and the language
from the HTML), with WeasyPrint. The only module that imports WeasyPrint.

Nothing is fetched while converting: the pack carries its own CSS and no images, and any
address in it is refused, so a text can never make the converter reach another host.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import UserError

try:
    from weasyprint import HTML
except OSError as exc:  # Pango is missing: the rest of the package works without it
    HTML = None
    MISSING = " ".join(str(exc).split())[:200]

VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def _refuse(url: str, *args, **kwargs):
    raise UserError(f"beslutsunderlaget hämtar ingenting utifrån, fick {url}")


def to_pdf(html: str) -> Pdf:
    if HTML is None:
        raise UserError("PDF kan inte skapas här: WeasyPrint hittar inte Pango "
                        f"({MISSING}). Installera Debians paket libpango-1.0-0 och "
                        "libpangoft2-1.0-0, eller skriv underlaget som HTML (--out FIL.html).")
    document = HTML(string=html, url_fetcher=_refuse).render(pdf_variant=VARIANT)
    return Pdf(document.write_pdf(pdf_variant=VARIANT), len(document.pages))
