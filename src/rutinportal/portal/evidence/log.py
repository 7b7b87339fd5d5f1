"""The log of exports: every evidence bundle made, by whom, from where (CLI or portal), when,
for which period, with the SHA-256 of its signed manifest. (`kind` leaves room for other
exports with personal data; the annual report has none and is not recorded.)"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..storage.db import write_lock
from ..storage.models import EvidenceExport

BUNDLE = "bevispaket"
KIND_TEXT = {BUNDLE: "Bevispaket"}
VIA_TEXT = {"cli": "kommandoraden", "portal": "portalen"}


def record(session: Session, *, export_id: str, kind: str, by: str, via: str,
           period_from: dt.date | None, period_to: dt.date, sha256: str,
           acknowledgements: int = 0) -> EvidenceExport:
    entry = EvidenceExport(export_id=export_id, kind=kind, exported_by=by[:300], via=via,
                           period_from=period_from, period_to=period_to, sha256=sha256,
                           acknowledgements=acknowledgements)
    with write_lock(session.get_bind()):
        session.add(entry)
        session.commit()
    return entry


def recent(session: Session, limit: int = 10) -> list[EvidenceExport]:
    return list(session.scalars(select(EvidenceExport)
                                .order_by(EvidenceExport.exported_at.desc(),
                                          EvidenceExport.id.desc()).limit(limit)))
