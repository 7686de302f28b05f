"""A new region's program folder from its road-map document: `roadmap init`'s use case.

The document is read (the text export or the Word file), the draft made
(``roadmap.drafting.draft``), written to a folder beside the target, loaded and expanded
as `roadmap validate` would, and only then moved into place: a folder that appears is one
that validates as it is.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from roadmap.dates.workdays import get_calendar
from roadmap.drafting.draft import DocumentParts, Draft, draft_program
from roadmap.drafting.importer import (
    ImportResult,
    dump_activities,
    dump_indicators,
    import_rows,
    import_text_export,
    rows_from_table,
)
from roadmap.drafting.source_tables import (
    group_indicator_cells,
    group_roadmap_cells,
    narrative,
    split_text_export,
)
from roadmap.errors import ImportFailed, Location
from roadmap.obligations.expansion import expand_obligations
from roadmap.program.loader import load_program
from roadmap.program.model import Program
from storage.documents import read_docx, read_docx_tables, read_text_export

# The template's indicator table: a value per checkpoint, four for a two-year program.
VALUE_COLUMNS = 4
# How a time in each of Russia's zones reads: the zone's city in Russian.
ZONE_NAMES = Path(__file__).resolve().parent.parent / "roadmap" / "data" / "zones" / "russia.yaml"


def zone_name(zone: str) -> str | None:
    """The zone as a person reads it after a time («Москва»), or None for a zone not listed."""
    names = yaml.safe_load(ZONE_NAMES.read_text("utf-8")) or {}
    name = names.get(zone)
    return str(name) if name else None


@dataclass(frozen=True)
class InitReport:
    """What `roadmap init` made: the folder, the program as loaded, and what to review."""

    folder: Path
    program: Program
    obligations: int
    review: list[str]
    outcome: str = "created"  # or "same" / "updated": a second run over init's own folder


def read_document(path: Path) -> DocumentParts:
    """A program document's narrative and table rows.

    Raises:
        ImportFailed: the file cannot be read, or has no road map.
    """
    source = path.name
    if path.suffix.lower() == ".docx":
        (ind_table, map_table), story = read_docx(path)
        return DocumentParts(
            narrative=story,
            indicator_rows=rows_from_table(ind_table, kind="indicators"),
            roadmap_rows=rows_from_table(map_table, kind="roadmap"),
            source=source,
        )
    text = read_text_export(path)
    ind_cells, map_cells, _ = split_text_export(text)
    return DocumentParts(
        narrative=narrative(text),
        indicator_rows=group_indicator_cells(ind_cells, values=VALUE_COLUMNS, file=source),
        roadmap_rows=group_roadmap_cells(map_cells, file=source),
        source=source,
    )


def check_timezone(zone: str) -> None:
    """Raises ImportFailed for a zone the time-zone database does not know."""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImportFailed(f"неизвестный часовой пояс «{zone}» (пример: Europe/Samara)") from None


def init_program(
    document: Path,
    folder: Path,
    *,
    region: str,
    timezone: str,
    program_id: str | None = None,
    title: str | None = None,
) -> InitReport:
    """Make ``folder`` a complete program for ``region`` from ``document``.

    Raises:
        ImportFailed: the folder holds files init did not write or ones changed since it
            wrote them, the zone is unknown, or the document unreadable.
        ProgramErrors: rows that cannot be read, or a draft that does not validate.
    """
    kept = _own_earlier_output(folder)
    check_timezone(timezone)
    draft = draft_program(
        read_document(document),
        region=region,
        timezone=timezone,
        program_id=program_id,
        title=title,
        timezone_name=zone_name(timezone),
    )
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".init-", dir=folder.parent))
    earlier = Path(tempfile.mkdtemp(prefix=".init-earlier-", dir=folder.parent))
    try:
        program, count = _write_and_check(draft, staging)
        same = kept is not None and _files(staging) == _files(folder)
        for name in kept or ():
            shutil.copy2(folder / name, staging / name)
        if folder.exists():
            folder.rename(earlier / "folder")
        staging.rename(folder)
    finally:
        for left in (staging, earlier):
            if left.exists():
                shutil.rmtree(left)
    return InitReport(folder, program, count, draft.review, _outcome(kept, same))


# Written beside the program's files: the SHA-256 of each file as `roadmap init` wrote it, so
# that a second run over the same document may replace what the first wrote, and only that.
MANIFEST = ".roadmap-init.json"


def _files(folder: Path) -> dict[str, str]:
    """The program files ``roadmap init`` writes in ``folder``, with their SHA-256."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return {}
    return dict(json.loads(manifest.read_text("utf-8")))


def _own_earlier_output(folder: Path) -> list[str] | None:
    """None for a new or empty folder; for a folder an earlier `roadmap init` wrote and no one
    has changed since, the names of the files a person added there (kept as they are).

    Raises:
        ImportFailed: the folder holds other files, or a file init wrote has been changed.
    """
    if not folder.exists() or not any(folder.iterdir()):
        return None
    wrote = _files(folder)
    if not wrote:
        raise ImportFailed("папка не пуста: укажите новую или пустую", Location(str(folder)))
    changed = [
        name
        for name, digest in sorted(wrote.items())
        if not (folder / name).is_file() or _sha256(folder / name) != digest
    ]
    if changed:
        raise ImportFailed(
            "папка создана roadmap init, но с тех пор изменены файлы "
            + ", ".join(changed)
            + ": чтобы не потерять правки, укажите новую папку и перенесите их туда",
            Location(str(folder)),
        )
    return sorted(p.name for p in folder.iterdir() if p.name not in wrote and p.name != MANIFEST)


def _outcome(kept: list[str] | None, same: bool) -> str:
    if kept is None:
        return "created"
    return "same" if same else "updated"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_and_check(draft: Draft, where: Path) -> tuple[Program, int]:
    for name, text in draft.files.items():
        (where / name).write_text(text, encoding="utf-8")
    wrote = {name: _sha256(where / name) for name in sorted(draft.files)}
    (where / MANIFEST).write_text(json.dumps(wrote, indent=1) + "\n", encoding="utf-8")
    program = load_program(where)
    return program, len(expand_obligations(program, get_calendar(program.calendar)))


def import_tables(source: Path, base: Program) -> ImportResult:
    """The indicator and road-map tables of a program's document (a text export or a Word
    file), read against ``base``'s organisations and hand-checked fields.

    Raises:
        ProgramErrors: every row that could not be read, with its place in the document.
    """
    if source.suffix.lower() == ".docx":
        ind_table, map_table = read_docx_tables(source)
        return import_rows(
            rows_from_table(ind_table, kind="indicators"),
            rows_from_table(map_table, kind="roadmap"),
            base.organizations,
            curated=base,
            file=str(source),
        )
    return import_text_export(
        read_text_export(source), base.organizations, curated=base, file=str(source)
    )


def write_import(result: ImportResult, out: Path) -> None:
    """Write what was imported as ``activities.yaml`` and ``indicators.yaml`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "activities.yaml").write_text(dump_activities(result), encoding="utf-8")
    (out / "indicators.yaml").write_text(dump_indicators(result), encoding="utf-8")
