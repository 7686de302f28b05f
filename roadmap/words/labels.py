"""Russian words for every value a person reads: states, standings, verdicts, colours.

The one place where a code becomes a word. Code compares codes (``State``, ``Status``,
``ExecutionStatus`` …) and asks this module for the word when it writes a document, a
page or a message. Keys are the codes' string values, so the stored text of a state
finds its word too.
"""

from __future__ import annotations

from roadmap.words.verdicts import (
    ExecutionStatus,
    ForecastVerdict,
    IndicatorStatus,
    ReviewState,
    Tone,
)
from roadmap.words.wording import percent_ru

# An obligation's stored state (``states.State``).
STATE_RU: dict[str, str] = {
    "open": "открыто",
    "overdue": "просрочено",
    "submitted": "представлено",
    "accepted": "принято",
    "rejected": "возвращено на доработку",
    "not_applicable": "неприменимо",
    "closed_late": "закрыто с опозданием",
    "cancelled": "отменено",
}

# An obligation's standing as of a date (``status.Status``).
STATUS_RU: dict[str, str] = {
    "upcoming": "ещё не открыто",
    "open": "в работе",
    "due_soon": "срок скоро",
    "overdue": "просрочено",
    "done": "выполнено",
    "not_applicable": "неприменимо",
}

EXECUTION_RU: dict[ExecutionStatus, str] = {
    ExecutionStatus.DONE: "выполнено",
    ExecutionStatus.DONE_LATE: "выполнено с нарушением срока",
    ExecutionStatus.ON_REVIEW: "документ на рассмотрении",
    ExecutionStatus.NOT_DONE: "не выполнено",
    ExecutionStatus.IN_PROGRESS: "в работе",
    ExecutionStatus.NOT_DUE: "срок не наступил",
    ExecutionStatus.NOT_APPLICABLE: "неприменимо",
    ExecutionStatus.NONE_IN_PERIOD: "исполнение в отчётном периоде не предусмотрено",
}

INDICATOR_STATUS_RU: dict[IndicatorStatus, str] = {
    IndicatorStatus.ACHIEVED: "достигнуто",
    IndicatorStatus.NOT_ACHIEVED: "не достигнуто",
    IndicatorStatus.NO_DATA: "нет данных",
    IndicatorStatus.NO_TARGET: "плановое значение не установлено",
}


def indicator_legend(margin: float) -> dict[Tone, str]:
    """What each colour of an indicator means, the margin written out («5 %»)."""
    m = percent_ru(margin, digits=0)
    return {
        Tone.GREEN: "достигнуто",
        Tone.AMBER: f"не достигнуто, отклонение не более {m}",
        Tone.RED: f"не достигнуто, отклонение более {m}",
        Tone.GREY: "нет данных",
    }


FORECAST_RU: dict[ForecastVerdict, str] = {
    ForecastVerdict.ON_TRACK: "в пределах плана",
    ForecastVerdict.AT_RISK: "риск недостижения",
    ForecastVerdict.HIGH_RISK: "высокий риск недостижения",
}

REVIEW_RU: dict[str, str] = {
    ReviewState.PENDING: "на проверке",
    ReviewState.ACCEPTED: "принят",
    ReviewState.REJECTED: "возвращён на доработку",
}

# An indicator's better direction (``program.Direction``).
DIRECTION_RU: dict[str, str] = {"up": "рост", "down": "снижение"}


def state_word(state: str) -> str:
    """A stored state's word (the stored text itself when it is not a known state)."""
    return STATE_RU.get(state, state)


def review_word(state: str) -> str:
    return REVIEW_RU.get(state, state)
