"""`roadmap init`: a second region's folder from its document, valid as it is."""

from __future__ import annotations

from pathlib import Path

import docx
from typer.testing import CliRunner

from cli.main import app
from roadmap.drafting.source_tables import narrative
from roadmap.program.loader import load_program
from tests.roadmap.test_importer import _build_docx

runner = CliRunner()
SAMARA = Path(__file__).resolve().parent.parent / "data" / "samara-roadmap.txt"
ARGS = ["--region", "Самарская область", "--timezone", "Europe/Samara"]


def init(folder: Path, document: Path = SAMARA, *extra: str) -> str:
    result = runner.invoke(app, ["init", str(folder), "--from", str(document), *ARGS, *extra])
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


def test_init_makes_a_folder_that_validates_and_lists_what_to_review(tmp_path: Path) -> None:
    out = init(tmp_path / "samara")
    assert "Программа создана: samarskaya-oblast-2025-2026" in out
    assert "мероприятий 11, показателей 4, организаций 14" in out
    assert "Проверьте по документу" in out and "REVIEW" in out
    assert "ежемесячный мониторинг распознан: мероприятие 1.2, показатель 1.1" in out
    assert sorted(p.name for p in (tmp_path / "samara").iterdir()) == [
        ".roadmap-init.json",  # what init wrote, so that a second run knows its own files
        "activities.yaml",
        "indicators.yaml",
        "organizations.yaml",
        "program.yaml",
    ]
    validated = runner.invoke(app, ["validate", str(tmp_path / "samara")])
    assert validated.exit_code == 0, validated.output
    assert "Данные программы в порядке" in validated.output
    program = load_program(tmp_path / "samara")
    assert (program.region, program.timezone) == ("Самарская область", "Europe/Samara")
    assert all(len(a.short_name) <= 60 and "/" not in a.short_name for a in program.activities)


def test_init_takes_the_id_given(tmp_path: Path) -> None:
    init(tmp_path / "s", SAMARA, "--id", "samara-2025-2026")
    assert load_program(tmp_path / "s").id == "samara-2025-2026"


def test_init_reads_the_word_file_as_it_reads_the_text(tmp_path: Path) -> None:
    init(tmp_path / "from-text")
    program = load_program(tmp_path / "from-text")
    word = tmp_path / "samara.docx"
    _build_docx(program, word)
    document = docx.Document(str(word))
    first = document.paragraphs[0]
    for line in narrative(SAMARA.read_text("utf-8")).split("\n"):
        first.insert_paragraph_before(line)
    document.save(str(word))
    init(tmp_path / "from-word", word)
    for name in ("activities.yaml", "indicators.yaml", "organizations.yaml"):
        text = (tmp_path / "from-text" / name).read_text("utf-8")
        same = (tmp_path / "from-word" / name).read_text("utf-8")
        assert same.replace("samara.docx", "samara-roadmap.txt") == text, name


def test_init_refuses_a_folder_in_use_and_an_unknown_zone(
    tmp_path: Path,
) -> None:
    used = tmp_path / "used"
    used.mkdir()
    (used / "notes.txt").write_text("x")
    result = runner.invoke(app, ["init", str(used), "--from", str(SAMARA), *ARGS])
    assert result.exit_code == 1 and "папка не пуста" in result.stderr
    result = runner.invoke(
        app,
        [
            "init",
            str(tmp_path / "z"),
            "--from",
            str(SAMARA),
            "--region",
            "Самарская область",
            "--timezone",
            "Europe/Nowhere",
        ],
    )
    assert result.exit_code == 1 and "неизвестный часовой пояс" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not (tmp_path / "z").exists()


def test_init_reads_the_act_that_approves_the_program_for_the_letters_to_cite(
    tmp_path: Path,
) -> None:
    clause = "Исполнители, соисполнители мероприятий Программы не позднее 15"
    act = "постановлением комиссии по делам несовершеннолетних и защите их прав Самарской области"
    approved = tmp_path / "samara-roadmap.txt"
    approved.write_text(
        SAMARA.read_text("utf-8").replace(
            clause, f"Региональная программа утверждается {act}.\n{clause}", 1
        ),
        "utf-8",
    )
    out = " ".join(init(tmp_path / "approved", approved).split())
    assert "акт об утверждении программы прочитан в тексте (program.yaml, approval)" in out
    approval = load_program(tmp_path / "approved").approval
    assert approval is not None and approval.act == act
    assert approval.reporting_clause is not None
    assert approval.reporting_clause.startswith("исполнители, соисполнители мероприятий")
    # a document that does not say it: the block is left to fill in, and said so
    out = " ".join(init(tmp_path / "plain").split())
    assert "акт об утверждении программы в тексте не найден" in out
    assert load_program(tmp_path / "plain").approval is None


def _contents(folder: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir())}


def test_a_second_run_over_the_same_document_gives_the_same_folder(tmp_path: Path) -> None:
    folder = tmp_path / "samara"
    init(folder)
    first = _contents(folder)
    (folder / "contacts.yaml").write_text("contacts: []\n", "utf-8")  # a person's own file
    out = init(folder)
    assert "Папка уже создана по этому документу, файлы те же" in out
    assert _contents(folder) == {**first, "contacts.yaml": b"contacts: []\n"}
    # the document changed and the folder did not: init writes it anew, the person's file kept
    changed = tmp_path / "samara-roadmap.txt"
    changed.write_text(SAMARA.read_text("utf-8").replace("\tфевраль 2025", "\tмарт 2025"), "utf-8")
    assert "Папка обновлена по документу" in init(folder, changed)
    assert load_program(folder).activity_map["1.1"].term == "март 2025"
    assert (folder / "contacts.yaml").read_text("utf-8") == "contacts: []\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["samara", "samara-roadmap.txt"]


def test_a_second_run_never_overwrites_what_a_person_changed(tmp_path: Path) -> None:
    folder = tmp_path / "samara"
    init(folder)
    program = folder / "program.yaml"
    program.write_text(program.read_text("utf-8").replace("# REVIEW", "# checked"), "utf-8")
    before = _contents(folder)
    result = runner.invoke(app, ["init", str(folder), "--from", str(SAMARA), *ARGS])
    assert result.exit_code == 1
    said = " ".join(result.stderr.split())
    assert "с тех пор изменены файлы program.yaml" in said and "укажите новую папку" in said
    assert _contents(folder) == before


def test_init_writes_the_folder_and_marks_a_term_it_cannot_date(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(SAMARA.read_text("utf-8").replace("\tфевраль 2025", "\tкогда-нибудь"), "utf-8")
    out = " ".join(init(tmp_path / "b", bad).split())
    assert "1.1: срок не датирован (документ bad.txt, строка 76)" in out
    assert "не прочитаны слова «когда-нибудь»" in out and "due_set_by_person" in out
    program = load_program(tmp_path / "b")
    assert program.activity_map["1.1"].due_set_by_person
    assert program.activity_map["1.1"].term == "когда-нибудь"
