"""`roadmap init` over two road maps written in the seed's template with the terms real
regional acts use: one as the text export, one as a Word file whose section rows are merged
across all six columns.

Every term's dues are worked out by hand in ``DUES`` before the import runs (the
production calendar: weekends; 31 December and 1–8/1–9 January off; 9 March and 11 May 2026
off). Where a term is counted from an event or read by no rule, ``PERSON``: a person sets
the date.
"""

from __future__ import annotations

from pathlib import Path

import docx
import yaml
from typer.testing import CliRunner

from cli.main import app
from roadmap.obligations.expansion import expand_obligations, expand_pending
from roadmap.program.loader import load_program

runner = CliRunner()
PERSON = "устанавливает ответственный"

MIN_SOC = "министерство социального развития, опеки и попечительства {g}"

# (number, name, term, executors, dues): dues as (period label, due) or PERSON
Row = tuple[str, str, str, str, list[tuple[str, str]] | str]

IRKUTSK_GENITIVE = "Иркутской области"
IRKUTSK: list[tuple[str, list[Row]]] = [
    (
        "Управление реализацией Программы",
        [
            ("1.1", "Утверждение Программы", "февраль 2025", MIN_SOC,
             [("2025-02", "2025-02-28")]),
            ("1.2", "Годовой отчет о ходе реализации Программы",
             "ежегодно в срок до 1 апреля года, следующего за отчетным", MIN_SOC,
             [("2025", "2026-04-01"), ("2026", "2027-04-01")]),
            ("1.3", "Отчет о работе служб за I квартал", "за январь – март 2025 г.", MIN_SOC,
             [("2025-Q1", "2025-03-31")]),
            ("1.4", "Семинары для специалистов органов опеки", "март, октябрь 2025 г.", MIN_SOC,
             [("2025-03", "2025-03-31"), ("2025-10", "2025-10-31")]),
            ("1.5", "Разработка порядка межведомственного взаимодействия",
             "к 1 декабря 2025 г.", MIN_SOC, [("2025-12", "2025-12-01")]),
        ],
    ),
    (
        "Профилактика социального сиротства",
        [
            # 15 November 2025 is a Saturday: Civil Code art. 193 moves it to Monday 17th
            ("2.1", "Сверка списков семей", "ноябрь 2025 (до 15 числа)", MIN_SOC,
             [("2025-11", "2025-11-17")]),
            ("2.2", "Информация о семьях, находящихся в социально опасном положении",
             "до 1 апреля 2025 г. (далее – ежегодно)", MIN_SOC,
             [("2025", "2025-04-01"), ("2026", "2026-04-01")]),
            ("2.3", "Сведения о выявленных детях",
             "I квартал 2026 г. (ежемесячно до 20 числа текущего месяца)", MIN_SOC,
             [("2026-01", "2026-01-20"), ("2026-02", "2026-02-20"), ("2026-03", "2026-03-20")]),
            ("2.4", "Летняя оздоровительная кампания",
             "с 1 марта 2025 г. по 30 июня 2025 г.", MIN_SOC,
             [("2025-03..2025-06", "2025-06-30")]),
            # the last working day of the next year's I quarter: 31 March 2026 and 2027
            ("2.5", "Анализ причин отобраний детей",
             "ежегодно, в I квартале года, следующего за отчетным", MIN_SOC,
             [("2025", "2026-03-31"), ("2026", "2027-03-31")]),
        ],
    ),
    (
        "Мониторинг и реагирование",
        [
            # «до 31 числа»: February has 28 days, so 28 February 2026 (Saturday) → 2 March;
            # then 31 March (Tue) and 30 April (Thu), the last day of April
            ("3.1", "Сведения об устройстве детей",
             "I квартал 2026 г. (ежемесячно до 31 числа месяца, следующего за отчетным)",
             MIN_SOC,
             [("2026-01", "2026-03-02"), ("2026-02", "2026-03-31"), ("2026-03", "2026-04-30")]),
            # the program's own last consolidated report (1 March after the span), owed for
            # the span's last month
            ("3.2", "Итоговый отчет о реализации Программы", "до 1 марта 2027 г.", MIN_SOC,
             [("2026-12", "2027-03-01")]),
            ("3.3", "Рассмотрение обращений граждан", "в месячный срок", MIN_SOC, PERSON),
            ("3.4", "Выезд мобильной бригады", "срочно", MIN_SOC, PERSON),
            ("3.5", "Учет сообщений о детях",
             "в течение 5 рабочих дней со дня регистрации", MIN_SOC, PERSON),
            ("3.6", "Обновление сведений на сайте", "когда-нибудь в будущем", MIN_SOC, PERSON),
            # the 5th working day of the next month (the default monthly_due): 6 February,
            # 6 March, 7 April 2026
            ("3.7", "Ежемесячный мониторинг численности детей в организациях",
             "I квартал 2026 г. (ежемесячно)", MIN_SOC,
             [("2026-01", "2026-02-06"), ("2026-02", "2026-03-06"), ("2026-03", "2026-04-07")]),
        ],
    ),
]  # fmt: skip

