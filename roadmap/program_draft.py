"""A new region's program folder, drafted from its road-map document alone.

``roadmap init`` turns a program document in the «Вызов» template into the four files of a
program folder that loads as it is: ``program.yaml`` (the reporting rules, the term
conventions, the consolidated report's sender and, when they can be recognised, the monthly
monitoring and the commission), ``organizations.yaml`` (``org_registry.py`` proposes it from
the executors named), ``activities.yaml`` and ``indicators.yaml`` (``importer.py``). Nothing
comes from another program: every value is read from the document, or is the template's
common default, and each proposal is listed for a person to review, in the files' comments
and in ``Draft.review``. ``program_reading.py`` reads the document, ``program_files.py``
writes the files.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from roadmap.errors import ImportFailed
from roadmap.importer import ImportResult, dump_yaml, import_rows
from roadmap.org_registry import (
    ProposedOrg,
    Registry,
    lead_counts,
    propose_id,
    propose_registry,
    transliterate,
)
from roadmap.program import GROUP_KINDS, Organization, OrgKind
from roadmap.program_files import header, organizations_yaml, program_yaml
from roadmap.program_reading import (
    CONTROL_KINDS,
    NarrativeRules,
    default_checkpoints,
    read_reporting,
    read_span,
    read_title,
    recognise_commission,
    recognise_monitoring,
    submitted_by,
)
from roadmap.source_tables import IndicatorRow, RoadmapRow

# The consolidated report goes to the Commissioner's Office in every region of the project.
RECIPIENT = "Аппарат Уполномоченного при Президенте Российской Федерации по правам ребенка"
CURATOR = "региональный куратор"


@dataclass
class DocumentParts:
    """A program document read into its parts (``storage.documents`` reads the files)."""

    narrative: str
    indicator_rows: list[IndicatorRow]
    roadmap_rows: list[RoadmapRow]
    source: str


@dataclass
class Draft:
    """The folder's files by name, the program's id, and what a person must review."""

    program_id: str
    files: dict[str, str]
    review: list[str] = field(default_factory=list)


# --- the draft ----------------------------------------------------------------------------
def propose_program_id(region: str, span: tuple[int, int]) -> str:
    return f"{transliterate(region)}-{span[0]}-{span[1]}"


def draft_program(
    parts: DocumentParts, *, region: str, timezone: str, program_id: str | None = None
) -> Draft:
    """The program folder's files for ``region``, read from the document's ``parts``.

    Raises:
        ProgramErrors: rows that cannot be read (a term no rule reads, …), each located.
        ImportFailed: no road map, or no span can be told.
    """
    title = read_title(parts.narrative)
    activity_rows = [r for r in parts.roadmap_rows if r.kind == "activity"]
    registry = propose_registry([r.cells[3].text for r in activity_rows], region)
    review: list[str] = []
    result = import_rows(
        parts.indicator_rows,
        parts.roadmap_rows,
        [_organization(o) for o in registry.organizations],
        file=parts.source,
    )
    span = read_span(parts.narrative, title)
    if span is None:
        years = [int(y) for a in result.activities for y in re.findall(r"20\d\d", a["term"])]
        if not years:
            raise ImportFailed("не удалось определить срок реализации программы")
        span = (min(years), max(years))
        review.append(f"срок программы {span[0]}–{span[1]} определён по срокам мероприятий")
    checkpoints = default_checkpoints(*span)
    if result.indicators and any(len(i["targets"]) != len(checkpoints) for i in result.indicators):
        raise ImportFailed(
            f"в таблице показателей не {len(checkpoints)} столбцов значений: контрольные точки "
            "нужно задать вручную"
        )
    pid = program_id or propose_program_id(region, span)
    orgs = {o.id: o for o in registry.organizations}
    rules = read_reporting(parts.narrative, registry, region)
    leads = lead_counts(a["executors"] for a in result.activities)
    owner_id = rules.consolidated_owner or _busiest_body(leads, orgs)
    recipient, _ = _officials(registry, region)
    alone = [
        o
        for o in registry.organizations
        if o.kind in GROUP_KINDS and o.reports_via is None and o.id != owner_id
    ]
    for org in alone:
        org.reports_via = owner_id
    if alone:
        registry.review.append(
            f"группы, рядом с которыми в дорожной карте нет органа, отчитываются через "
            f"«{owner_id}», направляющего сводный отчёт (reports_via, предложено): "
            + ", ".join(o.id for o in alone)
        )
    sender, own_name = submitted_by(orgs[owner_id], region)
    monitoring = recognise_monitoring(result, orgs)
    if monitoring is not None:
        block, code = monitoring
        for item in result.indicators:
            if item["code"] == code:
                _set_contributors(item, [p["org"] for p in block["parts"]])
    commission = recognise_commission(result, orgs)

    review.extend(
        _review_lines(result, registry, rules, owner_id, own_name, monitoring, commission)
    )
    program_text = program_yaml(
        pid=pid,
        title=title or f"Региональная программа ({region})",
        region=region,
        span=span,
        timezone=timezone,
        source=parts.source,
        checkpoints=checkpoints,
        rules=rules,
        owner=owner_id,
        recipient=recipient.id,
        sender=sender,
        monitoring=monitoring[0] if monitoring else None,
        commission=commission,
    )
    return Draft(
        program_id=pid,
        files={
            "program.yaml": program_text,
            "organizations.yaml": organizations_yaml(registry, region, parts.source),
            "activities.yaml": dump_yaml(
                {"sections": result.sections, "activities": result.activities},
                header("activities", parts.source),
            ),
            "indicators.yaml": dump_yaml(
                {"indicator_groups": result.indicator_groups, "indicators": result.indicators},
                header("indicators", parts.source),
            ),
        },
        review=review,
    )


def _set_contributors(item: dict[str, Any], contributors: list[str]) -> None:
    targets = item.pop("targets")
    item["contributors"] = contributors
    item["targets"] = targets


def _organization(o: ProposedOrg) -> Organization:
    return Organization(
        id=o.id, name=o.name, short_name=o.short_name, kind=o.kind, aliases=tuple(o.aliases)
    )


def _busiest_body(leads: Counter[str], orgs: dict[str, ProposedOrg]) -> str:
    bodies = [(n, x) for x, n in leads.most_common() if orgs[x].kind in CONTROL_KINDS]
    return bodies[0][1] if bodies else leads.most_common(1)[0][0]


def _officials(registry: Registry, region: str) -> tuple[ProposedOrg, ProposedOrg]:
    """The consolidated report's recipient and the regional curator: not executors."""
    taken = {o.id for o in registry.organizations}
    made = []
    officials: tuple[tuple[str, str, OrgKind], ...] = (
        (RECIPIENT, "Аппарат Уполномоченного по правам ребёнка", "federal_body"),
        (CURATOR, "Региональный куратор", "official"),
    )
    for name, short, kind in officials:
        known = registry.find(name)
        if known is not None:  # an executor already: it stays one
            made.append(known)
            continue
        org = ProposedOrg(
            id=propose_id(name, region, taken),
            name=name,
            short_name=short,
            kind=kind,
            executor=False,
        )
        taken.add(org.id)
        registry.organizations.append(org)
        made.append(org)
    return made[0], made[1]


