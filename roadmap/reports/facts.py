"""The facts a report is built from, as storage gathers them: obligations, documents, values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from roadmap.obligations.status import ObligationFacts
from roadmap.reports.doc_details import DocumentDetails


@dataclass(frozen=True)
class EvidenceFact:
    """One version of a document handed in, with the details its submitter gave."""

    original_name: str
    submitted_on: dt.date
    effective_date: dt.date
    version: int
    sha256: str
    review_state: str  # pending | accepted | rejected
    document: DocumentDetails = DocumentDetails()
    submitted_by: str | None = None  # the person, as the intake page or the mail named them
    submitted_org: str | None = None  # the organisation's id

    @property
    def details(self) -> str | None:
        """The document by its details («постановление … от 12.03.2025 № 17-кдн»), if given."""
        return self.document.text()


@dataclass(frozen=True)
class ObligationFact:
    facts: ObligationFacts
    activity: str | None
    kind: str
    report_kind: str | None
    period: str
    evidence_kind: str
    state: str
    evidence: tuple[EvidenceFact, ...] = ()
    na_reason: str | None = None


@dataclass(frozen=True)
class ValueFact:
    indicator: str
    period: str
    org: str
    value: float
    explanation: str | None
    given_on: dt.date


@dataclass(frozen=True)
class TargetFact:
    activity: str
    target: int
    period: str
    org: str
    value: float
    given_on: dt.date


@dataclass(frozen=True)
class ReasonFact:
    """An executor's reasons for a shortfall and the measures taken, as given: for an
    obligation (an activity's checkpoint not done or late), or an indicator at a period."""

    obligation_id: str | None
    indicator: str | None
    period: str | None
    org: str | None
    reasons: str
    measures: str | None
    given_by: str
    given_on: dt.date


@dataclass(frozen=True)
class ReportFacts:
    obligations: tuple[ObligationFact, ...]
    values: tuple[ValueFact, ...]  # the newest value per (indicator, period, org)
    targets: tuple[TargetFact, ...]  # the newest value per (activity, target, period, org)
    # the newest reasons per (obligation or indicator and period, org)
    reasons: tuple[ReasonFact, ...] = ()
