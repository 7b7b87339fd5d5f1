"""Exceptions: a person away until a date, or their due date extended; recorded with who,
when and why, and revocable (a person back early). Plain functions taking a session; who may
record them is `policy.require_exceptions`'s decision, not this module's."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import NotFound, UserError
from ..published import Published
from ..storage.db import write_lock
from ..storage.models import Person, PersonException, utcnow
from .records import AWAY, EXTEND
from .requirements import requirements

MAX_REASON = 500
KIND_TEXT = {AWAY: "frånvarande", EXTEND: "senare datum"}


def _check(until: dt.date, reason: str, today: dt.date) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise UserError("reason: förväntade ett skäl (t.ex. \"Föräldraledig\"), fick "
                        "ingenting. Ingenting har registrerats.", 422)
    if len(reason) > MAX_REASON:
        raise UserError(f"reason: förväntade högst {MAX_REASON} tecken, fick {len(reason)}. "
                        "Ingenting har registrerats.", 422)
    if until < today:
        raise UserError(f"until: förväntade ett datum från och med i dag ({today.isoformat()}), "
                        f"fick {until.isoformat()}. Ingenting har registrerats.", 422)
    return reason


def _save(session: Session, exception: PersonException) -> PersonException:
    with write_lock(session.get_bind()):
        session.add(exception)
        session.commit()
    return exception


def record_away(session: Session, person: Person, until: dt.date, reason: str,
                recorded_by: str, today: dt.date) -> PersonException:
    """`person` is away until `until` (inclusive): out of every count until then."""
    reason = _check(until, reason, today)
    return _save(session, PersonException(person_pk=person.id, kind=AWAY, until=until,
                                          reason=reason, recorded_by=recorded_by,
                                          recorded_at=utcnow()))


def record_extension(session: Session, person: Person, published: Published,
                     document_id: str | None, until: dt.date, reason: str, recorded_by: str,
                     today: dt.date) -> PersonException:
    """`person` has until `until` for `document_id` (or for everything, when None)."""
    reason = _check(until, reason, today)
    if document_id:
        known = {r.id for r in requirements(published)}
        if document_id not in known:
            raise UserError(f"document: förväntade en publicerad obligatorisk rutin eller "
                            f"utbildningsmodul, fick '{document_id}'. Ingenting har "
                            "registrerats.", 422)
    return _save(session, PersonException(person_pk=person.id, kind=EXTEND,
                                          document_id=document_id or None, until=until,
                                          reason=reason, recorded_by=recorded_by,
                                          recorded_at=utcnow()))


def revoke(session: Session, person: Person, exception_id: int,
           revoked_by: str) -> PersonException:
    found = session.get(PersonException, exception_id)
    if found is None or found.person_pk != person.id or found.revoked_at is not None:
        raise NotFound("Undantaget finns inte (eller är redan borttaget).")
    with write_lock(session.get_bind()):
        found.revoked_at, found.revoked_by = utcnow(), revoked_by
        session.commit()
    return found


def of_person(session: Session, person: Person, include_revoked: bool = False
              ) -> list[PersonException]:
    where = [PersonException.person_pk == person.id]
    if not include_revoked:
        where.append(PersonException.revoked_at.is_(None))
    return list(session.scalars(select(PersonException).where(*where)
                                .order_by(PersonException.recorded_at, PersonException.id)))


def describe(exception: PersonException, titles: dict[str, str] | None = None) -> str:
    """One line in Swedish, e.g. "Frånvarande till och med 2027-03-31 (Föräldraledig)"."""
    until = exception.until.isoformat()
    if exception.kind == AWAY:
        text = f"Frånvarande till och med {until}"
    elif exception.document_id:
        title = (titles or {}).get(exception.document_id, exception.document_id)
        text = f"Senare datum för {title}: senast {until}"
    else:
        text = f"Senare datum för allt: senast {until}"
    return f"{text} ({exception.reason})"
