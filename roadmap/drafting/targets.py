"""Quantitative targets stated in an activity's expected result («Ожидаемый результат»).

«создано не менее 18 служб» gives 18 «служб»; «20 обучающих вебинаров для 150 специалистов»
gives 20 «обучающих вебинаров» and 150 «специалистов»; «сокращена с 427 до 326 мест» gives
326 «мест» with the starting value 427. Dates, document numbers and years are not targets.
The importer proposes targets with ``extract_targets``; the program data keeps them after
a person has checked them against the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"\d{1,3}(?:[ \u00a0]\d{3})+|\d+(?:,\d+)?"
_STOP_WORDS = {
    "для",
    "в",
    "во",
    "на",
    "по",
    "с",
    "со",
    "из",
    "и",
    "к",
    "от",
    "до",
    "при",
    "чем",
    "а",
    "ежегодно",
    "созданных",
    "вовлечены",
    "получили",
    "освоили",
    "реализуют",
    "примут",
    "обменяются",
    "повысят",
    "функционирует",
    "функционируют",
    "внедрена",
    "размещено",
}
_MAX_UNIT_WORDS = 4
# Adjective and participle endings: the unit runs past them to the first noun.
_ADJECTIVE_ENDINGS = (
    "ых",
    "их",
    "ого",
    "его",
    "ому",
    "ему",
    "ая",
    "яя",
    "ое",
    "ее",
    "ые",
    "ие",
    "ую",
    "юю",
    "ым",
    "им",
)

# «с 1,1 до 0,98 %», «с 427 до 326 мест»: the target is the second number.
_FROM_TO = re.compile(rf"\bс\s+({_NUMBER})\s+до\s+({_NUMBER})\s*(%?)")
_NUMBER_RE = re.compile(rf"(?<![\d.,№/-])({_NUMBER})(?:\s*(тыс\.))?(?![\d.]|,\d)")
_DATE = re.compile(r"\d{2}\.\d{2}\.\d{4}")
_DOC_NO = re.compile(r"№\s*[\w.-]+")
_YEARS = re.compile(r"\b20\d\d(?:\s*[-–]\s*20\d\d)?\s*(?:г\.?г?\.?|гг\.?|год\w*)?")


@dataclass(frozen=True)
class Target:
    """A number the expected result promises, what it counts, and where the text says it."""

    value: float
    unit: str
    text: str
    baseline: float | None = None


def parse_number(text: str) -> float:
    """«1 500» → 1500, «0,98» → 0.98, «2 тыс.» → 2000."""
    s = text.replace("\u00a0", " ").strip()
    factor = 1
    if s.endswith("тыс."):
        factor, s = 1000, s[: -len("тыс.")].strip()
    return float(s.replace(" ", "").replace(",", ".")) * factor


def extract_targets(result: str) -> list[Target]:
    """Targets in ``result``, in the order the text gives them."""
    text = " ".join(result.split())
    masked = _mask(text)
    found: list[tuple[int, Target]] = []
    taken: list[tuple[int, int]] = []
    for m in _FROM_TO.finditer(masked):
        if m.group(3):
            unit, end = "%", m.end()
        else:
            unit, end = _unit_after(masked, m.end())
        target = Target(
            parse_number(m.group(2)),
            unit,
            text[m.start() : end].strip(),
            baseline=parse_number(m.group(1)),
        )
        found.append((m.start(), target))
        taken.append((m.start(), end))
    for m in _NUMBER_RE.finditer(masked):
        if any(a <= m.start() < b for a, b in taken):
            continue
        raw = m.group(1) + (" тыс." if m.group(2) else "")
        after = m.end()
        pct = re.match(r"\s*%", masked[after:])
        if pct:
            unit = "%"
            end = after + pct.end()
        else:
            unit, end = _unit_after(masked, after)
            if not unit:
                continue
        start = m.start()
        lead = re.search(r"(?:\bне менее(?: чем)?(?: в| на)?\s+|\bна\s+)$", masked[:start], re.I)
        if lead:
            start = lead.start()
        found.append((m.start(), Target(parse_number(raw), unit, text[start:end])))
    found.sort(key=lambda t: t[0])
    return [t for _, t in found]


def _mask(text: str) -> str:
    """Blank out dates, document numbers and years, keeping offsets."""
    out = text
    for pattern in (_DATE, _DOC_NO, _YEARS):
        out = pattern.sub(lambda m: " " * len(m.group(0)), out)
    return out


def _unit_after(text: str, pos: int) -> tuple[str, int]:
    """What the number counts: leading adjectives and one noun («обучающих вебинаров»).

    Returns the unit and the offset where it ends; ("", pos) when no word follows.
    """
    words: list[str] = []
    end = pos
    for token in re.finditer(r"\S+", text[pos:]):
        word = token.group(0)
        bare = word.strip('«»"(),.;:')
        if not bare or bare.lower() in _STOP_WORDS or not re.match(r"[А-Яа-яЁё]", bare):
            break
        words.append(bare)
        end = pos + token.start() + word.find(bare) + len(bare)
        if not bare.lower().endswith(_ADJECTIVE_ENDINGS) or word[-1] in ",.;:)":
            break
        if len(words) == _MAX_UNIT_WORDS:
            break
    # «руководителей и специалистов», «несовершеннолетних и их родителей»: one count of both.
    if words:
        both = _COORDINATED.match(text, end)
        if both:
            words.append(both.group(0).strip())
            end = both.end()
    return " ".join(words), end


_COORDINATED = re.compile(r"\s+и\s+(?:их\s+)?[А-Яа-яЁё]+(?:ов|ей|ев|ых|их)\b")
