"""Deployments and their schedules, generated from the program data."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

from flows.deployments import MAX_RRULE, deployment_specs, moments_words, prefect_yaml, stack_specs
from flows.registration import flow_of, flow_part, payload, spec_hash
from flows.stack import runner_deployments
from roadmap.dates.workdays import get_calendar
from roadmap.program.model import Program
from tests.conftest import REPO


def days_of(rrules: list[str]) -> list[str]:
    out = []
    for r in rrules:
        assert r.startswith("RDATE:") and len(r) <= MAX_RRULE
        for m in r[len("RDATE:") :].split(","):
            assert re.fullmatch(r"\d{8}T090000", m), m
            out.append(f"{m[:4]}-{m[4:6]}-{m[6:8]}")
    return out


def test_prefect_yaml_is_up_to_date(program: Program) -> None:
    text = prefect_yaml(stack_specs([(program, get_calendar())]))
    assert (REPO / "prefect.yaml").read_text("utf-8") == text, "run `roadmap deployments`"


def test_one_deployment_per_activity_plus_the_program_flows(program: Program) -> None:
    specs = deployment_specs(program, get_calendar())
    assert len(specs) == 95 + 6
    by_name = {s.name: s for s in specs}
    spec = by_name["Красноярский край: 5.14 Внедрение модели реабилитации в 61 учреждении"]
    assert spec.parameters == {"activity": "5.14", "program": "krasnoyarsk-2025-2026"}
    assert spec.tags == (
        "Красноярский край",
        "krasnoyarsk-2025-2026",
        "мероприятие",
        "раздел V",
        "ведущий minsoc",
    )
    assert {s.timezone for s in specs} == {"Asia/Krasnoyarsk"}
    assert "Исполнители: Минсоцполитики края" in spec.description


def test_activity_schedule_fires_only_on_its_ladder_days(program: Program) -> None:
    spec = next(
        s
        for s in deployment_specs(program, get_calendar())
        if s.parameters.get("activity") == "1.5"
    )
    # «январь - июнь 2025», due 30 June 2025: open, reminders, due, overdue, escalations
    assert days_of([s.rrule for s in spec.schedules]) == [
        "2025-01-09", "2025-06-16", "2025-06-25", "2025-06-30",
        "2025-07-01", "2025-07-07", "2025-07-14", "2025-07-28",
    ]  # fmt: skip


def test_sweep_fires_on_every_working_day_of_the_production_calendar(program: Program) -> None:
    spec = next(
        s
        for s in deployment_specs(program, get_calendar())
        if s.name == "Красноярский край: Ежедневный обход"
    )
    days = set(days_of([s.rrule for s in spec.schedules]))
    assert len(spec.schedules) == 2  # over the 6,500-character limit of one rule
    assert "2025-11-01" in days  # a working Saturday
    assert "2025-12-31" not in days and "2025-11-03" not in days and "2025-06-14" not in days


def test_reporting_schedules_carry_their_period(program: Program) -> None:
    spec = next(s for s in deployment_specs(program, get_calendar()) if "Полугодовая" in s.name)
    first = spec.schedules[0]
    assert first.parameters == {
        "period": "I полугодие 2025 года"
    }  # the program is the deployment's
    # reports open 1 July; the executors' deadline (28 July) + 1 working day and 3 working days
    # before the consolidated report's 1 August are both 29 July
    assert days_of([first.rrule]) == ["2025-07-01", "2025-07-29"]


def test_specs_become_the_servers_deployments_with_russian_names(program: Program) -> None:
    specs = deployment_specs(program, get_calendar())[:3]
    part = asyncio.run(flow_part(flow_of(specs[0])))
    bodies = [payload(s, part, None) for s in specs]
    assert [b["name"] for b in bodies] == [
        "Красноярский край: 1.1 Утверждение региональной программы",
        "Красноярский край: 1.2 Актуализация нормативной правовой базы",
        "Красноярский край: 1.3 Система мониторинга показателей эффективности",
    ]
    assert part.flow_name == "Мероприятие дорожной карты"
    assert part.entrypoint == "flows/activity.py:activity_flow"
    assert set(part.schema["properties"]) == {"activity", "as_of", "program"}
    first = bodies[0]
    assert first["schedules"][0]["schedule"]["timezone"] == "Asia/Krasnoyarsk"
    assert first["parameters"] == {"activity": "1.1", "program": "krasnoyarsk-2025-2026"}
    # the hash that decides whether a deployment is sent again follows its content
    assert spec_hash(part.flow_name, first) == spec_hash(part.flow_name, dict(first))
    assert spec_hash(part.flow_name, first) != spec_hash(part.flow_name, bodies[1])


def test_the_federal_view_is_deployed_once_after_every_regions_sweep(program: Program) -> None:
    specs = stack_specs([(program, get_calendar())])
    federal = [s for s in specs if s.flow == "flows.federal:federal_view_flow"]
    assert len(specs) == 102 and federal == specs[-1:]
    # 09:00 in Krasnoyarsk (UTC+7) is 05:00 in Moscow, the Commissioner's Office's time: the
    # view refreshes an hour later, on Moscow's clock
    assert federal[0].timezone == "Europe/Moscow" and federal[0].schedules[0].rrule.startswith(
        "RDATE:20250109T060000,20250110T060000"
    )
    # a region's own stack serves its deployments alone; the federal office's, the view alone
    own = stack_specs([(program, get_calendar())], lane="program")
    assert own == specs[:-1]
    assert stack_specs([(program, get_calendar())], lane="federal") == federal


CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def test_specs_become_runner_deployments_with_russian_names(program: Program) -> None:
    deps = runner_deployments(deployment_specs(program, get_calendar())[:3], program.timezone)
    assert [d.name for d in deps] == [
        "Красноярский край: 1.1 Утверждение региональной программы",
        "Красноярский край: 1.2 Актуализация нормативной правовой базы",
        "Красноярский край: 1.3 Система мониторинга показателей эффективности",
    ]
    assert deps[0].schedules and deps[0].schedules[0].schedule.timezone == "Asia/Krasnoyarsk"


def _forms(program: Program) -> dict[str, dict[str, Any]]:
    """Each program-wide deployment's run form (its parameter schema), one activity's and the
    federal view's."""
    specs = stack_specs([(program, get_calendar())])
    chosen = [specs[0], *specs[95:]]
    return {
        d.name: d._parameter_openapi_schema.model_dump()
        for d in runner_deployments(chosen, program.timezone)
    }


