"""Behaviour profiles for the simulation: how organizations answer their obligations.

Every decision is drawn from a random stream seeded by the seed and the obligation's id, so
the same seed gives the same decisions whatever order obligations are visited in. A
profile is YAML (``roadmap/data/simulation/default-behaviour.yaml``) or one of the inline
names ``never`` (nobody submits anything) and ``on-time`` (everything on its due date).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from roadmap.errors import ProgramErrors, RoadmapError
from roadmap.program.loader import DATA_DIR, from_pydantic, read_program_yaml

DEFAULT_PROFILE = DATA_DIR / "simulation" / "default-behaviour.yaml"
Outcome = Literal["on_time", "late", "never"]


class OrgBehaviour(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    on_time: float = Field(0.65, ge=0, le=1)
    early_days: tuple[int, int] = (0, 8)
    late: float = Field(0.25, ge=0, le=1)
    late_days: tuple[int, int] = (1, 25)
    never: float = Field(0.10, ge=0, le=1)
    rejected_once: float = Field(0.10, ge=0, le=1)
    resubmit_days: tuple[int, int] = (2, 6)
    review_days: int = Field(2, ge=0)

    @model_validator(mode="after")
    def _shares_add_up(self) -> OrgBehaviour:
        total = self.on_time + self.late + self.never
        if abs(total - 1) > 1e-6:
            raise ValueError(f"on_time + late + never должно быть 1, получено {total:g}")
        return self


class IndicatorBehaviour(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    report_share: float = Field(0.85, ge=0, le=1)
    noise: float = Field(0.04, ge=0, le=1)
    # The monitored headcount's course: unset, it follows the plan's trajectory; a range
    # [low, high] is a steady change per month from the program's first month, as a share
    # of the starting value, drawn once per seed from the range.
    headcount_trend: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _trend_is_a_range(self) -> IndicatorBehaviour:
        t = self.headcount_trend
        if t is not None and not -1 <= t[0] <= t[1] <= 1:
            raise ValueError(f"headcount_trend: ожидается [от, до] в пределах ±1, получено {t}")
        return self

    def headcount_rate(self, seed: int) -> float | None:
        """This seed's change per month (a share of the starting value), or None: the plan."""
        if self.headcount_trend is None:
            return None
        low, high = self.headcount_trend
        return stream(seed, "headcount:trend").uniform(low, high)


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    default: OrgBehaviour = OrgBehaviour()
    organizations: dict[str, dict[str, object]] = Field(default_factory=dict)
    indicators: IndicatorBehaviour = IndicatorBehaviour()

    def for_org(self, org: str) -> OrgBehaviour:
        override = self.organizations.get(org)
        if not override:
            return self.default
        return OrgBehaviour.model_validate({**self.default.model_dump(), **override})


INLINE = {
    "never": Profile(
        default=OrgBehaviour(on_time=0, late=0, never=1, rejected_once=0),
        indicators=IndicatorBehaviour(report_share=0),
    ),
    "on-time": Profile(
        default=OrgBehaviour(
            on_time=1, early_days=(0, 0), late=0, never=0, rejected_once=0, review_days=0
        )
    ),
}


def load_profile(spec: str | Path | None) -> Profile:
    """A profile by inline name, from a YAML file, or the default one.

    Raises:
        ProgramErrors: the file cannot be read or does not fit the profile's shape; each
            error names the file, line and field.
    """
    if spec is None:
        spec = DEFAULT_PROFILE
    if isinstance(spec, str) and spec in INLINE:
        return INLINE[spec]
    raw, lines = read_program_yaml(Path(spec))
    try:
        profile = Profile.model_validate(raw)
    except ValidationError as exc:
        raise ProgramErrors([from_pydantic(e, lines) for e in exc.errors()]) from None
    errors: list[RoadmapError] = []
    for org in profile.organizations:
        try:
            profile.for_org(org)
        except ValidationError as exc:
            where = ("organizations", org)
            errors.extend(from_pydantic(e, lines, prefix=where) for e in exc.errors())
    if errors:
        raise ProgramErrors(errors)
    return profile


def stream(seed: int, key: str) -> random.Random:
    """A random stream for one obligation (or any key), independent of visiting order."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


@dataclass(frozen=True)
class Decision:
    """What the simulated executors do about one obligation."""

    outcome: Outcome
    offset: int  # working days from the due date: ≤ 0 on time, > 0 late
    rejected_once: bool
    resubmit_after: int
    review_after: int


def decide(profile: Profile, obligation_id: str, lead: str, seed: int) -> Decision:
    b = profile.for_org(lead)
    rng = stream(seed, obligation_id)
    roll = rng.random()
    if roll < b.on_time:
        outcome: Outcome = "on_time"
        offset = -rng.randint(*b.early_days)
    elif roll < b.on_time + b.late:
        outcome, offset = "late", rng.randint(*b.late_days)
    else:
        outcome, offset = "never", 0
    rejected = outcome != "never" and rng.random() < b.rejected_once
    return Decision(outcome, offset, rejected, rng.randint(*b.resubmit_days), b.review_days)
