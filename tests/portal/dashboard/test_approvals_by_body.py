"""The dashboard's waiting list: grouped by the body that decides, with the rounds taken."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from rutinportal.cli import main
from rutinportal.content.catalogue import Catalogue
from rutinportal.portal.dashboard.approvals import approvals

from ..support import import_demo_roster, make_client, sign_in

TODAY = dt.date(2026, 11, 28)


def run(*args: str, today: str) -> None:
    result = CliRunner().invoke(main, list(args), env={"RUTINPORTAL_TODAY": today})
    assert result.exit_code == 0, result.output


def test_waiting_documents_are_grouped_by_body_with_their_rounds(example_repo: Path) -> None:
    run("return", "RUT-008", "--comment", "Förtydliga kraven på leverantören.",
        today="2026-10-01")
    run("submit", "RUT-008", today="2026-10-20")
    # RUT-004 and RUT-011 are submitted in the example content (2026-10-26, 2026-11-18).
    pending = approvals(Catalogue.load(example_repo), TODAY)
    assert [(body, [(p.id, p.days_waiting, p.rounds) for p in rows])
            for body, rows in pending.waiting_by_body] == [
        ("Ledningsgruppen Utveckling och stöd", [("RUT-004", 33, 1), ("RUT-011", 10, 1)]),
        ("Styrgruppen för strategiska och operativa IT-frågor", [("RUT-008", 39, 2)])]
    assert pending.longest_wait == 39


def test_the_dashboard_shows_the_queue_per_body(example_repo: Path, built_example,
                                                 database_url) -> None:
    run("return", "RUT-008", "--comment", "Förtydliga kraven.", today="2026-10-01")
    run("submit", "RUT-008", today="2026-10-20")
    import_demo_roster(example_repo, database_url)
    with make_client(example_repo, built_example.site, database_url) as client:
        sign_in(client, "karin.ostberg")
        page = client.get("/uppfoljning/").text
        client.app.state.engine.dispose()
    assert ("<caption>Styrgruppen för strategiska och operativa IT-frågor: dokument som lämnats "
            "in för beslut, det som väntat längst först.</caption>") in page
    assert "<th scope=\"col\">Omgång</th>" in page
    assert "<td>2 (1 återremiss)</td>" in page
