"""Limits on the shape of a YAML file, checked before it is built into Python values.

Program data, contacts and behaviour profiles are YAML that a person edits, so a file may
be wrong in ways that cost more than a wrong value: an alias bomb (a few lines whose aliases
expand to billions of values), nesting thousands of levels deep (the composer recurses), or
a key given twice in one mapping (YAML keeps the last one silently). One pass over the
parser's events, which neither expands aliases nor recurses, refuses each of these with its
file and line, before anything is composed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from roadmap.errors import Location, ProgramDataError

# Program data needs no aliases at all; a few are allowed for hand-written shorthand.
MAX_ALIASES = 10
# Our files nest a handful of levels; a hundred is far beyond any honest file.
MAX_DEPTH = 100

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class _Mapping:
    """An open mapping: the keys seen so far, and whether the next node is a key."""

    keys: set[str] = field(default_factory=set)
    expect_key: bool = True


def check_yaml_shape(text: str, file: str) -> None:
    """Refuse aliases beyond ``MAX_ALIASES``, nesting beyond ``MAX_DEPTH``, duplicate keys.

    Raises:
        ProgramDataError: the first such problem, located at its line.
        yaml.YAMLError: the text is not YAML (the caller locates it as before).
    """
    loader = _SafeLoader(text)
    stack: list[_Mapping | None] = []  # None: an open sequence
    aliases = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.CollectionStartEvent):
                _node_starts(stack, event, file, line)
                stack.append(_Mapping() if isinstance(event, yaml.MappingStartEvent) else None)
                if len(stack) > MAX_DEPTH:
                    raise ProgramDataError(
                        f"вложенность глубже {MAX_DEPTH} уровней", Location(file, line)
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                _node_ends(stack)
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise ProgramDataError(
                        f"больше {MAX_ALIASES} ссылок YAML («*имя»); "
                        "в данных программы они не нужны: запишите значения прямо",
                        Location(file, line),
                    )
                _node_starts(stack, event, file, line)
                _node_ends(stack)
            elif isinstance(event, yaml.ScalarEvent):
                _node_starts(stack, event, file, line)
                _node_ends(stack)
    finally:
        loader.dispose()


def _node_starts(
    stack: list[_Mapping | None], event: yaml.Event, file: str, line: int | None
) -> None:
    top = stack[-1] if stack else None
    if top is None or not top.expect_key:
        return
    if isinstance(event, yaml.ScalarEvent):
        if event.value in top.keys:
            raise ProgramDataError(f"ключ «{event.value}» повторяется", Location(file, line))
        top.keys.add(event.value)


def _node_ends(stack: list[_Mapping | None]) -> None:
    top = stack[-1] if stack else None
    if top is not None:
        top.expect_key = not top.expect_key