TVER_MINOBR = "министерство образования Тверской обл."
TVER_MINOBR_FULL = "Министерство образования Тверской области"
TVER_UMVD = "УМВД России по Тверской области (по согласованию)"
TVER_OMSU = "органы местного самоуправления (по согласованию)"
TVER_MINSOC = "министерство социальной защиты населения Тверской области"
TVER: list[tuple[str, list[Row]]] = [
    (
        "Организация межведомственного взаимодействия",
        [
            ("1.1", "Проведение заседаний комиссии по делам несовершеннолетних и защите их "
             "прав при Правительстве Тверской области", "ежеквартально",
             f"{TVER_MINSOC};\n{TVER_MINOBR};\n{TVER_UMVD}",
             [("2025-Q1", "2025-03-31"), ("2025-Q2", "2025-06-30"), ("2025-Q3", "2025-09-30"),
              ("2025-Q4", "2025-12-30"), ("2026-Q1", "2026-03-31"), ("2026-Q2", "2026-06-30"),
              ("2026-Q3", "2026-09-30"), ("2026-Q4", "2026-12-30")]),
            ("1.2", "Информирование о выявленных случаях жестокого обращения", "оперативно",
             f"{TVER_MINSOC};\nУМВД России по Тверской области", PERSON),
            ("1.3", "Рассмотрение представлений прокуратуры", "в 10-дневный срок",
             f"{TVER_MINOBR_FULL}; {TVER_OMSU}", PERSON),
            ("1.4", "Предоставление информации по запросам", "со дня получения запроса",
             f"{TVER_MINSOC}; органы местного самоуправления", PERSON),
            ("1.5", "Утверждение планов работы", "в течение месяца после утверждения программы",
             TVER_MINSOC, PERSON),
        ],
    ),
    (
        "Отчетность",
        [
            # 20 April and 20 July 2025 are Sundays: Monday 21st
            ("2.1", "Отчет о деятельности служб",
             "ежеквартально, в срок до 20 числа месяца, следующего за отчетным кварталом",
             f"{TVER_MINSOC}; {TVER_MINOBR}",
             [("2025-Q1", "2025-04-21"), ("2025-Q2", "2025-07-21"), ("2025-Q3", "2025-10-20"),
              ("2025-Q4", "2026-01-20"), ("2026-Q1", "2026-04-20"), ("2026-Q2", "2026-07-20"),
              ("2026-Q3", "2026-10-20"), ("2026-Q4", "2027-01-20")]),
            ("2.2", "Анализ исполнения плана", "в срок до 15 декабря 2025 г.", TVER_MINSOC,
             [("2025-12", "2025-12-15")]),
        ],
    ),
]  # fmt: skip

ROMAN = ["I", "II", "III"]


def _narrative(region_genitive: str, title_page: bool) -> str:
    title = (
        f"Региональная программа {region_genitive}\nпо профилактике социального сиротства\n"
        "на 2025–2026 годы\n\n"
        if title_page
        else "УТВЕРЖДЕНА\nпостановлением правительства\n\n"
    )
    return (
        title + f"Региональная программа {region_genitive} по профилактике социального сиротства "
        "на 2025–2026 годы (далее – Программа) разработана в рамках специального проекта "
        "«Вызов».\nСрок реализации Программы: январь 2025 – декабрь 2026 годов.\n"
    )


def _text_export(sections: list[tuple[str, list[Row]]], genitive: str) -> str:
    out = [_narrative(genitive, title_page=False), "\n\nДорожная карта мероприятий \n\n"]
    header = ["№\nп/п", "Наименование мероприятия", "Сроки реализации",
              "Ответственные исполнители", "Вид документа", "Ожидаемый результат"]  # fmt: skip
    out.append("".join(f"\t{h}\n" for h in header) + "\n")
    out.append("".join(f"\t{n}\n" for n in range(1, 7)) + "\n")
    for roman, (title, rows) in zip(ROMAN, sections, strict=False):
        out.append(f"\t{roman}.\n\t{title}\n\n")
        for number, name, term, executors, _ in rows:
            cells = [f"{number}.", name, term, executors.format(g=genitive), "отчет", "исполнено"]
            out.append("".join(f"\t{c}\n" for c in cells) + "\n")
    return "".join(out)


def _word(sections: list[tuple[str, list[Row]]], genitive: str, path: Path) -> None:
    document = docx.Document()
    for line in _narrative(genitive, title_page=True).split("\n"):
        document.add_paragraph(line)
    document.add_paragraph("Дорожная карта мероприятий")
    road = document.add_table(rows=2, cols=6)
    header = ["№ п/п", "Наименование мероприятия", "Сроки реализации",
              "Ответственные исполнители", "Вид документа", "Ожидаемый результат"]  # fmt: skip
    for cell, text in zip(road.rows[0].cells, header, strict=True):
        cell.text = text
    for cell, text in zip(road.rows[1].cells, "123456", strict=True):
        cell.text = text
    for roman, (title, rows) in zip(ROMAN, sections, strict=False):
        row = road.add_row()
        row.cells[0].merge(row.cells[5]).text = f"{roman}. {title}"  # merged across all six
        for number, name, term, executors, _ in rows:
            cells = road.add_row().cells
            texts = [f"{number}.", name, term, executors, "отчет", "исполнено"]
            for cell, text in zip(cells, texts, strict=True):
                cell.text = text
    document.save(str(path))


