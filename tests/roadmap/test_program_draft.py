"""A new region's program drafted from its document: executors split and merged, rules read."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from roadmap.drafting.draft import DocumentParts, draft_program
from roadmap.drafting.importer import propose_short_name
from roadmap.drafting.org_registry import (
    merge_key,
    propose_id,
    propose_kind,
    propose_registry,
    region_genitive,
    split_executors,
)
from roadmap.drafting.reading import read_reporting, read_span, read_title
from roadmap.drafting.source_tables import (
    group_indicator_cells,
    group_roadmap_cells,
    narrative,
    split_text_export,
)
from roadmap.program.executors import normalize_name
from roadmap.program.model import Program

SAMARA = Path(__file__).resolve().parent.parent / "data" / "samara-roadmap.txt"
REGION = "Самарская область"


def parts_of(text: str) -> DocumentParts:
    ind, road, _ = split_text_export(text)
    return DocumentParts(
        narrative=narrative(text),
        indicator_rows=group_indicator_cells(ind),
        roadmap_rows=group_roadmap_cells(road),
        source="samara-roadmap.txt",
    )


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        (
            "министерство А Самарской области; министерство Б Самарской области",
            ["министерство А Самарской области", "министерство Б Самарской области"],
        ),
        (
            "министерство А области,\nминистерство Б области",
            ["министерство А области", "министерство Б области"],
        ),
        # a comma inside a name is not a separator
        (
            "комиссии по делам несовершеннолетних муниципальных районов, городских округов",
            ["комиссии по делам несовершеннолетних муниципальных районов, городских округов"],
        ),
        (
            "краевые, муниципальные органы и учреждения системы профилактики",
            ["краевые, муниципальные органы и учреждения системы профилактики"],
        ),
        # a line break inside a name («…несовершеннолетних \nи защите…») is not either
        (
            "комиссия по делам несовершеннолетних \nи защите их прав\nминистерство Б края",
            ["комиссия по делам несовершеннолетних и защите их прав", "министерство Б края"],
        ),
        # only a closing quote between two executors
        (
            "КГКУ СО «Центр семьи» краевые учреждения социального обслуживания",
            ["КГКУ СО «Центр семьи»", "краевые учреждения социального обслуживания"],
        ),
        (
            "АНО «Азбука семьи» в качестве обучающей организации",
            ["АНО «Азбука семьи» в качестве обучающей организации"],
        ),
        (
            "министерство А края, КГАУ ДПО «Институт», учреждения для детей-сирот и детей, "
            "оставшихся без попечения родителей,",
            [
                "министерство А края",
                "КГАУ ДПО «Институт»",
                "учреждения для детей-сирот и детей, оставшихся без попечения родителей",
            ],
        ),
    ],
)
def test_executor_cells_split_at_separators_not_inside_names(cell: str, names: list[str]) -> None:
    assert [name for name, _ in split_executors(cell)] == names


def test_a_definition_is_an_alias_of_the_body_it_follows() -> None:
    pieces = split_executors(
        "органы местного самоуправления муниципальных образований Самарской области "
        "(далее – органы местного самоуправления); министерство А Самарской области"
    )
    assert pieces == [
        (
            "органы местного самоуправления муниципальных образований Самарской области",
            ["органы местного самоуправления"],
        ),
        ("министерство А Самарской области", []),
    ]


@pytest.mark.parametrize(
    ("region", "forms"),
    [
        ("Самарская область", ("Самарской области", "области")),
        ("Красноярский край", ("Красноярского края", "края")),
        ("Забайкальский край", ("Забайкальского края", "края")),
        ("Республика Тыва", ("Республики Тыва", "республики")),
        ("г. Москва", None),
    ],
)
def test_region_genitive(region: str, forms: tuple[str, str] | None) -> None:
    assert region_genitive(region) == forms


def test_spellings_of_one_body_merge_and_look_alikes_are_only_listed() -> None:
    registry = propose_registry(
        [
            "министерство образования Самарской области; Министерство образования  Самарской "
            "области",
            "министерство образования области",
            'ГКУ СО "Центр семьи"; ГКУ СО «Центр семьи»',
            "комиссия по делам несовершеннолетних и защите их прав при Правительстве Самарской "
            "области",
            "комиссия по делам несовершеннолетних и защиты их прав при Правительстве Самарской "
            "области",
            "органы местного самоуправления муниципальных образований Самарской области "
            "(далее – органы местного самоуправления)",
            "органы местного самоуправления",
        ],
        REGION,
    )
    orgs = {o.id: o for o in registry.organizations}
    assert list(orgs) == [
        "min-obrazovaniya",
        "tsentr-semi",
        "komissiya-delam",
        "komissiya-delam-nesovershennoletnikh",
        "organy-mestnogo",
    ]
    assert orgs["min-obrazovaniya"].aliases == [
        "министерство образования Самарской области",
        "Министерство образования Самарской области",
        "министерство образования области",
    ]
    assert orgs["min-obrazovaniya"].name == "министерство образования Самарской области"
    assert orgs["tsentr-semi"].aliases == ['ГКУ СО "Центр семьи"', "ГКУ СО «Центр семьи»"]
    assert "органы местного самоуправления" in orgs["organy-mestnogo"].aliases
    look_alike = [r for r in registry.review if "почти одинаково" in r]
    assert len(look_alike) == 1 and "komissiya-delam-nesovershennoletnikh" in look_alike[0]


def test_a_body_written_with_and_without_po_soglasovaniyu_is_one_and_the_merge_is_listed() -> None:
    registry = propose_registry(
        [
            "УМВД России по Самарской области (по согласованию)",
            "УМВД России по Самарской области",
            "УМВД России по Самарской области (по согласованию)",
            "органы опеки и попечительства",
        ],
        REGION,
    )
    [umvd, opeka] = registry.organizations
    assert umvd.aliases == ["УМВД России по Самарской области"]
    [merged] = [r for r in registry.review if "объединены" in r]
    assert merged.startswith(f"организация «{umvd.id}»")
    assert merged.endswith(
        "«УМВД России по Самарской области (по согласованию)»; «УМВД России по Самарской области»"
    )
    assert opeka.aliases == ["органы опеки и попечительства"]  # one spelling: nothing merged


def test_region_words_merge_only_for_the_region_itself() -> None:
    key = merge_key("министерство образования Самарской области", REGION)
    assert key == merge_key("министерство образования области", REGION)
    assert key != merge_key("министерство образования Тверской области", REGION)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("министерство здравоохранения Самарской области", "ministry"),
        ("департамент информационной политики Администрации Губернатора", "agency"),
        ("комиссия по делам несовершеннолетних и защите их прав", "commission"),
        ("ГКУ СО «Самарский областной центр семьи»", "state_institution"),
        ("органы местного самоуправления муниципальных образований", "municipal_group"),
        ("организации социального обслуживания семьи и детей", "institution_group"),
        ("ГУ МВД России по Самарской области", "federal_body"),
        ("АНО «Родной дом»", "ngo"),
        ("краевой телеканал «Енисей»", "media"),
    ],
)
def test_kind_is_read_from_the_first_words(name: str, kind: str) -> None:
    assert propose_kind(name) == (kind, True)


def test_ids_are_transliterated_from_the_name_and_unique() -> None:
    taken: set[str] = set()
    first = propose_id("министерство образования Самарской области", REGION, taken)
    taken.add(first)
    second = propose_id("министерство образования и науки Самарской области", REGION, taken)
    assert (first, second) == ("min-obrazovaniya", "min-obrazovaniya-nauki")
    assert propose_id("КГБУ СО «Центр помощи семье и детям «Доверие»", REGION, set()) == "doverie"


@pytest.mark.parametrize(
    "name",
    [
        "Разработка, согласование и утверждение региональной программы Самарской области по "
        "профилактике социального сиротства на 2025-2026 гг.",
        "Сокращение доли (%) детей в учреждениях / организациях & семьях <по плану>",
        "Проведение совещаний",
    ],
)
def test_short_names_fit_a_deployment_name(name: str) -> None:
    short = propose_short_name(name)
    assert 0 < len(short) <= 60
    assert not set(short) & set("/%&<>")
    assert short.split()[0].rstrip(",") == name.split()[0].rstrip(",")


def test_the_narrative_gives_title_span_and_reporting_rules() -> None:
    text = SAMARA.read_text("utf-8")
    story = narrative(text)
    title = read_title(story)
    assert title == (
        "Региональная программа Самарской области по профилактике и снижению уровня "
        "социального сиротства на 2025–2026 годы"
    )
    assert read_span(story, title) == (2025, 2026)
    parts = parts_of(text)
    cells = [r.cells[3].text for r in parts.roadmap_rows if r.kind == "activity"]
    rules = read_reporting(story, propose_registry(cells, REGION), REGION)
    assert rules.half_year_working_days == 15
    assert rules.annual_due == "02-01"
    assert rules.consolidated_owner == "min-sotsialno-demograficheskoy"
    assert (rules.consolidated_half_year_due, rules.consolidated_annual_due) == ("08-01", "03-01")


def test_without_a_title_page_the_title_is_the_name_the_narrative_defines() -> None:
    text = SAMARA.read_text("utf-8")
    story = narrative(text)
    body = story[story.index("Региональная программа", 10) :]  # the title page torn off
    assert read_title(body) == (
        "Региональная программа Самарской области по профилактике и снижению уровня "
        "социального сиротства на 2025–2026 годы"
    )


def test_the_draft_takes_nothing_from_another_program(program: Program) -> None:
    draft = draft_program(
        parts_of(SAMARA.read_text("utf-8")), region=REGION, timezone="Europe/Samara"
    )
    orgs = yaml.safe_load(draft.files["organizations.yaml"])["organizations"]
    document = normalize_name(SAMARA.read_text("utf-8"))
    officials = [o for o in orgs if o.get("executor") is False]
    assert [o["kind"] for o in officials] == ["federal_body", "official"]  # recipient, curator
    for org in orgs:
        assert org["id"] not in program.orgs
        if org in officials:
            continue
        for name in (org["name"], *org.get("aliases", [])):
            assert normalize_name(name) in document, name  # every spelling is the document's
    text = "".join(draft.files.values())
    for word in ("Красноярск", program.id, program.timezone):
        assert word not in text
    prog = yaml.safe_load(draft.files["program.yaml"])
    assert prog["consolidated"] == {
        "submitted_by": "министерством социально-демографической и семейной политики "
        "Самарской области"
    }
    assert prog["reporting"]["executor_half_year_working_days"] == 15
    assert prog["monitoring"]["activity"] == "1.2" and prog["monitoring"]["indicator"] == "1.1"
    assert "commission" not in prog and "# commission:" in draft.files["program.yaml"]


def test_a_road_map_without_an_indicator_table_is_a_program_too() -> None:
    text = SAMARA.read_text("utf-8")
    start = text.index(" Ключевые показатели реализации")
    end = text.index("Дорожная карта мероприятий")
    draft = draft_program(
        parts_of(text[:start] + text[end:]), region=REGION, timezone="Europe/Samara"
    )
    indicators = yaml.safe_load(draft.files["indicators.yaml"])
    assert indicators == {"indicator_groups": [], "indicators": []}
    assert "monitoring" not in yaml.safe_load(draft.files["program.yaml"])
    assert any("похоже на мониторинг численности детей" in r for r in draft.review)
