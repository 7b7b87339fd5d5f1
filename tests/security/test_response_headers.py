"""Item 3 (the portal's half): every response carries a Content-Security-Policy that lets only
the site's own scripts run, plus nosniff and same-origin referrers; everything personal is
never stored by a cache."""

from __future__ import annotations

import json

import pytest

from rutinportal.site import own_assets

from ..portal.support import sign_in

pytestmark = pytest.mark.build

PERSONAL = ["/api/me", "/min-sida/", "/uppfoljning/", "/uppfoljning/enheter/hemtjanst/",
            "/uppfoljning/rutiner/RUT-001/", "/uppfoljning/export.csv?tabell=saknas",
            "/uppfoljning/export.xlsx"]
PUBLIC = ["/", "/rutiner/", "/rutiner/siths-kort/", "/catalog.json",
          f"/assets/rutinportal/{own_assets.file_name(own_assets.JS)}", "/finns-inte/",
          "/login"]


def directives(policy: str) -> dict[str, list[str]]:
    parts = [p.split() for p in policy.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def test_every_answer_carries_the_policy(portal, example) -> None:
    _, site = example
    hashes = json.loads((site / "csp.json").read_text(encoding="utf-8"))["script_hashes"]
    assert hashes
    client = portal()
    sign_in(client, "karin.ostberg")
    anonymous = portal()
    answers = [client.get(path) for path in PERSONAL + PUBLIC] + \
        [anonymous.get("/api/me"), anonymous.get("/min-sida/"),
         client.get("/rutiner/siths-kort"),  # a redirect
         client.post("/api/acknowledgements", json={"document_id": "RUT-001", "version": 2})]
    for answer in answers:
        where = f"{answer.request.method} {answer.request.url.path} → {answer.status_code}"
        found = directives(answer.headers.get("content-security-policy", ""))
        assert found.get("script-src") == ["'self'", *hashes], where
        assert found.get("object-src") == ["'none'"], where
        assert found.get("base-uri") == ["'self'"], where
        assert found.get("form-action") == ["'self'"], where
        assert found.get("frame-ancestors") == ["'none'"], where
        assert found.get("default-src") == ["'self'"], where
        assert "'unsafe-inline'" not in found["script-src"] and "*" not in str(found), where
        assert answer.headers.get("x-content-type-options") == "nosniff", where
        assert answer.headers.get("referrer-policy") == "same-origin", where


def test_personal_answers_are_never_stored(portal) -> None:
    client = portal()
    sign_in(client, "karin.ostberg")
    for path in PERSONAL:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert "no-store" in answer.headers.get("cache-control", ""), path
    # In demo mode a site page names the person signed in: not for a cache either.
    page = client.get("/rutiner/")
    assert "Karin Östberg" in page.text and "no-store" in page.headers["cache-control"]