def _init(folder: Path, document: Path, region: str, zone: str, *extra: str) -> str:
    result = runner.invoke(
        app,
        ["init", str(folder), "--from", str(document), "--region", region, "--timezone", zone,
         *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output + result.stderr
    validated = runner.invoke(app, ["validate", str(folder)])
    assert validated.exit_code == 0, validated.output
    return result.output


def _dues(folder: Path) -> dict[str, list[tuple[str, str]] | str]:
    program = load_program(folder)
    got: dict[str, list[tuple[str, str]] | str] = {}
    for o in expand_obligations(program):
        if o.kind == "activity" and o.activity:
            dues = got.setdefault(o.activity, [])
            assert isinstance(dues, list)
            dues.append((o.period.label, o.due.isoformat()))
    for p in expand_pending(program):
        got[p.activity] = PERSON
    return {k: sorted(v) if isinstance(v, list) else v for k, v in got.items()}


def _expected(sections: list[tuple[str, list[Row]]]) -> dict[str, list[tuple[str, str]] | str]:
    return {
        number: sorted(dues) if isinstance(dues, list) else dues
        for _, rows in sections
        for number, *_, dues in rows
    }


def test_text_road_map_with_the_forms_of_acts_gives_the_dues_worked_out_by_hand(
    tmp_path: Path,
) -> None:
    source = tmp_path / "irkutsk.txt"
    source.write_text(_text_export(IRKUTSK, IRKUTSK_GENITIVE), "utf-8")
    title = "Региональная программа Иркутской области по профилактике социального сиротства"
    out = _init(tmp_path / "irk", source, "Иркутская область", "Asia/Irkutsk", "--title", title)
    assert _dues(tmp_path / "irk") == _expected(IRKUTSK)
    program = load_program(tmp_path / "irk")
    assert (program.title, program.timezone_name) == (title, "Иркутск")
    marked = {a.number for a in program.activities if a.due_set_by_person}
    assert marked == {"3.3", "3.4", "3.5", "3.6"}
    # the term no rule reads: its document line, the nearest rule, never a temporary path
    flat = " ".join(out.split())
    assert "3.6: срок не датирован (документ irkutsk.txt, строка" in flat
    assert "«когда-нибудь в будущем»; ближе всего к ним правило" in flat
    assert ".init-" not in out and "не подходит ни под одно правило" not in out
    assert "3.3 (документ irkutsk.txt, строка" in flat
    # monitoring without an indicator table: what to add, not «не распознан»
    assert "мероприятие 3.7 похоже на мониторинг численности детей" in flat


def test_word_road_map_with_merged_section_rows_gives_the_dues_worked_out_by_hand(
    tmp_path: Path,
) -> None:
    source = tmp_path / "tver.docx"
    _word(TVER, "Тверской области", source)
    out = " ".join(_init(tmp_path / "tver", source, "Тверская область", "Europe/Moscow").split())
    assert _dues(tmp_path / "tver") == _expected(TVER)
    program = load_program(tmp_path / "tver")
    assert [s.title for s in program.sections] == [title for title, _ in TVER]
    assert program.title == (
        "Региональная программа Тверской области по профилактике социального сиротства на "
        "2025–2026 годы"
    )
    assert program.timezone_name == "Москва"
    # the commission as this road map names it, never another region's words
    assert program.commission is not None
    assert program.commission.name == (
        "комиссии по делам несовершеннолетних и защите их прав при Правительстве Тверской области"
    )
    text = (tmp_path / "tver" / "program.yaml").read_text("utf-8")
    assert "по реализации дорожной карты" not in text
    # executors merged as a person would: one body each, short names whole
    orgs = {o.short_name: o for o in program.organizations if o.executor}
    assert sorted(orgs) == [
        "Министерство образования",
        "Министерство социальной защиты населения",
        "Органы местного самоуправления",
        "УМВД России по Тверской области",
    ]
    assert all("согласованию" not in o.name for o in program.organizations)
    assert "объединены как одна организация" in out
    assert (
        "«министерство образования Тверской обл»; «Министерство образования Тверской области»"
        in out
    )


def test_a_second_run_over_the_same_document_gives_the_same_folder(tmp_path: Path) -> None:
    source = tmp_path / "tver.docx"
    _word(TVER, "Тверской области", source)
    _init(tmp_path / "one", source, "Тверская область", "Europe/Moscow")
    _init(tmp_path / "two", source, "Тверская область", "Europe/Moscow")
    for name in ("program.yaml", "organizations.yaml", "activities.yaml", "indicators.yaml"):
        one = (tmp_path / "one" / name).read_text("utf-8")
        assert (tmp_path / "two" / name).read_text("utf-8") == one, name
    assert yaml.safe_load((tmp_path / "one" / "program.yaml").read_text("utf-8"))["commission"]
