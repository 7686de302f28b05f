"""Loading program data from YAML into a validated ``Program``, with every error located.

A program is a folder of YAML files (``program.yaml`` plus any others, whose top-level keys
are merged) or one YAML file holding every key. Loading is all or nothing: either a whole
``Program`` comes back, or ``ProgramErrors`` lists every problem found, each with its file,
line and field.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from roadmap.dates.periods import Period
from roadmap.errors import (
    InvalidPeriod,
    Location,
    ProgramDataError,
    ProgramErrors,
    RoadmapError,
)
from roadmap.program.dating import last_report_date, plan_term
from roadmap.program.executors import AliasIndex, normalize_name, resolve_executors
from roadmap.program.model import (
    Activity,
    Checkpoint,
    Indicator,
    IndicatorGroup,
    Organization,
    Program,
    Section,
)
from roadmap.program.yaml_limits import check_yaml_shape
from roadmap.terms.reading import read_activity_term

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# A program folder's own contacts file (people, kept out of the repository), which the
# program's data does not include.
CONTACTS_FILE = "contacts.yaml"
# The program embedded in the package: the one folder under data/ with a program.yaml.
DEFAULT_PROGRAM = next(p.parent for p in sorted(DATA_DIR.glob("*/program.yaml")))

LineIndex = dict[tuple[Any, ...], Location]


def load_program(path: str | Path = DEFAULT_PROGRAM) -> Program:
    """Load and validate a program.

    Args:
        path: a program folder or a single YAML file.

    Raises:
        ProgramErrors: every problem in the data, each with its location.
    """
    raw, lines = read_program_yaml(Path(path))
    return validate_program(raw, lines)


def program_id_at(path: str | Path) -> str:
    """The id a program folder or file declares, read without loading the whole program; the
    file's shape is checked first (``yaml_limits``), as for every read of program data: a
    file nested thousands of levels deep would take the parser, and every command, down.

    Raises:
        ProgramErrors: no program there, a shape the limits refuse, or it declares no id.
    """
    path = Path(path)
    main = path / "program.yaml" if path.is_dir() else path
    try:
        _, data = _read_yaml_file(main)
    except ProgramDataError as exc:
        raise ProgramErrors([exc]) from None
    except OSError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise ProgramErrors(
            [ProgramDataError("не найдена программа с полем id", Location(str(main)))]
        )
    return data["id"]


def read_program_yaml(path: Path) -> tuple[dict[str, Any], LineIndex]:
    """The merged top-level mapping of a program's YAML files and where each value sits."""
    merged: dict[str, Any] = {}
    lines: LineIndex = {}
    errors: list[RoadmapError] = []
    for file in _program_files(path):
        try:
            node, data = _read_yaml_file(file)
        except ProgramDataError as exc:
            errors.append(exc)
            continue
        if data is None:
            continue
        if not isinstance(data, dict):
            errors.append(
                ProgramDataError(
                    "верхний уровень файла должен быть словарём", Location(str(file), 1)
                )
            )
            continue
        for key, value in data.items():
            if key in merged:
                errors.append(
                    ProgramDataError(
                        f"ключ «{key}» задан в двух файлах", Location(str(file), None, str(key))
                    )
                )
                continue
            merged[key] = value
        _index_lines(node, (), str(file), lines)
    if errors:
        raise ProgramErrors(errors)
    return merged, lines


def _program_files(path: Path) -> list[Path]:
    """The YAML files a program is read from: the file itself, or a folder's files in order."""
    if path.is_dir():
        # a folder's contacts.yaml holds the region's people, not its program
        files = sorted(f for f in path.glob("*.yaml") if f.name != CONTACTS_FILE)
        if not files:
            raise ProgramErrors([ProgramDataError("в папке нет файлов YAML", Location(str(path)))])
        return files
    if path.is_file():
        return [path]
    raise ProgramErrors([ProgramDataError("файл или папка не найдены", Location(str(path)))])


