"""What every route of the intake page needs: the runtime, the rate limiter and the page
templates, one ``Intake`` built once at the page's edge (``build_intake``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from intake.limits import RateLimiter
from roadmap.dates.workdays import WorkCalendar
from roadmap.errors import ProgramNotChosen, RoadmapError
from roadmap.obligations.keys import program_of
from roadmap.program.model import Program
from services.runtime import Runtime
from services.tokens import Keys

GENERAL_TITLE = "Представление документов по региональной программе"


def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("intake", "templates"),
        autoescape=select_autoescape(enabled_extensions=("j2",)),
        undefined=StrictUndefined,
    )


@dataclass
class Intake:
    """Everything the routes need: the runtime, the rate limiter and the page templates."""

    rt: Runtime
    limiter: RateLimiter
    templates: Environment = field(default_factory=_templates)

    @property
    def program(self) -> Program:
        return self.rt.program

    @property
    def calendar(self) -> WorkCalendar:
        return self.rt.calendar

    @property
    def key(self) -> Keys:
        """Each link's key, by the program (or the federal view) it names."""
        return self.rt.key_for

    @property
    def max_files(self) -> int:
        return self.rt.settings.intake_max_files

    @property
    def max_file_bytes(self) -> int:
        return self.rt.settings.max_upload_mb * 1024 * 1024

    @property
    def max_request_bytes(self) -> int:
        return self.rt.settings.intake_max_request_mb * 1024 * 1024

    def clock(self) -> dt.datetime:
        return self.rt.now()

    @property
    def title(self) -> str:
        """The page's heading: the program's title, or a general one until a link names it."""
        try:
            return self.rt.program.title
        except ProgramNotChosen:
            return GENERAL_TITLE

    def for_obligation(self, obligation_id: str) -> Intake:
        """The intake of the program an obligation belongs to (its id's first part).

        One page serves every program: the link's obligation says which one answers.
        """
        try:
            rt = self.rt.for_program(program_of(obligation_id))
        except RoadmapError:
            return self  # not a program of ours: storage will not find the obligation either
        return self if rt is self.rt else replace(self, rt=rt)


def build_intake(rt: Runtime) -> Intake:
    """An ``Intake`` over the runtime (the page's edge)."""
    return Intake(rt=rt, limiter=RateLimiter(rt.settings.intake_rate_limit))
