"""What came to the program mailbox lately, as the coordinator's overview lists it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

MAIL_DAYS = 7  # the overview lists the letters of the last week (calendar days, as-of included)
OUTCOME_RU = {"accepted": "принято", "refused": "отказано", "not-ours": "не распознано"}


@dataclass(frozen=True)
class MailItem:
    """One letter read from the mailbox: when, from whom, about what, what became of it."""

    received: dt.datetime  # in the program's zone
    sender: str
    org: str | None  # the sender's organisation's short name, when the contacts list has it
    obligation: str | None  # «1.1, I квартал 2025 года»
    outcome: str  # accepted | refused | not-ours
    reason: str | None
    documents: int


def mail_markdown(items: Sequence[MailItem], as_of: dt.date) -> str:
    """The section «Поступило по электронной почте»: one row a letter, newest first."""
    start = as_of - dt.timedelta(days=MAIL_DAYS - 1)
    head = f"## Поступило по электронной почте с {start:%d.%m.%Y} по {as_of:%d.%m.%Y}"
    if not items:
        return f"{head}\n\nПисем не было."
    accepted = sum(i.documents for i in items if i.outcome == "accepted")
    lines = [
        head,
        f"Писем: {len(items)}, из них принято {sum(i.outcome == 'accepted' for i in items)}; "
        f"документов учтено: {accepted}.",
        "| Получено | Отправитель | Обязательство | Итог | Документов |",
        "|---|---|---|---|---|",
    ]
    for i in sorted(items, key=lambda i: i.received, reverse=True):
        who = f"{i.sender} ({i.org})" if i.org else i.sender
        outcome = OUTCOME_RU.get(i.outcome, i.outcome)
        if i.reason and i.outcome != "accepted":
            outcome += f": {i.reason}"
        cells = [f"{i.received:%d.%m.%Y %H:%M}", who, i.obligation or "—", outcome, i.documents]
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
    return "\n".join(lines[:2]) + "\n\n" + "\n".join(lines[2:])
