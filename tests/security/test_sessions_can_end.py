"""Item 2: a session ends on the server when its person signs out, and a session made in one
auth mode is no identity in another on the same checkout (same secret key, same database)."""

from __future__ import annotations

import pytest

from ..portal.support import csrf, sign_in

pytestmark = pytest.mark.build


def test_a_cookie_saved_before_sign_out_is_refused(portal) -> None:
    victim = portal()
    sign_in(victim, "karin.ostberg")
    stolen = victim.cookies["rp_session"]
    assert victim.post("/logout", data={"csrf_token": csrf(victim)}).status_code == 303
    attacker = portal()
    attacker.cookies.set("rp_session", stolen)
    assert attacker.get("/api/me").status_code == 401
    assert attacker.get("/uppfoljning/export.xlsx").status_code == 401


def test_a_dev_mode_cookie_is_no_identity_in_oidc_mode(portal, monkeypatch) -> None:
    dev = portal(auth="dev")
    sign_in(dev, "karin.ostberg")
    monkeypatch.setenv("RUTINPORTAL_OIDC_ISSUER", "https://login.example/tenant/v2.0")
    monkeypatch.setenv("RUTINPORTAL_OIDC_CLIENT_ID", "rutinportalen")
    production = portal(auth="oidc")
    production.cookies.set("rp_session", dev.cookies["rp_session"])
    assert production.get("/api/me").status_code == 401
    assert production.get("/uppfoljning/export.xlsx").status_code == 401
