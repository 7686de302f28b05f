"""One rule for every string a person gives: names, bases, reasons, comments, file names.

A person's words are recorded as they would read them on paper: NFC-normalised, every kind
of space made an ordinary space, and nothing that is not seen or that changes how the rest
is seen. Refused (``clean_text``) or, for what another machine wrote (a letter's sender
name, ``scrub_text``), removed:

- control characters (C0, C1, DEL), except a line break in texts that may have lines;
- format characters (Unicode category Cf): bidi embeddings, overrides and isolates
  (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C: they make «exe.pdf» read as
  «fdp.exe» and flip «(org)» in an audit line), zero-width characters (U+200B–U+200D,
  U+2060, U+FEFF), invisible operators (U+2061–U+2064), the soft hyphen U+00AD, the
  Mongolian vowel separator U+180E;
- line and paragraph separators (U+2028, U+2029), private-use, surrogate and unassigned
  code points;
- characters drawn as nothing: Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the
  combining grapheme joiner, variation selectors, the Khmer invisible vowels, the blank
  Braille pattern.

Every text is bounded in length (counted after normalisation) and, when it must say
something, has a least length. The module is pure: the faces (the intake page, the command
line, the mailbox) call it at their edge, before anything else reads the value.
"""

from __future__ import annotations

import unicodedata

from roadmap.errors import RoadmapError

# Drawn as nothing, though Unicode gives them a visible category (letters, marks).
_BLANK_LOOKING = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0]
    + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})


class UncleanText(RoadmapError):
    """A person's text with a character that is not seen, too long, or too short."""


def hidden(ch: str, *, lines: bool = False) -> bool:
    """Whether ``ch`` is a character this rule refuses (``lines``: line breaks are allowed).

    A space of any width (category Zs) and a tab are not: they become ordinary spaces."""
    if ch == "\t" or unicodedata.category(ch) == "Zs" or (lines and ch in "\r\n"):
        return False
    return unicodedata.category(ch) in _REFUSED_CATEGORIES or ord(ch) in _BLANK_LOOKING


def _spaces(text: str, lines: bool) -> str:
    """Every space an ordinary space, runs collapsed; lines kept when ``lines``.

    Only spaces (Zs), tabs and, with ``lines``, line breaks reach here."""
    if not lines:
        return " ".join(text.split())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(kept).strip("\n")


def clean_text(
    value: str | None,
    what: str,
    *,
    limit: int,
    least: int = 1,
    lines: bool = False,
) -> str:
    """``value`` as it will be recorded: NFC, spaces made ordinary, checked.

    Args:
        value: the text as given.
        what: the field in Russian, for the message («основание», «ФИО»).
        limit: the most characters allowed.
        least: the fewest characters allowed (letters and digits, spaces not counted).
        lines: whether the text may have line breaks (a comment, a reason).

    Raises:
        UncleanText: a hidden character (named by its code), too long, too short; in Russian.
    """
    text = unicodedata.normalize("NFC", value or "")
    if len(text) > 4 * limit:
        raise UncleanText(f"{what}: длиннее {limit} символов")
    for ch in text:
        if hidden(ch, lines=lines):
            raise UncleanText(
                f"{what}: есть невидимый или управляющий символ U+{ord(ch):04X} "
                "(меняет порядок текста, скрывает или разрывает его); уберите его"
            )
    text = _spaces(text, lines)
    if len(text) > limit:
        raise UncleanText(f"{what}: длиннее {limit} символов")
    if sum(ch.isalnum() for ch in text) < least:
        raise UncleanText(
            f"{what}: не указано" if least <= 1 else f"{what}: короче {least} символов"
        )
    return text


def scrub_text(value: str | None, *, limit: int, lines: bool = False) -> str:
    """``value`` with every hidden character removed, spaces made ordinary, cut at ``limit``:
    for what another machine wrote (a letter's sender name), which cannot be sent back."""
    text = unicodedata.normalize("NFC", value or "")[: 4 * limit]
    kept = "".join(ch for ch in text if not hidden(ch, lines=lines))
    return _spaces(kept, lines)[:limit]
