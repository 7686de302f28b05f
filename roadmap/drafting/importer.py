"""Importing a program document (text export or Word table rows) into program data.

The importer reads the two tables of a program in the «Вызов» template — key indicators
and the road map — resolves executors through an organization registry, proposes the
quantitative targets of each expected result, and returns the data the YAML files hold.
What only a person can decide (an activity's short name, an indicator's direction, a
group title the export lost) comes from ``curated``, normally the program as it was last
checked, so that re-importing never discards that work; without it the importer proposes
a value and lists it in ``ImportResult.review``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from roadmap.drafting.source_tables import (
    Cell,
    IndicatorRow,
    RoadmapRow,
    clean,
    group_indicator_cells,
    group_roadmap_cells,
    split_text_export,
)
from roadmap.drafting.targets import extract_targets
from roadmap.errors import ImportFailed, Location, RoadmapError
from roadmap.program.executors import AliasIndex, resolve_executors
from roadmap.program.model import IndicatorGroup, Organization, Program
from roadmap.terms.reading import normalize_text, parse_term


@dataclass
class ImportResult:
    """Program data read from a document, plus what a person should still look at."""

    sections: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    indicator_groups: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    # where each activity's term sits in the document: (file, line), by activity number
    term_at: dict[str, Location] = field(default_factory=dict)


def import_text_export(
    text: str,
    organizations: Sequence[Organization],
    *,
    curated: Program | None = None,
    file: str | None = None,
) -> ImportResult:
    """Import the plain-text export of a program document.

    Raises:
        ProgramErrors: every row that cannot be read (unknown executor, unreadable term, ...).
        ImportFailed: the document's structure is not the template's.
    """
    ind_cells, map_cells, _ = split_text_export(text)
    return import_rows(
        group_indicator_cells(ind_cells, file=file),
        group_roadmap_cells(map_cells, file=file),
        organizations,
        curated=curated,
        file=file,
    )


def rows_from_table(table: Sequence[Sequence[Cell]], *, kind: str) -> list[Any]:
    """Rows of a Word table (cells as python-docx reports them, merged cells repeated).

    ``kind`` is "roadmap" or "indicators"; header rows are skipped.
    """
    out: list[Any] = []
    for row in table:
        cells = _dedupe_merged(row)
        first = clean(cells[0].text) if cells else ""
        if (
            not first
            or first.startswith("№")
            or first == "1"
            and len(cells) > 1
            and clean(cells[1].text) == "2"
        ):
            continue
        if kind == "roadmap":
            whole = _SECTION_IN_ONE_CELL.match(first) if len(cells) == 1 else None
            if whole:  # a section row merged across every column: «I. Управление …»
                number, title = whole.group(1), whole.group(2)
                line = cells[0].line
                out.append(RoadmapRow("section", (Cell(number, line), Cell(title, line))))
            elif re.fullmatch(r"[IVXLC]+\.?", first):
                out.append(
                    RoadmapRow("section", (cells[0], cells[1] if len(cells) > 1 else cells[0]))
                )
            else:
                out.append(RoadmapRow("activity", tuple(row[:6])))
        else:
            if re.fullmatch(r"\d+\.\d+", first):
                out.append(IndicatorRow("indicator", tuple(row[:7])))
            else:
                out.append(IndicatorRow("group", (cells[0],)))
    return out


_SECTION_IN_ONE_CELL = re.compile(r"^([IVXLC]+\.?)\s+(\S.*)$", re.DOTALL)


def _dedupe_merged(row: Sequence[Cell]) -> list[Cell]:
    out: list[Cell] = []
    for c in row:
        if not out or c.text != out[-1].text:
            out.append(c)
    return out


def import_rows(
    indicator_rows: Iterable[IndicatorRow],
    roadmap_rows: Iterable[RoadmapRow],
    organizations: Sequence[Organization],
    *,
    curated: Program | None = None,
    file: str | None = None,
    check_terms: bool = True,
) -> ImportResult:
    """Turn grouped rows into program data (see ``import_text_export``).

    ``check_terms`` False leaves the terms to the caller (``roadmap init`` marks those it
    cannot date instead of refusing the document); ``ImportResult.term_at`` says where each is.
    """
    from roadmap.errors import ProgramErrors

    result = ImportResult()
    errors: list[RoadmapError] = []
    index = AliasIndex.build((o.id, (o.name, *o.aliases)) for o in organizations)
    _import_indicators(list(indicator_rows), result, curated, errors, file)
    _import_roadmap(list(roadmap_rows), result, index, curated, errors, file, check_terms)
    if errors:
        raise ProgramErrors(errors)
    if not result.activities:
        raise ImportFailed("в дорожной карте не найдено ни одного мероприятия", Location(file))
    return result


def _import_roadmap(
    rows: list[RoadmapRow],
    result: ImportResult,
    index: AliasIndex,
    curated: Program | None,
    errors: list[RoadmapError],
    file: str | None,
    check_terms: bool = True,
) -> None:
    section: str | None = None
    for row in rows:
        if row.kind == "section":
            section = clean(row.cells[0].text).rstrip(".")
            result.sections.append({"number": section, "title": clean(row.cells[1].text)})
            continue
        number_cell, name, term, executors, evidence, res = row.cells
        number = clean(number_cell.text).rstrip(".")
        if section is None:
            errors.append(
                ImportFailed(
                    f"мероприятие {number} стоит до первого раздела",
                    Location(file, number_cell.line),
                )
            )
            continue
        term_text = normalize_text(term.text)
        term_at = Location(file, term.line, f"{number}: Сроки реализации")
        result.term_at[number] = term_at
        if check_terms:
            errors.extend(_term_errors(term_text, term_at))
        try:
            ids = resolve_executors(
                executors.text,
                index,
                Location(file, executors.line, f"{number}: Ответственные исполнители"),
            )
        except RoadmapError as exc:
            errors.append(exc)
            ids = []
        name_text = clean(name.text)
        short = _short_name(curated, number, name_text, result.review)
        result_text = clean(res.text)
        result.activities.append(
            {
                "number": number,
                "section": section,
                "name": name_text,
                "short_name": short,
                "term": term_text,
                "executors_text": clean(executors.text),
                "executors": ids,
                "evidence": clean(evidence.text),
                "result": result_text,
                "targets": [_target_dict(t) for t in extract_targets(result_text)],
            }
        )


def _term_errors(text: str, where: Location) -> list[RoadmapError]:
    """Why the term cannot be read, if it cannot."""
    try:
        parse_term(text, where)
    except RoadmapError as exc:
        return [exc]
    return []


def _short_name(curated: Program | None, number: str, name: str, review: list[str]) -> str:
    """The activity's short name: the curated program's, else one proposed for review."""
    short = _curated_short_name(curated, number)
    if short is None:
        short = propose_short_name(name)
        review.append(f"{number}: предложено краткое название «{short}»")
    return short


def _target_dict(t: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"value": _number(t.value), "unit": t.unit, "text": t.text}
    if t.baseline is not None:
        d["baseline"] = _number(t.baseline)
    return d


def _number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def _import_indicators(
    rows: list[IndicatorRow],
    result: ImportResult,
    curated: Program | None,
    errors: list[RoadmapError],
    file: str | None,
) -> None:
    group = 1
    index_in_group = 0
    _restore_lost_first_group(rows, result, curated)
    for row in rows:
        if row.kind == "group":
            m = re.match(r"^(\d+)\.\s+(.*)$", clean(row.cells[0].text))
            if not m:
                errors.append(
                    ImportFailed("не прочитан заголовок группы", Location(file, row.cells[0].line))
                )
                continue
            group = int(m.group(1))
            index_in_group = 0
            result.indicator_groups.append(_group_entry(curated, group, m.group(2)))
            continue
        index_in_group += 1
        cells = list(row.cells)
        if row.recovered:
            code = f"{group}.{index_in_group}"
            result.review.append(
                f"показатель {code}: номер утрачен при экспорте, восстановлен по порядку"
            )
        else:
            code = clean(cells.pop(0).text)
        name, unit, *values = cells
        targets = _indicator_targets(code, values, errors, file)
        known = curated.indicator_map.get(code) if curated else None
        direction: str
        if known is not None:
            direction, note = known.direction, known.direction_note
        else:
            direction, note = propose_direction(targets), None
            result.review.append(
                f"показатель {code}: направление «{direction}» предложено по плановым значениям"
            )
        item: dict[str, Any] = {
            "code": code,
            "group": int(code.split(".")[0]),
            "name": clean(name.text),
            "unit": clean(unit.text),
            "direction": direction,
        }
        if note:
            item["direction_note"] = note
        if known is not None and known.contributors:
            item["contributors"] = list(known.contributors)
        item["targets"] = targets
        result.indicators.append(item)


def _restore_lost_first_group(
    rows: list[IndicatorRow], result: ImportResult, curated: Program | None
) -> None:
    """A first group whose heading the export lost gets one back, for review."""
    have_group_1 = any(r.kind == "group" and clean(r.cells[0].text).startswith("1.") for r in rows)
    if not rows or not rows[0].recovered or have_group_1:
        return
    known_group = _curated_group(curated, 1)
    title = known_group.title if known_group else None
    result.indicator_groups.append(
        {
            "number": 1,
            "title": title or "Группа 1 (заголовок утрачен при экспорте)",
            "title_source": "reconstructed",
        }
    )
    result.review.append(
        "группа показателей 1: заголовок утрачен при экспорте, название восстановлено"
    )


def _group_entry(curated: Program | None, group: int, title: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"number": group, "title": title}
    same = _curated_group(curated, group)
    if same and same.title == title and same.title_source != "seed":
        entry["title_source"] = same.title_source  # a document made from our own data
    return entry


def _indicator_targets(
    code: str, values: Sequence[Any], errors: list[RoadmapError], file: str | None
) -> list[int | float | None]:
    """The indicator's planned values, None where a cell has none (or no number)."""
    targets: list[int | float | None] = []
    for v in values:
        try:
            targets.append(_indicator_value(clean(v.text)))
        except ValueError:
            errors.append(
                ImportFailed(
                    f"показатель {code}: значение «{clean(v.text)}» не число",
                    Location(file, v.line),
                )
            )
            targets.append(None)
    return targets


