"""What an assessment says of an indicator, an activity or a document: the report's enums.

Plain values only; their Russian words are in ``labels.py``, and no code compares words.
"""

from __future__ import annotations

from enum import StrEnum


class IndicatorStatus(StrEnum):
    """A key indicator's result at the checkpoint the report judges it at: the fact against
    the plan. What a forecast says of later checkpoints is its own column
    (``ForecastVerdict``), never mixed into this one."""

    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    NO_DATA = "no_data"
    NO_TARGET = "no_target"


class ExecutionStatus(StrEnum):
    """An activity's checkpoint in the period, or the activity as a whole.

    As the monitoring of national and regional projects words them: done (on time), done
    late, not done (the due date has passed), in progress (open, not yet due), not yet due
    (not yet open); besides, on review (a document handed in, its review not finished: not
    yet done, on time or late), declared not applicable, and for a whole activity, nothing
    to execute in the period.
    """

    DONE = "done"
    DONE_LATE = "done_late"
    ON_REVIEW = "on_review"
    NOT_DONE = "not_done"
    IN_PROGRESS = "in_progress"
    NOT_DUE = "not_due"
    NOT_APPLICABLE = "not_applicable"
    NONE_IN_PERIOD = "none_in_period"


class Tone(StrEnum):
    """The traffic light: green achieved, amber at risk or within the margin, red missed."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"


class ForecastVerdict(StrEnum):
    """What a forecast says of a target at a checkpoint (the early warning's rule)."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    HIGH_RISK = "high_risk"


class ReviewState(StrEnum):
    """A document's review by the coordinator."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