def test_every_run_form_field_is_titled_described_and_typed_in_russian(program: Program) -> None:
    forms = _forms(program)
    assert len(forms) == 8 and "Федеральный свод по регионам" in forms
    for name, schema in forms.items():
        for field, prop in schema["properties"].items():
            where = f"{name}: {field}"
            assert CYRILLIC.search(prop["title"]) and CYRILLIC.search(prop["description"]), where
            # no «str | None» type switch in the form: one plain type per field
            assert "anyOf" not in prop and prop.get("type") in ("string", "array"), where
            if field == "as_of":
                # a date picker that may be left empty: no «null» default to refuse
                assert prop["format"] == "date" and "default" not in prop, where


def test_run_forms_offer_the_programs_periods_in_words(program: Program) -> None:
    forms = _forms(program)
    period = forms["Красноярский край: Сводный отчёт по запросу"]["properties"]["period"]
    assert period["default"] == "весь срок программы"
    assert period["enum"][:3] == ["весь срок программы", "2025 год", "I полугодие 2025 года"]
    assert "IV квартал 2026 года" in period["enum"]
    formats = forms["Красноярский край: Сводный отчёт по запросу"]["properties"]["formats"]
    assert formats["items"]["enum"] == ["docx", "xlsx", "png"]  # a multi-choice
    reporting = forms["Красноярский край: Полугодовая и годовая отчётность"]["properties"][
        "period"
    ]["enum"]
    assert reporting[1:] == [
        "I полугодие 2025 года",
        "2025 год",
        "I полугодие 2026 года",
        "2026 год",
    ]
    months = forms["Красноярский край: 6.1 Мониторинг численности детей"]["properties"]["month"][
        "enum"
    ]
    assert months[1:3] == ["январь 2025\u00a0г.", "февраль 2025\u00a0г."] and len(months) == 25
    activity = forms["Красноярский край: 1.1 Утверждение региональной программы"]["properties"][
        "activity"
    ]
    assert activity["enum"] == ["1.1"] and activity["readOnly"] is True
    no_codes = re.compile(r"\d{4}-(H|Q)\d|\d{4}-\d{2}")
    for schema in forms.values():
        for prop in schema["properties"].values():
            assert not any(no_codes.search(str(v)) for v in prop.get("enum", [])), prop


def test_descriptions_list_the_next_moments_in_words_with_the_programs_zone(
    program: Program,
) -> None:
    served = deployment_specs(program, get_calendar(), dt.date(2025, 6, 20))
    sweep = next(s for s in served if s.name == "Красноярский край: Ежедневный обход")
    assert (
        "Ближайшие запуски: 20 июня 2025\u00a0г., 09:00 (Красноярск); 23 июня 2025\u00a0г., 09:00 (Красноярск); "
        "24 июня 2025\u00a0г., 09:00 (Красноярск); всего" in sweep.description
    )
    dues = next(s for s in served if s.parameters.get("activity") == "1.5").description
    assert "Сроки обязательств: I полугодие 2025 года — 30 июня 2025\u00a0г." in dues
    assert "RDATE" not in dues and "2025-H1" not in dues
    # prefect.yaml lists them from the first, so the generated file does not change daily
    assert moments_words([dt.date(2025, 1, 9)], "Москва", None) == (
        "Запуски по расписанию: 9 января 2025\u00a0г., 09:00 (Москва)."
    )
    assert moments_words([dt.date(2025, 1, 9)], "Москва", dt.date(2025, 2, 1)) == (
        "Запусков по расписанию больше нет."
    )


def test_pause_forms_are_plain_fields_titled_from_the_program_data(program: Program) -> None:
    from flows.commission import ProtocolSignal, agenda_form
    from flows.monitoring import headcount_form

    assert program.monitoring is not None
    forms = [headcount_form(program.monitoring), agenda_form(program), ProtocolSignal]
    for form in forms:
        schema = form.with_initial_data(description="…").model_json_schema()
        for name, prop in schema["properties"].items():
            where = f"{form.__name__}: {name}"
            assert CYRILLIC.search(prop["title"]) and CYRILLIC.search(prop["description"]), where
            # a plain field: no «int | None» switch, no «null» the UI would refuse
            assert "anyOf" not in prop and prop.get("default", "") is not None, where
    headcount = forms[0].model_json_schema()["properties"]
    assert [p["title"] for p in headcount.values()][:3] == [
        "Минсоцполитики",
        "Минобразования",
        "Минздрав",
    ]
    assert headcount["filled_by"]["title"] == "Кто заполняет"
    assert forms[1].model_json_schema()["properties"]["org"]["enum"][1:] == [
        "Минсоцполитики края",
        "Минобразования края",
        "Минздрав края",
    ]
