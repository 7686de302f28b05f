"""Domain exceptions; each carries where the problem is, so the faces can say it plainly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where in a source a value sits: file, 1-based line, and the field's dotted path."""

    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        elif self.line:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(self.field)
        return ": ".join(parts) if parts else "?"


class RoadmapError(Exception):
    """Base of every domain error; ``location`` says where, when known."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location:
            return f"{self.location}: {self.message}"
        return self.message


class InvalidTerm(RoadmapError):
    """A term («Сроки реализации») that fits none of the program's expansion rules."""


class InvalidPeriod(RoadmapError):
    """A period label or range that cannot be read."""


class UnknownExecutor(RoadmapError):
    """An executor named in the road map that the organization registry does not know."""


class ProgramDataError(RoadmapError):
    """Program data that is malformed or inconsistent."""


class ProgramErrors(RoadmapError):
    """Several data errors found at once; ``errors`` lists them all."""

    def __init__(self, errors: list[RoadmapError]) -> None:
        # the message stands for them all where one line is shown (the federal view's row)
        first = str(errors[0]) if errors else ""
        super().__init__(f"ошибок в данных программы: {len(errors)}; первая: {first}")
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class NotPermitted(RoadmapError):
    """Something the person acting may not do (a co-executor declaring «неприменимо»)."""


class ImportFailed(RoadmapError):
    """A program document that the importer cannot read."""


class ProgramNotChosen(RoadmapError):
    """Several programs are loaded and the command did not say which one it is for."""