def _read_yaml_file(file: Path) -> tuple[yaml.Node | None, Any]:
    """One file's node tree and data.

    Raises:
        ProgramDataError: the file is not UTF-8, not YAML, or a shape the limits refuse (an
            alias bomb, nesting too deep, a key twice).
    """
    try:
        text = file.read_text(encoding="utf-8")
        check_yaml_shape(text, str(file))
        return _parse_yaml(text)
    except UnicodeDecodeError as exc:
        raise ProgramDataError(
            f"файл не в кодировке UTF-8: {exc.reason}", Location(str(file))
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ProgramDataError(
            f"ошибка синтаксиса YAML: {exc.problem or exc}", Location(str(file), line)
        ) from None
    except yaml.YAMLError as exc:
        raise ProgramDataError(f"ошибка YAML: {exc}", Location(str(file))) from None


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """One parse (libyaml when available) giving both the node tree, for lines, and the data."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def _index_lines(node: yaml.Node | None, path: tuple[Any, ...], file: str, out: LineIndex) -> None:
    if node is None:
        return
    out[path] = Location(file, node.start_mark.line + 1, _dotted(path))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[(*path, key)] = Location(file, key_node.start_mark.line + 1, _dotted((*path, key)))
            _index_lines(value_node, (*path, key), file, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*path, i), file, out)


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out


def locate(lines: LineIndex, path: tuple[Any, ...]) -> Location:
    """The location of ``path``, or of its nearest located parent, naming the full field."""
    probe = path
    while probe and probe not in lines:
        probe = probe[:-1]
    found = lines.get(probe)
    if found is None:
        return Location(None, None, _dotted(path))
    return Location(found.file, found.line, _dotted(path))


_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "organizations": Organization,
    "activities": Activity,
    "indicators": Indicator,
    "sections": Section,
    "indicator_groups": IndicatorGroup,
    "checkpoints": Checkpoint,
}


def validate_program(raw: dict[str, Any], lines: LineIndex) -> Program:
    """Turn merged YAML data into a ``Program``, or raise ``ProgramErrors`` with every problem.

    List items are validated one by one, so that a bad item does not hide the problems of
    the others: the consistency checks still run over the items that are valid.
    """
    errors: list[RoadmapError] = []
    data = dict(raw)
    for key, model in _ITEM_MODELS.items():
        items = data.get(key)
        if not isinstance(items, list):
            continue
        valid = []
        for i, item in enumerate(items):
            try:
                model.model_validate(item)
            except ValidationError as exc:
                errors.extend(from_pydantic(e, lines, prefix=(key, i)) for e in exc.errors())
            else:
                valid.append(item)
        data[key] = valid
    try:
        program = Program.model_validate(data)
    except ValidationError as exc:
        errors.extend(from_pydantic(e, lines) for e in exc.errors())
        raise ProgramErrors(errors) from None
    errors.extend(check_program(program, lines))
    if errors:
        raise ProgramErrors(errors)
    return program


_PYDANTIC_MESSAGES = {
    "missing": "обязательное поле не заполнено",
    "extra_forbidden": "неизвестное поле",
    "float_parsing": "ожидается число",
    "float_type": "ожидается число",
    "finite_number": "ожидается конечное число (не .nan и не .inf)",
    "int_parsing": "ожидается целое число",
    "int_type": "ожидается целое число",
    "string_type": "ожидается строка",
    "string_pattern_mismatch": "значение не подходит под формат",
    "literal_error": "недопустимое значение",
    "too_short": "список не может быть пустым",
    "date_from_datetime_parsing": "ожидается дата ГГГГ-ММ-ДД",
    "date_parsing": "ожидается дата ГГГГ-ММ-ДД",
    "date_type": "ожидается дата ГГГГ-ММ-ДД",
    "tuple_type": "ожидается список",
    "model_type": "ожидается словарь",
    "dict_type": "ожидается словарь",
}


_LIMITS = {
    "less_than_equal": "должно быть не больше {le}",
    "greater_than_equal": "должно быть не меньше {ge}",
    "less_than": "должно быть меньше {lt}",
    "greater_than": "должно быть больше {gt}",
}


def from_pydantic(err: Any, lines: LineIndex, prefix: tuple[Any, ...] = ()) -> ProgramDataError:
    loc = (*prefix, *err["loc"])
    text = _PYDANTIC_MESSAGES.get(err["type"], err["msg"])
    if err["type"] == "literal_error":
        text += f" («{err.get('input')}»); допустимо: {err['ctx'].get('expected', '')}"
    elif err["type"] in ("float_parsing", "int_parsing", "string_pattern_mismatch"):
        text += f", получено «{err.get('input')}»"
    elif err["type"] in _LIMITS:
        text = _LIMITS[err["type"]].format(**err.get("ctx", {}))
    elif err["type"] == "value_error":
        text = str(err.get("ctx", {}).get("error", err["msg"]))
    return ProgramDataError(text, locate(lines, loc))


def check_program(program: Program, lines: LineIndex | None = None) -> Iterator[RoadmapError]:
    """Consistency checks that a schema cannot express; yields every problem found."""
    lines = lines or {}

    def at(*path: Any) -> Location:
        return locate(lines, path)

    try:
        span: Period | None = program.span_period
    except InvalidPeriod as exc:
        span = None
        yield ProgramDataError(exc.message, at("span"))
    yield from _repeated_keys(program, at)
    yield from _organization_errors(program, at)
    index = AliasIndex.build((o.id, (o.name, *o.aliases)) for o in program.organizations)
    for i, act in enumerate(program.activities):
        yield from _activity_errors(program, i, act, at)
        yield from _term_errors(program, i, act, span, at)
        yield from _executors_text_errors(i, act, index, at)
    yield from _indicator_errors(program, at)
    yield from _program_roles(program, at)
    for field in ("consolidated_owner", "consolidated_recipient"):
        if getattr(program.reporting, field) not in program.orgs:
            yield ProgramDataError(
                f"неизвестная организация «{getattr(program.reporting, field)}»",
                at("reporting", field),
            )


def _repeated_keys(program: Program, at: Any) -> Iterator[RoadmapError]:
    """Organizations, activities, indicators, sections and ladder steps named twice."""
    yield from _duplicates(
        [o.id for o in program.organizations], "organizations", "id", "организация", at
    )
    yield from _duplicates(
        [a.number for a in program.activities], "activities", "number", "мероприятие", at
    )
    yield from _duplicates(
        [i.code for i in program.indicators], "indicators", "code", "показатель", at
    )
    yield from _duplicates([s.number for s in program.sections], "sections", "number", "раздел", at)
    yield from _duplicates([s.step for s in program.ladder], "ladder", "step", "шаг", at)


def _organization_errors(program: Program, at: Any) -> Iterator[RoadmapError]:
    """Reporting lines that lead nowhere or round in a circle; a name two organizations share."""
    orgs = program.orgs
    for i, org in enumerate(program.organizations):
        if org.reports_via is not None and org.reports_via not in orgs:
            yield ProgramDataError(
                f"reports_via: неизвестная организация «{org.reports_via}»",
                at("organizations", i, "reports_via"),
            )
    yield from _cycles(program, at)
    seen_alias: dict[str, str] = {}
    for i, org in enumerate(program.organizations):
        for alias in (org.name, *org.aliases):
            key = normalize_name(alias)
            other = seen_alias.setdefault(key, org.id)
            if other != org.id:
                yield ProgramDataError(
                    f"название «{alias}» уже принадлежит организации «{other}»",
                    at("organizations", i, "aliases"),
                )


def _activity_errors(program: Program, i: int, act: Activity, at: Any) -> Iterator[RoadmapError]:
    """An activity's section and executors exist, and each executor may execute."""
    orgs = program.orgs
    if act.section not in program.section_map:
        yield ProgramDataError(
            f"неизвестный раздел «{act.section}»", at("activities", i, "section")
        )
    for j, ex in enumerate(act.executors):
        if ex not in orgs:
            yield ProgramDataError(
                f"неизвестный исполнитель «{ex}»", at("activities", i, "executors", j)
            )
        elif not orgs[ex].executor:
            yield ProgramDataError(
                f"«{ex}» не может быть исполнителем", at("activities", i, "executors", j)
            )


def _term_errors(
    program: Program, i: int, act: Activity, span: Period | None, at: Any
) -> Iterator[RoadmapError]:
    """Rules 1–4, 7, 8: the term reads, and owes what can be dated within the span."""
    try:
        term = read_activity_term(
            act.term, at("activities", i, "term"), person_sets_due=act.due_set_by_person
        )
        if span is not None:
            plan_term(
                term,
                span,
                program.conventions,
                person_sets_due=act.due_set_by_person,
                where=at("activities", i, "term"),
                reports_until=last_report_date(program),
            )
    except RoadmapError as exc:
        yield exc


def _executors_text_errors(
    i: int, act: Activity, index: AliasIndex, at: Any
) -> Iterator[RoadmapError]:
    """The executors named in the activity's own words are the ones listed by id."""
    try:
        named = resolve_executors(act.executors_text, index, at("activities", i, "executors_text"))
    except RoadmapError as exc:
        yield exc
    else:
        if tuple(named) != act.executors:
            yield ProgramDataError(
                f"executors {list(act.executors)} не совпадают с текстом ({named})",
                at("activities", i, "executors"),
            )


def _indicator_errors(program: Program, at: Any) -> Iterator[RoadmapError]:
    """Each indicator's group and contributors exist, with one target a checkpoint."""
    groups = {g.number for g in program.indicator_groups}
    for i, ind in enumerate(program.indicators):
        if ind.group not in groups:
            yield ProgramDataError(
                f"неизвестная группа показателей {ind.group}", at("indicators", i, "group")
            )
        for j, contributor in enumerate(ind.contributors):
            if contributor not in program.orgs:
                yield ProgramDataError(
                    f"неизвестная организация «{contributor}»",
                    at("indicators", i, "contributors", j),
                )
        if len(ind.targets) != len(program.checkpoints):
            yield ProgramDataError(
                f"значений {len(ind.targets)}, а контрольных точек {len(program.checkpoints)}",
                at("indicators", i, "targets"),
            )


def _program_roles(program: Program, at: Any) -> Iterator[RoadmapError]:
    """Monitoring, panel and commission name activities, indicators and organisations that exist."""
    yield from _monitoring_errors(program, at)
    yield from _panel_errors(program, at)
    yield from _commission_errors(program, at)


def _monitoring_errors(program: Program, at: Any) -> Iterator[RoadmapError]:
    if (m := program.monitoring) is None:
        return
    if m.activity not in program.activity_map:
        yield ProgramDataError(
            f"неизвестное мероприятие «{m.activity}»", at("monitoring", "activity")
        )
    indicator = program.indicator_map.get(m.indicator)
    if indicator is None:
        yield ProgramDataError(
            f"неизвестный показатель «{m.indicator}»", at("monitoring", "indicator")
        )
    elif tuple(p.org for p in m.parts) != indicator.contributors:
        yield ProgramDataError(
            f"части мониторинга должны совпадать с contributors показателя {m.indicator}",
            at("monitoring", "parts"),
        )
    for j, part in enumerate(m.parts):
        if part.org not in program.orgs:
            yield ProgramDataError(
                f"неизвестная организация «{part.org}»", at("monitoring", "parts", j, "org")
            )


def _panel_errors(program: Program, at: Any) -> Iterator[RoadmapError]:
    if (panel := program.panel) is None:
        return
    for key in ("activity", "public_activity"):
        number = getattr(panel, key)
        if number is not None and number not in program.activity_map:
            yield ProgramDataError(f"неизвестное мероприятие «{number}»", at("panel", key))
    for j, code in enumerate(panel.indicators):
        if code not in program.indicator_map:
            yield ProgramDataError(f"неизвестный показатель «{code}»", at("panel", "indicators", j))


def _commission_errors(program: Program, at: Any) -> Iterator[RoadmapError]:
    if (c := program.commission) is None:
        return
    if c.activity not in program.activity_map:
        yield ProgramDataError(
            f"неизвестное мероприятие «{c.activity}»", at("commission", "activity")
        )
    for j, org in enumerate(c.asked):
        if org not in program.orgs:
            yield ProgramDataError(f"неизвестная организация «{org}»", at("commission", "asked", j))


def _duplicates(
    values: list[str], key: str, field: str, what: str, at: Any
) -> Iterator[RoadmapError]:
    counts = Counter(values)
    seen: set[str] = set()
    for i, v in enumerate(values):
        if counts[v] > 1 and v in seen:
            yield ProgramDataError(f"{what} «{v}» повторяется", at(key, i, field))
        seen.add(v)


def _cycles(program: Program, at: Any) -> Iterator[RoadmapError]:
    orgs = program.orgs
    for i, org in enumerate(program.organizations):
        seen = {org.id}
        current = org.reports_via
        while current is not None and current in orgs:
            if current in seen:
                yield ProgramDataError(
                    "reports_via образует цикл", at("organizations", i, "reports_via")
                )
                break
            seen.add(current)
            current = orgs[current].reports_via
