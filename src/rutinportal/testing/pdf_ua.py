"""Reads a PDF back and says what keeps it from being an accessible, tagged PDF (PDF/UA-1),
for the tests of every PDF the portal makes (the decision pack, the annual report).

What is checked, with pypdf, where the Matterhorn Protocol (the PDF/UA checklist) puts it:
- PDF/UA identified in the XMP metadata (`pdfuaid:part`), the document marked as tagged
  (`/MarkInfo /Marked true`) with a structure tree (`/StructTreeRoot`);
- the language in the catalog (`/Lang`), the title in the document information and in the
  XMP (`dc:title`), and shown as the window's title (`/DisplayDocTitle`);
- headings tagged H1–H6 that start at H1 and never skip a level;
- tables with header cells (TH), every data cell's `/Headers` naming a header cell's `/ID`
  (or the header cells carrying a `/Scope`);
- every figure (a chart, an image) with alternative text (`/Alt` or `/ActualText`);
- every link annotation with a description (`/Contents`) and its place in the structure
  (`/StructParent`), pages with annotations in structure order (`/Tabs /S`);
- every font embedded.

It does not replace a full validator (veraPDF): it checks what a text, a heading or a table
needs so that a screen reader can read the document, in the order and with the names a
sighted reader gets.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject

_HEADING = re.compile(r"^/H([1-6])$")


@dataclass
class PdfReport:
    """What was found; `problems` empty when the PDF passes."""

    title: str | None = None
    lang: str | None = None
    roles: Counter = field(default_factory=Counter)  # structure types: /H1, /Table, /TH …
    headings: list[str] = field(default_factory=list)  # in reading order: "/H1", "/H2" …
    problems: list[str] = field(default_factory=list)


def _xmp(catalog) -> str:
    metadata = catalog.get("/Metadata")
    if metadata is None:
        return ""
    return metadata.get_object().get_data().decode("utf-8", "replace")


def _walk(node, report: PdfReport, tables: list[dict], table: dict | None) -> None:
    node = node.get_object()
    if isinstance(node, ArrayObject):
        for kid in node:
            _walk(kid, report, tables, table)
        return
    if not isinstance(node, DictionaryObject) or "/S" not in node:
        return  # marked content (a number) or an object reference: no structure below
    role = str(node["/S"])
    report.roles[role] += 1
    if _HEADING.match(role):
        report.headings.append(role)
    if role == "/Figure" and not (str(node.get("/Alt", "")).strip()
                                  or str(node.get("/ActualText", "")).strip()):
        report.problems.append("a figure without alternative text (/Alt)")
    if role == "/Table":
        table = {"th": 0, "ids": set(), "scoped": 0, "headers": [], "td": 0}
        tables.append(table)
    elif table is not None and role == "/TH":
        table["th"] += 1
        if "/ID" in node:
            table["ids"].add(str(node["/ID"]))
        attributes = node.get("/A")
        attributes = attributes.get_object() if attributes is not None else {}
        if isinstance(attributes, DictionaryObject) and "/Scope" in attributes:
            table["scoped"] += 1
    elif table is not None and role == "/TD":
        table["td"] += 1
        attributes = node.get("/A")
        attributes = attributes.get_object() if attributes is not None else {}
        if isinstance(attributes, DictionaryObject) and "/Headers" in attributes:
            table["headers"].extend(str(h) for h in attributes["/Headers"])
    if "/K" in node:
        _walk(node["/K"], report, tables, table)


def _check_structure(catalog, report: PdfReport) -> None:
    tables: list[dict] = []
    _walk(catalog["/StructTreeRoot"].get_object().get("/K", ArrayObject()), report, tables,
          None)
    levels = [int(_HEADING.match(h).group(1)) for h in report.headings]
    if not levels:
        report.problems.append("no headings (H1–H6) in the structure tree")
    elif levels[0] != 1:
        report.problems.append(f"the first heading is H{levels[0]}, not H1")
    for before, after in zip(levels, levels[1:]):
        if after > before + 1:
            report.problems.append(f"a heading level skipped: H{before} followed by H{after}")
            break
    for number, table in enumerate(tables, 1):
        if not table["th"]:
            report.problems.append(f"table {number} has no header cells (TH)")
            continue
        unknown = set(table["headers"]) - table["ids"]
        if unknown:
            report.problems.append(f"table {number}: data cells name header cells that do "
                                   f"not exist: {sorted(unknown)[:3]}")
        if table["td"] and not table["headers"] and table["scoped"] < table["th"]:
            report.problems.append(f"table {number}: header cells without /Scope and data "
                                   "cells without /Headers")


def _check_pages(reader: pypdf.PdfReader, report: PdfReport) -> None:
    fonts_missing: set[str] = set()
    for number, page in enumerate(reader.pages, 1):
        annotations = [a.get_object() for a in (page.get("/Annots") or [])]
        if annotations and page.get("/Tabs") != "/S":
            report.problems.append(f"page {number}: annotations not in structure order "
                                   "(/Tabs /S)")
        for annotation in annotations:
            if annotation.get("/Subtype") != "/Link":
                continue
            if not str(annotation.get("/Contents", "")).strip():
                report.problems.append(f"page {number}: a link without a description "
                                       "(/Contents)")
            if "/StructParent" not in annotation:
                report.problems.append(f"page {number}: a link outside the structure tree")
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for font in (fonts.get_object().values() if fonts is not None else ()):
            font = font.get_object()
            described = font
            if font.get("/Subtype") == "/Type0":
                described = font["/DescendantFonts"][0].get_object()
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                fonts_missing.add(str(font.get("/BaseFont", "?")))
    if fonts_missing:
        report.problems.append(f"fonts not embedded: {sorted(fonts_missing)}")


def check_pdf_ua(data: bytes, *, title: str | None = None, lang: str = "sv") -> PdfReport:
    """Everything found in the PDF `data`; `title`: the title it must carry, if known."""
    report = PdfReport()
    if not data.startswith(b"%PDF-"):
        report.problems.append("not a PDF")
        return report
    reader = pypdf.PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    xmp = _xmp(catalog)

    if not re.search(r'pdfuaid:part(="1"|>1<)', xmp):
        report.problems.append("not identified as PDF/UA-1 in the XMP metadata (pdfuaid:part)")
    mark_info = catalog.get("/MarkInfo")
    if not (mark_info is not None and bool(mark_info.get_object().get("/Marked"))):
        report.problems.append("not marked as tagged (/MarkInfo /Marked true)")
    report.lang = str(catalog["/Lang"]) if "/Lang" in catalog else None
    if report.lang != lang:
        report.problems.append(f"language {report.lang!r} in the catalog, expected {lang!r}")

    info_title = reader.metadata.title if reader.metadata else None
    xmp_title = re.search(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xmp, re.S)
    report.title = info_title
    if not (info_title or "").strip():
        report.problems.append("no title in the document information (/Title)")
    elif title is not None and info_title != title:
        report.problems.append(f"title {info_title!r}, expected {title!r}")
    if not xmp_title or xmp_title.group(1).strip() != (info_title or "").strip():
        report.problems.append("the XMP metadata has no dc:title, or another one than /Title")
    preferences = catalog.get("/ViewerPreferences")
    if not (preferences is not None
            and bool(preferences.get_object().get("/DisplayDocTitle"))):
        report.problems.append("the title is not shown as the window's title "
                               "(/ViewerPreferences /DisplayDocTitle)")

    if "/StructTreeRoot" not in catalog:
        report.problems.append("no structure tree (/StructTreeRoot)")
    else:
        _check_structure(catalog, report)
    _check_pages(reader, report)
    return report


def assert_pdf_ua(data: bytes, *, title: str | None = None, lang: str = "sv") -> PdfReport:
    """`check_pdf_ua`, failing with every problem at once."""
    report = check_pdf_ua(data, title=title, lang=lang)
    if report.problems:
        raise AssertionError("not an accessible tagged PDF (PDF/UA-1):\n- "
                             + "\n- ".join(report.problems))
    return report
