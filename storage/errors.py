"""Storage errors: domain errors with a plain Russian message for the faces to show."""

from __future__ import annotations

from roadmap.errors import RoadmapError


class NotFound(RoadmapError):
    """An obligation, evidence, extension or program that storage does not have."""


class EvidenceRejected(RoadmapError):
    """An uploaded file that cannot be accepted: empty, too big, wrong type, bad name, no room."""


class ExplanationRequired(RoadmapError):
    """An indicator value that misses its target or jumps, given without an explanation."""

    def __init__(self, message: str, reasons: tuple[str, ...]) -> None:
        super().__init__(message)
        self.reasons = reasons


class NotSynced(RoadmapError):
    """The database holds no program yet (run `roadmap sync`)."""


class DatabaseUnavailable(RoadmapError):
    """The database cannot be opened; the message names its URL without the password."""


class LinkAlreadyUsed(RoadmapError):
    """An intake link that has already served its one submission."""


class StaleVersion(RoadmapError):
    """A review of a document version that a newer one has replaced meanwhile."""


class MailAlreadyHandled(RoadmapError):
    """A letter from the program mailbox that another run has handled already."""


class FileRefused(RoadmapError):
    """A file the store cannot keep: empty, too big, a path outside its owner's folder, no
    room; or bytes that no longer match their hash."""
