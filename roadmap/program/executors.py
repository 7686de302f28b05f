"""Reading an «Ответственные исполнители» cell into organization ids, by the registry's aliases.

The seed spells the same body several ways and separates executors with «;», «,», «:» or
only a line break, while some names contain commas themselves. So the cell is not split
on punctuation: at each position the longest alias that matches is taken, and whatever
is left between aliases may only be separators. Definitions in brackets («(далее – органы
местного самоуправления)») are dropped first. Matching ignores case, quote marks, line
wraps, «ё» and spaces around punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from roadmap.errors import Location, UnknownExecutor

_DEFINITION = re.compile(r"\(\s*далее\s*[-–—]\s*[^)]*\)")
# «(по согласованию)» marks a body outside the region's executive power (a federal body, a
# municipality), which takes part by agreement: it says how, not who.
AGREED = re.compile(r"\(\s*по\s+согласованию\s*\)", re.IGNORECASE)
_QUOTES = re.compile(r"[«»\"“”„']")
_SEPARATORS = " ;,:.\n\t"


def normalize_name(text: str) -> str:
    """The form names are compared in."""
    s = _QUOTES.sub("", text.lower().replace("ё", "е"))
    s = re.sub(r"\s*([(),.;:])\s*", r"\1 ", s)
    s = re.sub(r"\s*-\s*", "-", s)
    return " ".join(s.split()).strip(" ")


@dataclass(frozen=True)
class AliasIndex:
    """Normalized aliases → organization id, longest first."""

    entries: tuple[tuple[str, str], ...]

    @classmethod
    def build(cls, orgs: Iterable[tuple[str, Iterable[str]]]) -> AliasIndex:
        pairs: dict[str, str] = {}
        for org_id, names in orgs:
            for name in names:
                pairs.setdefault(normalize_name(name).strip(" ;,:."), org_id)
        ordered = sorted(pairs.items(), key=lambda kv: -len(kv[0]))
        return cls(tuple(ordered))


def resolve_executors(text: str, index: AliasIndex, location: Location | None = None) -> list[str]:
    """The organization ids named in ``text``, in order, each once.

    Raises:
        UnknownExecutor: part of the text matches no alias (the message quotes that part).
    """
    s = normalize_name(AGREED.sub(" ", _DEFINITION.sub(" ", text)))
    found: list[str] = []
    pos = 0
    while pos < len(s):
        if s[pos] in _SEPARATORS:
            pos += 1
            continue
        for alias, org_id in index.entries:
            end = pos + len(alias)
            if s.startswith(alias, pos) and (end == len(s) or s[end] in _SEPARATORS):
                if org_id not in found:
                    found.append(org_id)
                pos = end
                break
        else:
            rest = re.split(r"[;\n]", s[pos:], maxsplit=1)[0].strip()
            raise UnknownExecutor(f"неизвестный исполнитель «{rest}»", location)
    if not found:
        raise UnknownExecutor("исполнители не указаны", location)
    return found