def _indicator_value(text: str) -> int | float | None:
    """«2 211» → 2211, «2,5» → 2.5, «-» → None (no target at that checkpoint)."""
    s = text.replace("\u00a0", " ").replace(" ", "")
    if s in ("-", "–", "—", ""):
        return None
    return _number(float(s.replace(",", ".")))


def propose_direction(targets: Sequence[float | None]) -> str:
    """«down» when the planned values fall, «up» otherwise (a person checks flat ones)."""
    values = [t for t in targets if t is not None]
    if len(values) >= 2 and values[-1] < values[0]:
        return "down"
    return "up"


# Words a short name does not end on before its «…»: it would read as cut mid-phrase.
_DANGLING = frozenset("и или а в во на по для с со о об от к при из за как также".split())


def propose_short_name(name: str, limit: int = 60) -> str:
    """A short name from the activity's own wording, at most ``limit`` characters.

    The first sentence without its brackets; past the limit, the longest part of it that
    ends at a comma and holds three words or more, else its words up to the limit and «…».
    Characters a deployment name may not hold («/», «%», «&», «<», «>») become words.
    """
    s = clean(re.sub(r"\([^)]*\)", " ", name))
    s = s.replace("/", " и ").replace("&", " и ").replace("%", " процентов")
    s = " ".join(re.sub(r"[<>]", " ", s).split())
    s = re.split(r"(?:[.;:](?:\s|$))", s, maxsplit=1)[0].strip(" ,")
    if len(s) <= limit:
        return s
    prefix = ""
    for m in re.finditer(",", s):
        head = s[: m.start()].strip()
        if len(head) > limit:
            break
        if len(head.split()) >= 3:
            prefix = head
    return prefix or shorten(s, limit)


