"""The authorization matrix: each role against each route and against other people's data."""

from __future__ import annotations

from pathlib import Path

import pytest

from rutinportal.portal.access.policy import follow_up_scope

from ..support import import_demo_roster, make_client, post, published_version, sign_in

pytestmark = pytest.mark.build

ROUTES = ["/api/me", "/min-sida/", "/uppfoljning/", "/uppfoljning/enheter/hemtjanst/",
          "/uppfoljning/enheter/larm/", "/uppfoljning/rutiner/RUT-001/",
          "/uppfoljning/export.csv?tabell=saknas", "/uppfoljning/export.xlsx"]
HEMTJANST_STAFF = "Mehmet Yilmaz"   # has acknowledged nothing: listed as missing
LARM_STAFF = "Niklas Boström"

# role → (person id, expected status per route, whose missing names the CSV may show)
MATRIX = {
    "anonym": (None, [401, 401, 401, 401, 401, 401, 401, 401], None),
    "medarbetare": ("anna.lind", [200, 200, 403, 403, 403, 403, 403, 403], None),
    "chef hemtjänst": ("lena.nyberg", [200, 200, 200, 200, 403, 200, 200, 200],
                       {HEMTJANST_STAFF}),
    "chef larm": ("linda.sandberg", [200, 200, 200, 403, 200, 200, 200, 200], {LARM_STAFF}),
    # A DISK follows up the units they belong to (emma.lindberg: hemtjanst), nothing else.
    "disk hemtjänst": ("emma.lindberg", [200, 200, 200, 200, 403, 200, 200, 200],
                       {HEMTJANST_STAFF}),
    "sektorsledning": ("karin.ostberg", [200] * 8, {HEMTJANST_STAFF, LARM_STAFF}),
    "samordnare": ("sofia.bergstrom", [200] * 8, {HEMTJANST_STAFF, LARM_STAFF}),
}


@pytest.fixture(scope="module")
def example(built_example) -> tuple[Path, Path]:
    return (built_example.root, built_example.site)


@pytest.mark.parametrize("role", list(MATRIX))
def test_authorization_matrix(example, database_url, role: str) -> None:
    root, site = example
    import_demo_roster(root, database_url)
    person_id, expected, visible = MATRIX[role]
    with make_client(root, site, database_url) as client:
        if person_id:
            sign_in(client, person_id)
        got = [client.get(route).status_code for route in ROUTES]
        assert dict(zip(ROUTES, got, strict=True)) == dict(zip(ROUTES, expected, strict=True))
        if visible is not None:
            csv_text = client.get("/uppfoljning/export.csv?tabell=saknas").content.decode(
                "utf-8-sig")
            for name in (HEMTJANST_STAFF, LARM_STAFF):
                assert (name in csv_text) == (name in visible), (role, name)
            overview = client.get("/uppfoljning/").text
            for name in (HEMTJANST_STAFF, LARM_STAFF):
                assert name not in overview  # names only in drill-downs and exports
        if person_id:
            me = client.get("/api/me").json()
            assert me["person"]["person_id"] == person_id  # only ever one's own record
        client.app.state.engine.dispose()


def test_staff_see_only_their_own_records(example, database_url) -> None:
    root, site = example
    import_demo_roster(root, database_url)
    with make_client(root, site, database_url) as client:
        sign_in(client, "anna.lind")
        version = published_version(site, "RUT-001")
        assert post(client, "/api/acknowledgements",
                    {"document_id": "RUT-001", "version": version}).status_code == 201
        sign_in(client, "fatima.ali")
        me = client.get("/api/me").json()
        assert me["acknowledged"] == []
        assert "Anna Lind" not in client.get("/min-sida/").text
        assert client.get("/api/me?person_id=anna.lind").json()["person"]["person_id"] == \
            "fatima.ali"
        client.app.state.engine.dispose()


def test_scope_rules_without_http() -> None:
    class Person:  # the policy reads only roles, managed units and units
        def __init__(self, roles, manages, units=()):
            self.roles, self.manages, self.units = roles, manages, list(units)

    assert follow_up_scope(Person(["alla"], [])).empty
    assert follow_up_scope(Person(["alla", "chefer"], ["larm"])).units == {"larm"}
    assert follow_up_scope(Person(["alla", "sektorsledning"], [])).all_units
    assert follow_up_scope(Person(["alla", "samordnare"], [])).covers("komvux")
    disk = follow_up_scope(Person(["alla", "disk"], [], ["ifo"]))
    assert disk.units == {"ifo"} and disk.as_disk == {"ifo"} and not disk.all_units
    both = follow_up_scope(Person(["alla", "chefer", "disk"], ["larm"], ["larm", "ifo"]))
    assert both.units == {"larm", "ifo"} and both.as_disk == {"ifo"}
    assert follow_up_scope(Person(["alla"], [], ["ifo"])).empty  # a unit alone gives nothing
