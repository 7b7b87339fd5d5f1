"""The annual report's charts, as PNG (for Word) and SVG (for print and the web), drawn with
matplotlib's object API (`Figure`; PNG by the Agg renderer): no pyplot, no global state, no
window, safe in the portal's threads.

Accessible: the Okabe–Ito colour-blind-safe palette, a different hatch for every series, every
bar labelled with its value, so nothing depends on colour alone; each chart has alt text and
its numbers are a table of the report (`tables`). The files are reproducible: no creation date
in them, and fixed SVG ids.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure

from .figures import AnnualReport
from .tables import ReportTable

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000")
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")
matplotlib.rcParams["svg.hashsalt"] = "rutinportalen"  # stable ids in the SVG
matplotlib.rcParams["font.family"] = "DejaVu Sans"     # bundled with matplotlib: å, ä, ö
matplotlib.rcParams["hatch.linewidth"] = 0.8
WIDTH = 8.0  # inches; 100 dpi on screen, 200 dpi in the PNG


@dataclass(frozen=True)
class Chart:
    name: str       # file stem: <name>.png and <name>.svg
    title: str
    alt: str        # the alt text in the Markdown
    table: str      # the key of the table with the same numbers
    png: bytes
    svg: bytes


def _save(figure: Figure) -> tuple[bytes, bytes]:
    png, svg = io.BytesIO(), io.BytesIO()
    figure.savefig(png, format="png", dpi=200, metadata={"Software": None})
    figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return png.getvalue(), svg.getvalue()


def _label(value: float | None, suffix: str) -> str:
    if value is None:
        return "–"
    shown = f"{value:g}".replace(".", ",")
    return f"{shown}{suffix}"


Series = tuple[str, list, list]  # (legend label, values, the label written on each bar)


def bars(name: str, title: str, alt: str, table: ReportTable, categories: list[str],
         series: list[Series], axis: str, maximum: float | None = None) -> Chart:
    """Horizontal grouped bars: one group per category, one bar per series (colour and
    hatch), every bar labelled; a legend when there is more than one series."""
    height = max(2.4, 0.9 + len(categories) * (0.3 * len(series) + 0.25))
    figure = Figure(figsize=(WIDTH, height), layout="constrained")
    axes = figure.add_subplot()
    step = 0.8 / max(len(series), 1)
    top = maximum or max((v for _, values, _ in series for v in values if v is not None),
                         default=1) or 1
    for index, (label, values, texts) in enumerate(series):
        positions = [c - 0.4 + step * index + step / 2 for c in range(len(categories))]
        drawn = axes.barh(positions, [v or 0 for v in values], height=step * 0.9,
                          color=OKABE_ITO[index % len(OKABE_ITO)],
                          hatch=HATCHES[index % len(HATCHES)], edgecolor="#222222",
                          linewidth=0.6, label=label)
        axes.bar_label(drawn, labels=texts, padding=3, fontsize=8)
    axes.set_yticks(range(len(categories)), categories)
    axes.invert_yaxis()
    axes.set_xlim(0, top * 1.2)
    axes.set_title(title, fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.set_xlabel(axis, fontsize=9)
    if len(series) > 1:  # below the chart, never over a bar
        figure.legend(loc="outside lower center", ncols=min(len(series), 4), fontsize=8,
                      frameon=False)
    png, svg = _save(figure)
    return Chart(name, title, alt, table.key, png, svg)


def _percent(value) -> str:
    return "–" if value is None else f"{value} %"


def _days(value) -> str:
    return "–" if value is None else f"{_label(value, '')} dagar"


def report_charts(report: AnnualReport, tables: dict[str, ReportTable]) -> list[Chart]:
    """The charts that have something to show, each with the table of its numbers."""
    charts = []
    quarters = tables["kvittenser-enhet-kvartal"]
    labels = list(quarters.columns[1:])
    if quarters.rows and labels:
        charts.append(bars(
            "kvittenser-per-kvartal", f"Kvitterade obligatoriska rutiner per enhet, "
            f"{report.year}", f"Stapeldiagram: andel av de krävda kvittenserna av "
            f"obligatoriska rutiner som var gjorda i slutet av varje kvartal {report.year}, per "
            "enhet; en stapel per kvartal, med andelen utskriven. Samma siffror står i "
            "tabellen under diagrammet.", quarters, [r[0] for r in quarters.rows],
            [(label, [r[1 + i] for r in quarters.rows],
              [_percent(r[1 + i]) for r in quarters.rows]) for i, label in enumerate(labels)],
            "Andel av de krävda kvittenserna (%)", maximum=100))
    for key, name, what in (("nis2", "nis2-per-enhet", "chefer som har genomfört hela "
                                                          "NIS2-utbildningen för ledningen"),
                            ("grundutbildning", "grundutbildning-per-enhet",
                             "medarbetare som har genomfört hela grundutbildningen")):
        table = tables[key]
        if not table.rows:
            continue
        charts.append(bars(
            name, f"Andel {what}, {report.end.isoformat()}",
            f"Stapeldiagram: andel {what}, per enhet, {report.end.isoformat()}; varje stapel "
            "har andelen och antalet utskrivna. Samma siffror står i tabellen under "
            "diagrammet.", table, [r[0] for r in table.rows],
            [("Andel (%)", [r[3] for r in table.rows],
              [f"{_percent(r[3])} ({r[2]} av {r[1]})" for r in table.rows])],
            "Andel (%)", maximum=100))
    times = tables["beslutstider"]
    if any(r[1] for r in times.rows):
        rows = [r for r in times.rows if r[1]]
        charts.append(bars(
            "beslutstider", f"Dagar från första inlämningen till beslut, {report.year}",
            f"Stapeldiagram: median och längsta tid i dagar från första inlämningen till "
            f"beslut, per beslutande organ, för besluten {report.year}. Samma siffror står i "
            "tabellen under diagrammet.", times, [r[0] for r in rows],
            [("Median", [r[2] for r in rows], [_days(r[2]) for r in rows]),
             ("Längst", [r[3] for r in rows], [_days(r[3]) for r in rows])], "Dagar"))
    return charts
