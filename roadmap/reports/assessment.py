"""The assessment's rules: level of achievement, status and colour, execution, conclusions.

The program asks for a consolidated report «в целях оценки эффективности реализации ее
мероприятий и достижения установленных ключевых показателей». These are its rules, each a
small function, as the monitoring of national and regional projects applies them:

- the level (percent) of achievement respects the indicator's direction: fact / plan when
  more is better, plan / fact when less is better;
- an indicator is achieved when the fact is at least as good as the plan, and not achieved
  otherwise, by however little: the margin (``ROADMAP_EXPLANATION_MARGIN``) decides only
  whether the deviation needs an explanation, and colours a small miss amber, not green;
- a forecast, when there is one, gives its own verdict beside the result (at the next
  checkpoint or the period's end): it never changes the checkpoint's result;
- an activity's checkpoint is done (on time or late), on review, not done, in progress or
  not yet due; a document still on review is not done;
- the conclusions restate the figures by fixed rules, with no prose of their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from roadmap.obligations.status import StatusEntry
from roadmap.words.labels import EXECUTION_RU as EXECUTION_WORDS
from roadmap.words.verdicts import ExecutionStatus, ForecastVerdict, IndicatorStatus, Tone
from roadmap.words.wording import count_ru, percent_ru

DUE = (ExecutionStatus.DONE, ExecutionStatus.DONE_LATE, ExecutionStatus.NOT_DONE)
EXECUTION_TONE: dict[ExecutionStatus, Tone] = {
    ExecutionStatus.DONE: Tone.GREEN,
    ExecutionStatus.DONE_LATE: Tone.AMBER,
    ExecutionStatus.ON_REVIEW: Tone.GREY,
    ExecutionStatus.NOT_DONE: Tone.RED,
    ExecutionStatus.IN_PROGRESS: Tone.GREY,
    ExecutionStatus.NOT_DUE: Tone.GREY,
    ExecutionStatus.NOT_APPLICABLE: Tone.GREY,
    ExecutionStatus.NONE_IN_PERIOD: Tone.GREY,
}


@dataclass(frozen=True)
class Forecast:
    """A forecast of an indicator at the end of the period, as the forecasting rules give it.

    ``projected`` is the expected value, ``low`` and ``high`` the bounds of its range,
    ``horizon`` the date the forecast is for, as text reads it after «к» («31 декабря 2026 г.»),
    ``probability`` that of reaching the target, and ``next`` the same at the next
    checkpoint, when it comes before the end.
    """

    verdict: ForecastVerdict
    projected: float
    low: float
    high: float
    horizon: str = ""
    probability: float | None = None
    next: Forecast | None = None

    @property
    def warns(self) -> bool:
        """A risk of not reaching the target, at the next checkpoint or at the end."""
        risky = (ForecastVerdict.AT_RISK, ForecastVerdict.HIGH_RISK)
        return self.verdict in risky or (self.next is not None and self.next.verdict in risky)


# --- indicators ---------------------------------------------------------------------------
def achievement_level(direction: str, actual: float, target: float) -> float | None:
    """Fact / plan when more is better, plan / fact when less is better (1.0 is 100 %).

    None where the share is undefined: a plan of zero when more is better, a fact of zero
    when less is better (both of which achieve the plan); both zero read as 100 %.
    """
    if actual == 0 and target == 0:
        return 1.0
    if direction == "down":
        return None if actual == 0 else target / actual
    return None if target == 0 else actual / target


def indicator_status(deviation: float | None, target: float | None) -> IndicatorStatus:
    """The checkpoint's result: achieved or not by the fact, no data without one. A forecast
    is judged apart (``Forecast.verdict``) and never changes the result."""
    if target is None:
        return IndicatorStatus.NO_TARGET
    if deviation is not None and deviation > 0:
        return IndicatorStatus.NOT_ACHIEVED
    if deviation is None:
        return IndicatorStatus.NO_DATA
    return IndicatorStatus.ACHIEVED


def indicator_tone(status: IndicatorStatus, needs_explanation: bool) -> Tone:
    """Green achieved; amber missed within the margin; red missed beyond it."""
    if status == IndicatorStatus.ACHIEVED:
        return Tone.GREEN
    if status == IndicatorStatus.NOT_ACHIEVED:
        return Tone.RED if needs_explanation else Tone.AMBER
    return Tone.GREY


_MEASURES = re.compile(r"(?:^|[\s.;])(?:принятые\s+)?меры\s*:\s*", re.IGNORECASE)
_REASONS = re.compile(r"^\s*причин[аы]\s*(?:отклонения\s*)?:\s*", re.IGNORECASE)


def split_explanation(text: str | None) -> tuple[str | None, str | None]:
    """(reasons, measures) of an explanation: the measures follow «Меры:» or «Принятые меры:».

    An explanation without that mark is all reasons; nothing is added to either part.
    """
    if not text or not text.strip():
        return None, None
    m = _MEASURES.search(text)
    head, tail = (text[: m.start()], text[m.end() :]) if m else (text, "")
    reasons = _REASONS.sub("", head).strip(" .;\n")
    if reasons and not reasons.endswith("."):
        reasons += "."
    return reasons or None, tail.strip() or None


# --- activities ---------------------------------------------------------------------------
def checkpoint_execution(entry: StatusEntry, *, on_review: bool = False) -> ExecutionStatus:
    """An obligation's standing as an activity checkpoint's status.

    Due means the due date is on or before the as-of date, as the rates count it. A
    document handed in whose review is not finished (``on_review``) is on review, neither
    done nor done late: whether it fulfils the checkpoint is not yet known.
    """
    if entry.status == "not_applicable":
        return ExecutionStatus.NOT_APPLICABLE
    if entry.fulfilled and on_review:
        return ExecutionStatus.ON_REVIEW
    if entry.fulfilled:
        return ExecutionStatus.DONE if entry.on_time else ExecutionStatus.DONE_LATE
    if entry.due_passed:
        return ExecutionStatus.NOT_DONE
    if entry.status == "upcoming":
        return ExecutionStatus.NOT_DUE
    return ExecutionStatus.IN_PROGRESS


def activity_execution(checkpoints: Sequence[ExecutionStatus], *, later: bool) -> ExecutionStatus:
    """An activity's status in the period from its checkpoints' statuses.

    Any checkpoint not done makes it not done; a checkpoint still ahead makes it in progress
    (or not yet due, if none has opened and none is done); otherwise on review if a
    document is still on review, done late if any was late, done if any was done. Without
    checkpoints in the period: not yet due if it has some after it (``later``), else
    nothing to execute in the period.
    """
    s = set(checkpoints)
    if not s:
        return ExecutionStatus.NOT_DUE if later else ExecutionStatus.NONE_IN_PERIOD
    if ExecutionStatus.NOT_DONE in s:
        return ExecutionStatus.NOT_DONE
    if ExecutionStatus.IN_PROGRESS in s or ExecutionStatus.NOT_DUE in s:
        started = s - {ExecutionStatus.NOT_DUE, ExecutionStatus.NOT_APPLICABLE}
        return ExecutionStatus.IN_PROGRESS if started else ExecutionStatus.NOT_DUE
    if ExecutionStatus.ON_REVIEW in s:
        return ExecutionStatus.ON_REVIEW
    if ExecutionStatus.DONE_LATE in s:
        return ExecutionStatus.DONE_LATE
    if ExecutionStatus.DONE in s:
        return ExecutionStatus.DONE
    return ExecutionStatus.NOT_APPLICABLE


# --- the overall figures and the conclusions ----------------------------------------------
@dataclass(frozen=True)
class Summary:
    """The overall figures: indicators by status, activities by status, and two shares.

    Every count on every page comes from here. ``indicators_assessed`` have a plan and a
    fact at the checkpoint; ``activities_due`` are done, done late or not done.
    """

    checkpoint_label: str
    margin: float
    indicators_planned: int
    indicators_assessed: int
    indicators_achieved: int
    not_achieved: tuple[str, ...]
    no_data: tuple[str, ...]
    at_risk: tuple[str, ...]
    explanations_required: tuple[str, ...]
    explanations_missing: tuple[str, ...]
    activities: dict[ExecutionStatus, int]
    not_done: tuple[str, ...]

    @property
    def activities_total(self) -> int:
        return sum(self.activities.values())

    @property
    def activities_due(self) -> int:
        return sum(self.activities.get(s, 0) for s in DUE)

    @property
    def activities_on_time(self) -> int:
        return self.activities.get(ExecutionStatus.DONE, 0)

    @property
    def share_achieved(self) -> float | None:
        return (
            self.indicators_achieved / self.indicators_assessed
            if self.indicators_assessed
            else None
        )

    @property
    def share_on_time(self) -> float | None:
        return self.activities_on_time / self.activities_due if self.activities_due else None


_KEY_INDICATORS = ("ключевому показателю", "ключевым показателям", "ключевым показателям")


def _share(share: float | None) -> str:
    return "—" if share is None else percent_ru(share)


def _codes(codes: Sequence[str]) -> str:
    return ", ".join(codes)


def _achieved_sentence(s: Summary) -> str:
    """The indicators planned, assessed and achieved; with none assessed, said in words."""
    at = f"На контрольную точку «{s.checkpoint_label}» плановые значения"
    if not s.indicators_planned:
        return f"{at} не установлены."
    planned = f"{at} установлены по {count_ru(s.indicators_planned, *_KEY_INDICATORS)}"
    if not s.indicators_assessed:
        return (
            f"{planned}; фактические значения не представлены ни по одному, достижение "
            "плановых значений не оценивалось."
        )
    return (
        f"{planned}; фактические значения представлены по {s.indicators_assessed}. "
        f"Плановые значения достигнуты по {s.indicators_achieved} "
        f"({_share(s.share_achieved)} оценённых), не достигнуты по {len(s.not_achieved)}."
    )


def conclusions(s: Summary) -> tuple[str, ...]:
    """«Выводы»: the summary's figures, each rule a sentence, in a fixed order."""
    out: list[str] = [_achieved_sentence(s)]
    a = s.activities
    if s.not_achieved:
        out.append(f"Не достигнуты плановые значения показателей {_codes(s.not_achieved)}.")
    margin = percent_ru(s.margin, digits=0)
    if s.explanations_required:
        n = len(s.explanations_required)
        out.append(
            f"Отклонение более {margin}, при котором требуется пояснение причин, допущено по "
            f"{count_ru(n, 'показателю', 'показателям', 'показателям')} "
            f"({_codes(s.explanations_required)})"
            + (
                f"; пояснения не представлены по {_codes(s.explanations_missing)}."
                if s.explanations_missing
                else "; пояснения представлены."
            )
        )
    elif s.not_achieved:
        out.append(f"Отклонений более {margin}, требующих пояснения причин, нет.")
    if s.no_data:
        out.append(
            "Фактические значения не представлены по "
            f"{count_ru(len(s.no_data), 'показателю', 'показателям', 'показателям')}: "
            f"{_codes(s.no_data)}."
        )
    if s.at_risk:
        out.append(
            "По прогнозу существует риск недостижения плановых значений показателей "
            f"{_codes(s.at_risk)}."
        )
    total = s.activities_total
    out.append(
        f"Из {count_ru(total, 'мероприятия', 'мероприятий', 'мероприятий')} «дорожной карты»: "
        + "; ".join(f"{EXECUTION_WORDS[k]} — {a[k]}" for k in ExecutionStatus if a.get(k, 0))
        + "."
    )
    if s.activities_due:
        out.append(
            f"Доля мероприятий, выполненных в срок: {_share(s.share_on_time)} "
            f"({s.activities_on_time} из {s.activities_due} со статусами "
            + ", ".join(f"«{EXECUTION_WORDS[k]}»" for k in DUE)
            + ")."
        )
    if s.not_done:
        out.append(f"Не выполнены в установленный срок мероприятия {_codes(s.not_done)}.")
    return tuple(out)
