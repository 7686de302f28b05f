"""The importer: the seed's text export and a Word document give the committed program data."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from roadmap.drafting.importer import (
    dump_activities,
    dump_indicators,
    import_rows,
    import_text_export,
    rows_from_table,
)
from roadmap.errors import ProgramErrors, UnknownExecutor
from roadmap.program.loader import DEFAULT_PROGRAM
from roadmap.program.model import Organization, Program
from storage.documents import read_docx_tables


def test_seed_text_imports_to_the_committed_files_byte_for_byte(
    program: Program, seed_text: str
) -> None:
    result = import_text_export(seed_text, program.organizations, curated=program)
    assert dump_activities(result) == (DEFAULT_PROGRAM / "activities.yaml").read_text("utf-8")
    assert dump_indicators(result) == (DEFAULT_PROGRAM / "indicators.yaml").read_text("utf-8")


def test_import_without_curation_lists_what_a_person_must_decide(
    program: Program, seed_text: str
) -> None:
    result = import_text_export(seed_text, program.organizations)
    review = "\n".join(result.review)
    assert "показатель 1.1: номер утрачен при экспорте" in review
    assert "группа показателей 1" in review
    assert sum(1 for r in result.review if "краткое название" in r) == 95


def _build_docx(program: Program, path: Path) -> None:
    """The program as the original Word form: an indicator table and a six-column road map."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(9)
    document.add_paragraph(program.title)
    document.add_paragraph("Ключевые показатели реализации")
    labels = [c.label for c in program.checkpoints]
    ind = document.add_table(rows=1, cols=7)
    for cell, text in zip(
        ind.rows[0].cells, ["№", "Наименование показателя", "Ед. изм.", *labels], strict=True
    ):
        cell.text = text
    for group in program.indicator_groups:
        row = ind.add_row()
        merged = row.cells[0].merge(row.cells[6])
        merged.text = f"{group.number}. {group.title}"
        for i in (x for x in program.indicators if x.group == group.number):
            cells = ind.add_row().cells
            values = ["-" if v is None else f"{v:g}".replace(".", ",") for v in i.targets]
            for cell, text in zip(cells, [i.code, i.name, i.unit, *values], strict=True):
                cell.text = text
    document.add_paragraph("Дорожная карта мероприятий")
    road = document.add_table(rows=2, cols=6)
    header = ["№ п/п", "Наименование мероприятия", "Сроки реализации", "Ответственные исполнители",
              "Вид документа", "Ожидаемый результат"]  # fmt: skip
    for cell, text in zip(road.rows[0].cells, header, strict=True):
        cell.text = text
    for cell, text in zip(road.rows[1].cells, "123456", strict=True):
        cell.text = text
    for section in program.sections:
        row = road.add_row()
        row.cells[0].text = f"{section.number}."
        row.cells[1].merge(row.cells[5]).text = section.title
        for a in (x for x in program.activities if x.section == section.number):
            cells = road.add_row().cells
            texts = [f"{a.number}.", a.name, a.term, a.executors_text, a.evidence, a.result]
            for cell, text in zip(cells, texts, strict=True):
                cell.text = text
    document.save(str(path))


def test_docx_round_trip_gives_the_same_program(program: Program, tmp_path: Path) -> None:
    path = tmp_path / "program.docx"
    _build_docx(program, path)
    ind_table, map_table = read_docx_tables(path)
    result = import_rows(
        rows_from_table(ind_table, kind="indicators"),
        rows_from_table(map_table, kind="roadmap"),
        program.organizations,
        curated=program,
        file=str(path),
    )
    assert dump_activities(result) == (DEFAULT_PROGRAM / "activities.yaml").read_text("utf-8")
    assert dump_indicators(result) == (DEFAULT_PROGRAM / "indicators.yaml").read_text("utf-8")


OTHER_REGION = """\
Региональная программа Алтайского края
 Ключевые показатели реализации
\t1. Дети в учреждениях
\t1.1
\tОбщее количество детей в детских учреждениях
\tединиц
\t900
\t850
\t-
\t700

Дорожная карта мероприятий
\t№
п/п
\tНаименование мероприятия
\tСроки реализации
\tОтветственные исполнители
\tВид документа
\tОжидаемый результат

\tI.
\tУправленческая модель

\t1.1.
\tУтверждение программы
\tфевраль 2025
\tминистерство социальной защиты Алтайского края;
краевые учреждения социального обслуживания населения
\tпостановление
\tутверждена программа

\t1.2.
\tСоздание служб
\tежеквартально
\tминистерство социальной защиты Алтайского края
\tприказ
\tсоздано не менее 7 служб
"""


def test_another_regions_program_imports_once_its_aliases_are_added(program: Program) -> None:
    with pytest.raises(ProgramErrors) as info:
        import_text_export(OTHER_REGION, program.organizations)
    assert any(isinstance(e, UnknownExecutor) and "социальной защиты алтайского края" in str(e)
               for e in info.value.errors)  # fmt: skip
    altai = Organization(
        id="minsoc-altai",
        name="министерство социальной защиты Алтайского края",
        short_name="Минсоцзащиты Алтайского края",
        kind="ministry",
    )
    result = import_text_export(OTHER_REGION, [*program.organizations, altai])
    assert [a["executors"] for a in result.activities] == [
        ["minsoc-altai", "social-institutions"],
        ["minsoc-altai"],
    ]
    assert result.activities[1]["targets"] == [
        {"value": 7, "unit": "служб", "text": "не менее 7 служб"}
    ]
    assert result.indicators[0]["targets"] == [900, 850, None, 700]
    assert result.indicators[0]["direction"] == "down"


def test_document_without_a_road_map_is_refused(program: Program) -> None:
    from roadmap.errors import ImportFailed

    with pytest.raises(ImportFailed, match="Дорожная карта"):
        import_text_export("Ключевые показатели реализации\n\t1.1\n", program.organizations)


def test_not_a_word_file_is_refused(tmp_path: Path) -> None:
    from roadmap.errors import ImportFailed

    bad = tmp_path / "x.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ImportFailed, match="Word"):
        read_docx_tables(bad)
