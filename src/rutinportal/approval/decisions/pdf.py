"""HTML as a tagged PDF (PDF/UA-1: structure tags, the title and the language from the
HTML), with WeasyPrint: the decision pack, and the annual report (portal/reporting/pdf.py).
The only module that imports WeasyPrint.

Nothing is fetched while converting: the HTML carries its own CSS, an image only from the
`images` it is given by name, and any other address is refused, so a text can never make the
converter reach another host.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ...errors import UserError

try:
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse
except OSError as exc:  # Pango is missing: the rest of the package works without it
    HTML = None
    MISSING = " ".join(str(exc).split())[:200]

VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


TYPES = {"png": "image/png", "svg": "image/svg+xml"}
SCHEME = "rutinportal-bild:"


def _fetcher(images: Mapping[str, bytes], what: str):
    """Only an image given by its name (`rutinportal-bild:nis2-per-enhet.png`); any other
    address stops the conversion with a Swedish error."""

    class Fetcher(URLFetcher):
        def __init__(self):
            super().__init__(fail_on_errors=True)

        def fetch(self, url, headers=None):
            name = url.removeprefix(SCHEME)
            if url.startswith(SCHEME) and name in images:
                kind = TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")
                return URLFetcherResponse(url, body=images[name],
                                          headers={"Content-Type": kind})
            raise UserError(f"{what} hämtar ingenting utifrån, fick {url}")

    return Fetcher()


def to_pdf(html: str, images: Mapping[str, bytes] | None = None,
           what: str = "beslutsunderlaget") -> Pdf:
    """`images`: files the HTML names as `rutinportal-bild:<name>`."""
    if HTML is None:
        raise UserError("PDF kan inte skapas här: WeasyPrint hittar inte Pango "
                        f"({MISSING}). Installera Debians paket libpango-1.0-0 och "
                        "libpangoft2-1.0-0" + (", eller skriv underlaget som HTML (--out FIL.html)."
                                                 if what == "beslutsunderlaget" else "."))
    try:
        document = HTML(string=html, url_fetcher=_fetcher(images or {}, what)).render(
            pdf_variant=VARIANT)
    except FatalURLFetchingError as exc:
        if isinstance(exc.__cause__, UserError):
            raise exc.__cause__ from None
        raise
    return Pdf(document.write_pdf(pdf_variant=VARIANT), len(document.pages))
