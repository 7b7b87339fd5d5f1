"""Bevis och årsrapport in Chromium: sector leadership reaches the page from the dashboard,
downloads the evidence bundle with the form (keyboard and labels) and the annual report; the
bundle verifies and the export is listed. axe-clean at phone and desktop size."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from rutinportal.portal.evidence import keys
from rutinportal.portal.evidence.verify import verify

from .conftest import LEADER, sign_in
from .test_accessibility import assert_accessible

pytestmark = pytest.mark.browser


def test_leadership_downloads_the_bundle_and_the_report(flow_page, fresh_portal,
                                                        tmp_path: Path, monkeypatch) -> None:
    page = flow_page
    today = dt.date.today()
    sign_in(page, LEADER, "/uppfoljning/")
    page.get_by_role("link", name="bevispaket och årsrapportens siffror").click()
    expect(page.get_by_role("heading", name="Bevis och årsrapport", level=1)).to_be_visible()
    assert_accessible(page, "Bevis och årsrapport")

    page.get_by_label("Kvittenser från och med").fill((today - dt.timedelta(days=30)).isoformat())
    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ner bevispaket").press("Enter")
    bundle = tmp_path / download.value.suggested_filename
    download.value.save_as(bundle)
    assert bundle.name == f"bevispaket-{today - dt.timedelta(days=30)}-{today}.zip"
    monkeypatch.setenv(keys.ENV, fresh_portal.env[keys.ENV])  # the portal's key
    checked = verify(bundle, keys.local_public_key(tmp_path))
    assert checked.ok, checked.problems

    page.reload()
    exports = page.get_by_role("table", name=re.compile("^De senaste bevispaketen"))
    expect(exports.locator("tbody tr")).to_have_count(1)
    expect(exports.locator("tbody tr")).to_contain_text("Bevispaket (portalen)")
    expect(exports.locator("tbody tr")).to_contain_text("Karin Östberg")
    assert_accessible(page, "Bevis och årsrapport, efter en export")

    page.get_by_label("År").select_option(str(today.year))
    # The report is made when asked for (figures, charts, the tagged PDF): a few seconds of
    # work, longer on a loaded machine — waited for, not timed.
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Ladda ner årsrapportens siffror").click(
            no_wait_after=True)
    report = tmp_path / download.value.suggested_filename
    download.value.save_as(report)
    assert report.name == f"arsrapport-{today.year}.zip"
    with zipfile.ZipFile(report) as files:
        assert f"arsrapport-{today.year}/arsrapport-{today.year}.xlsx" in files.namelist()