def shorten(text: str, limit: int = 60) -> str:
    """``text`` as it is when it fits, else its words up to ``limit`` and «…»."""
    if len(text) <= limit:
        return text
    words = text[: limit - 1].rsplit(" ", 1)[0].split()
    while len(words) > 1 and words[-1].lower().strip(",-–") in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(" ,;-–") + "…"


def _curated_short_name(curated: Program | None, number: str) -> str | None:
    if curated and number in curated.activity_map:
        return curated.activity_map[number].short_name
    return None


def _curated_group(curated: Program | None, number: int) -> IndicatorGroup | None:
    if curated:
        return next((g for g in curated.indicator_groups if g.number == number), None)
    return None


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(data: dict[str, Any], header: str = "") -> str:
    """YAML as the program files keep it: Russian as is, keys in order, one value per line."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return header + body


ACTIVITIES_HEADER = """\
# Road map («Дорожная карта мероприятий»), imported from the program document by
# `roadmap import` and checked by hand against it. Texts are as written, with the Word
# table's line wraps joined. `executors` are organization ids (organizations.yaml), lead
# first; `targets` are the numbers the expected result promises. `short_name` is ours.
"""

INDICATORS_HEADER = """\
# Key indicators («Ключевые показатели реализации»), imported from the program document.
# `targets` follow `checkpoints` in program.yaml position by position; null is «-» (no
# target at that checkpoint). `direction` says which way is better: down or up.
"""


def dump_activities(result: ImportResult) -> str:
    return dump_yaml(
        {"sections": result.sections, "activities": result.activities}, ACTIVITIES_HEADER
    )


def dump_indicators(result: ImportResult) -> str:
    return dump_yaml(
        {"indicator_groups": result.indicator_groups, "indicators": result.indicators},
        INDICATORS_HEADER,
    )
