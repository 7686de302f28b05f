"""Keys and passwords of real strength: how strong a given one is, and one made and kept
when none is given.

A production key (the link key, ROADMAP_INTAKE_SECRET) or the password of the Prefect auth
string must be at least ``MIN_LENGTH`` characters and carry an estimated ``MIN_BITS`` bits
of randomness. The estimate is deliberately plain: length × the empirical entropy of its
characters (with the Miller–Madow correction: the plain figure is low for a sample as short
as a key; never more than its character classes allow), scaled down by how much of the
value repeats itself (the share of its four-character runs that are distinct). A
``secrets.token_urlsafe(32)`` value scores about 230 bits; 32 characters drawn from four
about 60, «abcd» said eight times 9; a 16-character run said twice about 77. A key of 32
random hexadecimal digits (``openssl rand -hex 16``, 128 bits) scores about 125 and under
100 about once in 27 000 draws (the plain estimate with three-character runs refused one in
260).

A key nobody set is made here (``secrets.token_urlsafe(32)``), written once with mode 0600
and read back on every later start, so links signed before a restart still open after it.
"""

from __future__ import annotations

import math
import os
import secrets
import string
from collections import Counter
from pathlib import Path

MIN_LENGTH = 32
MIN_BITS = 100
PLACEHOLDERS = {"", "changeme", "change-me", "secret", "dev-secret", "password", "admin"}
HOW_TO_MAKE = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'

# (test, size of the class) for the character classes a value may draw from
_CLASSES = (
    (lambda c: c.isascii() and c.islower(), 26),
    (lambda c: c.isascii() and c.isupper(), 26),
    (lambda c: c.isascii() and c.isdigit(), 10),
    (lambda c: c in string.punctuation or c == " ", 33),
    (lambda c: not c.isascii(), 66),  # e.g. Cyrillic, both cases
)


def estimated_bits(value: str) -> float:
    """An estimate of the randomness in ``value``, in bits (see the module's docstring)."""
    n = len(value)
    if n == 0:
        return 0.0
    pool = sum(size for test, size in _CLASSES if any(test(c) for c in value))
    counts = Counter(value).values()
    per_char = -sum(k / n * math.log2(k / n) for k in counts)
    per_char += (len(counts) - 1) / (2 * n * math.log(2))  # Miller–Madow
    per_char = min(per_char, math.log2(max(pool, 2)))
    runs = [value[i : i + 4] for i in range(n - 3)]
    distinct = len(set(runs)) / len(runs) if runs else 1.0
    return n * per_char * distinct


def strength_problem(value: str) -> str | None:
    """Why ``value`` is too weak for a production key or password (Russian), or None."""
    if value.strip().lower() in PLACEHOLDERS:
        return "это заглушка, а не секрет"
    if len(value) < MIN_LENGTH:
        return f"короче {MIN_LENGTH} символов"
    bits = estimated_bits(value)
    if bits < MIN_BITS:
        return (
            f"слишком предсказуемо: около {bits:.0f} бит случайности при нужных {MIN_BITS} "
            "(мало разных символов или повторы)"
        )
    return None


def weak_secret_message(name: str, problem: str) -> str:
    """The Russian refusal: which setting, why, and how to make a good value."""
    return f"{name} в режиме production: {problem}; создайте новое значение командой {HOW_TO_MAKE}"


def new_key() -> str:
    """A fresh key of 256 bits."""
    return secrets.token_urlsafe(32)


def keep_secret(path: Path) -> str:
    """The value kept in ``path``, made and written once (mode 0600) when there is none.

    Several processes may ask at once: the value is written to a private file of its own and
    linked into place, so the first one wins whole and the others read it.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(new_key() + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    path.chmod(0o600)
    return path.read_text("utf-8").strip()
