"""Loading program data: every bad input gets an error naming file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from roadmap.errors import ProgramErrors
from roadmap.program.loader import DEFAULT_PROGRAM, load_program
from roadmap.program.model import Program


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "program"
    shutil.copytree(DEFAULT_PROGRAM, target)
    return target


def _replace_line(file: Path, old: str, new: str, occurrence: int = 1) -> int:
    """Replace the n-th line equal to ``old``; return its 1-based line number."""
    lines = file.read_text(encoding="utf-8").split("\n")
    seen = 0
    for i, line in enumerate(lines):
        if line == old:
            seen += 1
            if seen == occurrence:
                lines[i] = new
                file.write_text("\n".join(lines), encoding="utf-8")
                return i + 1
    raise AssertionError(f"line not found: {old!r}")


def _errors(path: Path) -> list[str]:
    with pytest.raises(ProgramErrors) as info:
        load_program(path)
    return [str(e) for e in info.value.errors]


def test_the_shipped_program_loads(program: Program) -> None:
    assert (len(program.sections), len(program.activities)) == (8, 95)
    assert (len(program.indicator_groups), len(program.indicators)) == (9, 43)
    assert program.activity_map["5.14"].lead == "minsoc"
    assert program.indicator_map["1.1"].targets == (2211, 2027, 1843, 1658)


def test_unknown_executor_is_located(data: Path) -> None:
    line = _replace_line(data / "activities.yaml", "  - minzdrav", "  - minzdrav-typo")
    errors = _errors(data)
    assert any(
        e.startswith(f"{data / 'activities.yaml'}:{line}: activities[0].executors[2]")
        and "minzdrav-typo" in e
        for e in errors
    ), errors


def test_duplicate_activity_number_is_located(data: Path) -> None:
    line = _replace_line(data / "activities.yaml", "- number: '1.2'", "- number: '1.1'")
    errors = _errors(data)
    assert (
        f"{data / 'activities.yaml'}:{line}: activities[1].number: мероприятие «1.1» повторяется"
        in errors
    )


def test_unreadable_term_is_located(data: Path) -> None:
    line = _replace_line(data / "activities.yaml", "  term: июль 2025", "  term: когда получится")
    errors = _errors(data)
    assert any(
        e.startswith(f"{data / 'activities.yaml'}:{line}: activities[2].term") for e in errors
    ), errors


def test_target_that_is_not_a_number_is_located(data: Path) -> None:
    line = _replace_line(data / "indicators.yaml", "  - 2211", "  - много")
    errors = _errors(data)
    assert any(
        e.startswith(f"{data / 'indicators.yaml'}:{line}: indicators[0].targets[0]")
        and "число" in e
        for e in errors
    ), errors


def test_missing_field_is_located_at_its_parent(data: Path) -> None:
    file = data / "activities.yaml"
    text = file.read_text(encoding="utf-8")
    start = text.index("- number: '1.3'")
    evidence = text.index("  evidence:", start)
    end = text.index("\n", evidence) + 1
    file.write_text(text[:evidence] + text[end:], encoding="utf-8")
    line = text[:start].count("\n") + 1
    errors = _errors(data)
    assert f"{file}:{line}: activities[2].evidence: обязательное поле не заполнено" in errors


def test_malformed_yaml_is_located(data: Path) -> None:
    line = _replace_line(data / "program.yaml", "timezone: Asia/Krasnoyarsk", "timezone: [Asia")
    errors = _errors(data)
    assert len(errors) == 1
    assert errors[0].startswith(f"{data / 'program.yaml'}:") and "YAML" in errors[0]
    assert int(errors[0].split(":")[1]) >= line


def test_all_errors_are_reported_at_once(data: Path) -> None:
    _replace_line(data / "activities.yaml", "  - minzdrav", "  - nobody")
    _replace_line(data / "activities.yaml", "  term: июль 2025", "  term: когда-нибудь")
    _replace_line(data / "indicators.yaml", "  unit: единиц", "  unit: [1, 2]")
    assert len(_errors(data)) >= 2


def test_executor_ids_must_agree_with_the_executor_text(data: Path) -> None:
    _replace_line(data / "activities.yaml", "  - minobr", "  - minkult")
    assert any("не совпадают с текстом" in e for e in _errors(data))


def test_missing_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    assert "не найдены" in _errors(tmp_path / "nothing")[0]


def test_term_naming_a_period_twice_is_refused_with_its_place(data: Path) -> None:
    # it passed `validate` and then broke `sync` on a duplicate obligation id
    file = data / "activities.yaml"
    line = _replace_line(file, "  term: июль 2025", "  term: декабрь 2025; декабрь 2025")
    assert (
        f"{file}:{line}: activities[2].term: срок «декабрь 2025; декабрь 2025»: "
        "период «декабрь 2025\u00a0г.» указан в сроке дважды"
    ) in _errors(data)


def test_term_outside_the_program_span_is_refused_with_its_place(data: Path) -> None:
    file = data / "activities.yaml"
    line = _replace_line(file, "  term: июль 2025", "  term: март 2030")
    assert (
        f"{file}:{line}: activities[2].term: срок «март 2030»: "
        "лежит вне срока программы (2025–2026 годы)"
    ) in _errors(data)


def test_event_relative_term_loads_whether_the_activity_is_marked_or_not(data: Path) -> None:
    file = data / "activities.yaml"
    _replace_line(file, "  term: июль 2025", "  term: в 30-дневный срок")
    assert not load_program(data).activity_map["1.3"].due_set_by_person
    _replace_line(
        file, "  term: в 30-дневный срок", "  term: в 30-дневный срок\n  due_set_by_person: true"
    )
    assert load_program(data).activity_map["1.3"].due_set_by_person


def test_a_term_no_rule_reads_loads_only_where_a_person_dates_it(data: Path) -> None:
    file = data / "activities.yaml"
    line = _replace_line(file, "  term: июль 2025", "  term: когда-нибудь")
    assert any(
        e.startswith(f"{file}:{line}: activities[2].term: ") and "когда-нибудь" in e
        for e in _errors(data)
    )
    _replace_line(file, "  term: когда-нибудь", "  term: когда-нибудь\n  due_set_by_person: true")
    assert load_program(data).activity_map["1.3"].due_set_by_person


def test_mark_on_a_dated_term_is_refused(data: Path) -> None:
    file = data / "activities.yaml"
    line = _replace_line(file, "  term: июль 2025", "  term: июль 2025\n  due_set_by_person: true")
    assert any(
        e.startswith(f"{file}:{line}: activities[2].term: ") and "уберите отметку" in e
        for e in _errors(data)
    )


def test_conventions_are_checked_where_they_are_written(data: Path) -> None:
    file = data / "program.yaml"
    line = _replace_line(
        file,
        "  monthly_due: не позднее 5-го рабочего дня месяца, следующего за отчетным месяцем",
        "  monthly_due: ежемесячно",
    )
    day_off = _replace_line(file, "  day_off: forward", "  day_off: sideways")
    errors = _errors(data)
    assert any(
        e.startswith(f"{file}:{line}: conventions.monthly_due: «ежемесячно»") for e in errors
    )
    assert any(
        e.startswith(f"{file}:{day_off}: conventions.day_off: недопустимое значение")
        for e in errors
    ), errors
