"""The report's files: `arsrapport-<år>.md`, the same as a tagged PDF (`.pdf`),
`arsrapport-<år>.xlsx` (one sheet per table, an "Om rapporten" sheet first) and every chart as
PNG and SVG — written into a folder (the CLI: each file complete before it gets its name) or
into one ZIP (the portal's download)."""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO

from ...errors import UserError
from ..dashboard.exports import Table, to_xlsx
from .charts import report_charts
from .figures import AnnualReport
from .markdown import markdown
from .pdf import report_pdf
from .tables import report_tables


def file_stem(year: int) -> str:
    return f"arsrapport-{year}"


def title(report: AnnualReport) -> str:
    return f"Informationssäkerhet {report.year}: siffror till årsrapporten"


def _about(report: AnnualReport) -> Table:
    return Table("Om rapporten", ("Uppgift", "Värde"), [
        ("År", report.year),
        ("Siffrorna gäller", report.end),
        ("Hela året", report.complete),
        ("Hämtade ur Rutinportalen", report.made_on),
        ("Beslutstider", "Från första inlämningen till beslut; en återremiss räknas in."),
        ("Andelar", "Avrundade nedåt till hela procent, som i uppföljningen."),
    ])


def report_files(report: AnnualReport) -> list[tuple[str, bytes]]:
    """(file name, bytes) of every file of the report."""
    sections = report_tables(report)
    by_key = {t.key: t for tables in sections.values() for t in tables}
    charts = report_charts(report, by_key)
    stem = file_stem(report.year)
    text = markdown(report, sections, charts)
    files = [(f"{stem}.md", text.encode("utf-8")),
             (f"{stem}.pdf", report_pdf(text, title(report), charts)),
             (f"{stem}.xlsx", to_xlsx([_about(report), *(t.table for t in by_key.values())]))]
    for chart in charts:
        files += [(f"{chart.name}.png", chart.png), (f"{chart.name}.svg", chart.svg)]
    return files


def check_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise UserError(f"--out: '{out}' är en fil; förväntade en mapp (den skapas om den "
                        "inte finns). Ingenting har skrivits.")
    if not out.exists() and not out.parent.is_dir():
        raise UserError(f"--out: mappen '{out.parent}' finns inte; skapa den först eller välj "
                        "en annan plats. Ingenting har skrivits.")


def write_report(report: AnnualReport, out: Path) -> list[Path]:
    """Every file into `out` (made if missing): all are written to a hidden folder there
    first, then each is renamed into place, so none is ever seen half-written."""
    check_folder(out)
    files = report_files(report)
    out.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out, prefix=".arsrapport-"))
    try:
        for name, data in files:
            with (staging / name).open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        written = []
        for name, _ in files:
            os.replace(staging / name, out / name)
            written.append(out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def write_zip(report: AnnualReport, target: BinaryIO) -> list[str]:
    """The report's files in one ZIP, under a folder named like the report."""
    stem = file_stem(report.year)
    names = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data in report_files(report):
            bundle.writestr(f"{stem}/{name}", data)
            names.append(name)
    return names
