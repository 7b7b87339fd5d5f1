"""Server-rendered pages: "Min läslista" leads to the person's own reading list, and a DISK's
follow-up says which units it covers."""

from __future__ import annotations

import csv
import html
from pathlib import Path

import pytest

from ..support import import_demo_roster, make_client, sign_in, visible_text

pytestmark = pytest.mark.build

NO_UNIT = ("Du hör inte till någon enhet i Rutinportalens personallista, så det finns ingen "
           "läslista som är din.")


@pytest.fixture(scope="module")
def example(built_example) -> tuple[Path, Path]:
    return (built_example.root, built_example.site)


@pytest.fixture
def client(example, tmp_path):
    """The demo roster and one person without a unit (a new employee not yet placed)."""
    root, site = example
    url = f"sqlite:///{(tmp_path / 'portal.sqlite3').as_posix()}"
    roster = tmp_path / "personal.csv"
    with (root / "demo" / "personal.csv").open(encoding="utf-8-sig", newline="") as source, \
            roster.open("w", encoding="utf-8", newline="") as target:
        target.write(source.read())
        target.write("ny.anstalld;Ny Anställd;;;alla;;\n")  # no units, no befattning
    import_demo_roster(root, url, roster)
    with make_client(root, site, url) as test_client:
        yield test_client
        test_client.app.state.engine.dispose()


def test_my_reading_list_when_signed_out_asks_to_sign_in(client) -> None:
    answer = client.get("/min-laslista/")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/min-laslista/"
    assert client.get("/min-laslista").headers["location"] == "/login?next=/min-laslista/"


@pytest.mark.parametrize("person_id, unit", [("anna.lind", "hemtjanst"),
                                             ("karin.ostberg", None)])
def test_my_reading_list_is_that_of_the_persons_unit(client, example, person_id,
                                                     unit) -> None:
    root, _ = example
    if unit is None:  # the roster's first unit of the person, in organisation.yml's order
        with (root / "demo" / "personal.csv").open(encoding="utf-8-sig") as handle:
            row = next(r for r in csv.DictReader(handle, delimiter=";")
                       if r["personid"] == person_id)
        units = row["enheter"].split("|")
        order = [u.id for u in client.app.state.portal.published.organisation.units]
        unit = min(units, key=order.index)
    sign_in(client, person_id)
    answer = client.get("/min-laslista/")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/laslistor/{unit}/"
    assert client.get(answer.headers["location"]).status_code == 200


def test_without_a_unit_the_list_of_all_reading_lists_says_why(client) -> None:
    sign_in(client, "ny.anstalld")
    answer = client.get("/min-laslista/")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/laslistor/?ingen-enhet"
    page = client.get(answer.headers["location"])
    assert page.status_code == 200
    text = html.unescape(visible_text(page.text))
    assert "Ingen egen läslista " + NO_UNIT in text
    assert NO_UNIT not in html.unescape(visible_text(client.get("/laslistor/").text))


def test_a_disk_follows_up_the_units_they_belong_to(client) -> None:
    sign_in(client, "emma.lindberg")  # DISK, hemtjänst
    overview = html.unescape(visible_text(client.get("/uppfoljning/").text))
    assert "Du ser de enheter du är DISK för: Hemtjänst." in overview
    assert client.get("/uppfoljning/enheter/hemtjanst/").status_code == 200
    refused = client.get("/uppfoljning/enheter/larm/")
    assert refused.status_code == 403
    assert "Du kan bara följa upp de enheter du är chef eller DISK för." in \
        html.unescape(visible_text(refused.text))
