"""The dashboard's figures for one viewer: everything the pages and the exports show.

No HTTP here. Every function takes what it needs (a session, what is published, the viewer's
`policy.Scope`) and returns plain values, so the figures can be checked against
hand-computed numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ...content.catalogue import Catalogue
from ..access.policy import Scope
from ..published import Published
from ..campaigns.ledger import Count, Ledger, build_ledger
from .acknowledgements import Acknowledgements, acknowledgement_rates
from .approvals import Approvals, approvals
from .training import Training, management_training


@dataclass(frozen=True)
class Summary:
    """How are we doing: the four figures of the first page."""

    acknowledgements: Count  # acknowledgements done of those required, in scope
    training: Count  # managers with all NIS2 modules done, of the managers in scope
    waiting: int
    longest_wait: int | None  # days
    overdue: int


def summarise(acks: Acknowledgements, training: Training, pending: Approvals) -> Summary:
    return Summary(acks.rate, training.rate, len(pending.waiting), pending.longest_wait,
                   len(pending.overdue))


@dataclass
class Figures:
    scope: Scope
    today: dt.date
    acknowledgements: Acknowledgements
    training: Training
    approvals: Approvals

    @property
    def summary(self) -> Summary:
        return summarise(self.acknowledgements, self.training, self.approvals)


def figures(session: Session, published: Published, catalogue: Catalogue, scope: Scope,
            today: dt.date, ledger: Ledger | None = None) -> Figures:
    ledger = ledger or build_ledger(session, published, today)
    return Figures(
        scope, today,
        acknowledgement_rates(ledger, published.organisation, scope),
        management_training(ledger, published, scope),
        approvals(catalogue, today))