def _review_lines(
    result: ImportResult,
    registry: Registry,
    rules: NarrativeRules,
    owner: str,
    own_name: bool,
    monitoring: tuple[dict[str, Any], str] | None,
    commission: dict[str, Any] | None,
) -> list[str]:
    out = [r for r in result.review if "краткое название" not in r]
    short = sum(1 for r in result.review if "краткое название" in r)
    if short:
        out.append(
            f"краткие названия мероприятий ({short}) предложены по их формулировкам "
            "(activities.yaml, short_name): не длиннее 60 знаков, без «/»"
        )
    out.append(
        f"организации ({len(registry.organizations)}): id, краткие названия и виды предложены "
        "по названиям в документе (organizations.yaml)"
    )
    out.extend(registry.review)
    for name, value in (
        ("срок отчёта исполнителей за полугодие", rules.half_year_working_days),
        ("срок годового отчёта исполнителей", rules.annual_due),
        ("срок сводного отчёта за полугодие", rules.consolidated_half_year_due),
        ("срок годового сводного отчёта", rules.consolidated_annual_due),
    ):
        how = "прочитан в тексте программы" if value is not None else "общий по умолчанию"
        out.append(f"{name}: {how} (program.yaml, reporting)")
    out.append(
        f"сводный отчёт направляет «{owner}» "
        + (
            "(прочитано в тексте программы)"
            if rules.consolidated_owner
            else "(предложено: ведёт больше всего мероприятий)"
        )
        + "; consolidated.submitted_by "
        + ("образовано из его названия" if own_name else "составлено по названию региона")
    )
    out.append(
        "соглашения о сроках (conventions) — общие по умолчанию: проверьте «ежемесячно», "
        "перенос с выходных, «до <даты>» и отчёт за II полугодие"
    )
    out.append(
        "контрольные точки показателей: столбцы значений прочитаны как I полугодие и год "
        "каждого года программы (program.yaml, checkpoints)"
    )
    if monitoring:
        out.append(
            f"ежемесячный мониторинг распознан: мероприятие {monitoring[0]['activity']}, "
            f"показатель {monitoring[1]}; проверьте части и подписи (program.yaml, monitoring)"
        )
    else:
        out.append("ежемесячный мониторинг не распознан: блок monitoring закомментирован")
    if commission:
        out.append(
            f"заседания комиссии распознаны: мероприятие {commission['activity']} "
            "(program.yaml, commission)"
        )
    else:
        out.append("заседания комиссии не распознаны: блок commission закомментирован")
    out.append("файл контактов: укажите contacts_file в program.yaml (хранится вне репозитория)")
    return out
