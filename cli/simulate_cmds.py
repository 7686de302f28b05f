"""`roadmap simulate`: the engine over two program years in seconds, on a fresh database."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from cli import context
from cli.output import console, err_console, fail, fail_with, parse_date, print_json, table
from roadmap.errors import RoadmapError
from roadmap.program.contacts import ContactSpec, load_contacts
from roadmap.program.model import Program
from simulation.behaviour import Profile, load_profile
from simulation.engine import Simulation, SimulationResult, simulation_runtime

EXAMPLE_CONTACTS = Path(__file__).resolve().parent.parent / "examples" / "contacts.example.yaml"
STEP_RU = {
    "open": "открыто",
    "remind-10": "за 10 дней",
    "remind-3": "за 3 дня",
    "due": "в срок",
    "overdue": "просрочено",
    "escalate-1": "эскалация 1",
    "escalate-2": "эскалация 2",
    "escalate-3": "эскалация 3",
}
OUTCOME_RU = {
    "on_time": "в срок",
    "late": "с опозданием",
    "outstanding": "не представлено",
    "not_applicable": "неприменимо",
    "not_due_yet": "срок ещё не наступил",
}


def simulate(
    date_from: Annotated[
        str, typer.Option("--from", help="Первый день (ГГГГ-ММ-ДД).")
    ] = "2025-01-01",
    date_to: Annotated[
        str, typer.Option("--to", help="Последний день (ГГГГ-ММ-ДД).")
    ] = "2026-12-31",
    seed: Annotated[
        int, typer.Option("--seed", help="Зерно случайности: то же зерно — тот же результат.")
    ] = 1,
    behaviour: Annotated[
        str | None,
        typer.Option("--behaviour", help="Профиль поведения: файл YAML, never или on-time."),
    ] = None,
    contacts: Annotated[
        Path | None,
        typer.Option(
            "--contacts", help="Файл контактов (по умолчанию ROADMAP_CONTACTS_FILE или пример)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Пустая папка для журнала, исходящих, отчётов и базы."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Итог в JSON, со всеми отправленными сообщениями.")
    ] = False,
) -> None:
    """Прогнать движок день за днём на свежей базе: представления, напоминания, эскалации, отчёты.

    Пример: roadmap simulate --from 2025-01-01 --to 2026-12-31 --seed 7 --out sim/
    """
    start, end = _days(date_from, date_to)
    program = context.program()
    profile, specs = _profile_and_contacts(behaviour, contacts, program)
    workdir = _workdir(out)
    try:
        rt = simulation_runtime(context.settings(), program, workdir)
        sim = Simulation(
            rt,
            profile=profile,
            seed=seed,
            start=start,
            end=end,
            contacts=specs,
            write_reports=out is not None,
        )
        result = _run_with_progress(sim, days=(end - start).days + 1)
        rt.engine.dispose()
        if out is not None:
            _save_outputs(result, out)
    finally:
        if out is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if as_json:
        print_json(result.summary)
        return
    _print(result.summary, out)


def _days(date_from: str, date_to: str) -> tuple[dt.date, dt.date]:
    """The first and the last day simulated; exits when they are not dates in order."""
    start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    assert start is not None and end is not None
    if end < start:
        fail("--to раньше --from")
    return start, end


def _workdir(out: Path | None) -> Path:
    """The folder the run writes into: ``out`` when it is empty, else a temporary one."""
    if out is not None and out.exists() and any(out.iterdir()):
        fail(f"--out: папка {out} не пуста (симуляция начинает с чистой базы)")
    workdir = out or Path(tempfile.mkdtemp(prefix="roadmap-sim-"))
    workdir.mkdir(parents=True, exist_ok=True)
    return workdir


def _profile_and_contacts(
    behaviour: str | None, contacts: Path | None, program: Program
) -> tuple[Profile, list[ContactSpec]]:
    """The behaviour profile and the contacts the simulation runs with; exits on bad input."""
    try:
        profile = load_profile(behaviour)
    except RoadmapError as exc:
        fail_with(exc, "в профиле поведения")
    try:
        path = contacts or context.rt().contacts_file or EXAMPLE_CONTACTS
        specs = load_contacts(path, program)
    except RoadmapError as exc:
        fail_with(exc, "в файле контактов")
    return profile, specs


def _run_with_progress(sim: Simulation, *, days: int) -> SimulationResult:
    """Run the simulation with a progress bar on stderr, one step a day."""
    with Progress(
        TextColumn("Симуляция"),
        BarColumn(),
        TextColumn("{task.fields[day]}"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("sim", total=days, day="")
        return sim.run(progress=lambda d: bar.update(task, advance=1, day=d.isoformat()))


def _save_outputs(result: SimulationResult, out: Path) -> None:
    """The day-by-day log and the summary, beside what the run wrote into ``out``."""
    (out / "log.txt").write_text("\n".join(d.line() for d in result.days) + "\n", "utf-8")
    (out / "summary.json").write_text(
        json.dumps(result.summary, ensure_ascii=False, indent=2) + "\n", "utf-8"
    )


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _print(s: dict[str, Any], out: Path | None) -> None:
    console.print(
        f"Симуляция {s['from']} — {s['to']}, зерно {s['seed']}: представлений {s['submissions']}, "
        f"возвращено на доработку {s['returned_for_rework']}, сообщений {len(s['messages'])}."
    )
    table(
        "Обязательства",
        ["Исход", "Число"],
        [(OUTCOME_RU.get(k, k), v) for k, v in s["obligations"].items()],
    )
    steps = s["messages_by_step"]
    table(
        "Сообщения по шагам",
        ["Шаг", "E-mail", "Telegram", "MAX"],
        [
            (ru, steps[k].get("email", 0), steps[k].get("telegram", 0), steps[k].get("max", 0))
            for k, ru in STEP_RU.items()
            if k in steps
        ],
    )
    table("Эскалации (обязательств)", ["Уровень", "Число"], list(s["escalations"].items()))
    table(
        "Полнота и своевременность органов власти",
        ["Орган", "Срок наступил", "Полнота", "Своевременность"],
        [(r["name"], r["due"], _pct(r["completeness"]), _pct(r["timeliness"])) for r in s["rates"]],
    )
    hc = s["headcount"]
    table(
        "Дети в учреждениях (ежемесячный мониторинг)",
        ["Месяц", "Факт", "Траектория"],
        [
            (p["month"], p["actual"] if p["actual"] is not None else "—", p["trajectory"])
            for p in hc
        ][-12:],
    )
    if out is not None:
        console.print(f"Журнал, исходящие и отчёты: {out}")


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate)
