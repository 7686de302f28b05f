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

The folder is written whatever can be read: a term no rule dates (or one counted from an
event) marks its activity ``due_set_by_person``, so that a person sets the date, and is
listed with its place in the document and what to write for the program to date it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from roadmap.dates.periods import parse_period
from roadmap.drafting.files import DraftedProgram, header, organizations_yaml, program_yaml
from roadmap.drafting.importer import ImportResult, dump_yaml, import_rows
from roadmap.drafting.org_registry import (
    ProposedOrg,
    Registry,
    lead_counts,
    propose_id,
    propose_registry,
    transliterate,
)
from roadmap.drafting.reading import (
    CONTROL_KINDS,
    NarrativeRules,
    default_checkpoints,
    monitoring_candidate,
    read_reporting,
    read_span,
    read_title,
    recognise_commission,
    recognise_monitoring,
    submitted_by,
)
from roadmap.drafting.source_tables import IndicatorRow, RoadmapRow
from roadmap.errors import ImportFailed, InvalidTerm, Location
from roadmap.program.dating import counts_from_event, plan_term
from roadmap.program.model import GROUP_KINDS, Conventions, Organization, OrgKind, ReportingRules
from roadmap.terms.reading import parse_term

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
    parts: DocumentParts,
    *,
    region: str,
    timezone: str,
    program_id: str | None = None,
    title: str | None = None,
    timezone_name: str | None = None,
) -> Draft:
    """The program folder's files for ``region``, read from the document's ``parts``.

    ``title`` is the program's title when the caller gives it, else the title page's;
    ``timezone_name`` is how a time in the zone reads («Москва»).

    Raises:
        ProgramErrors: rows that cannot be read (an executor, a value), each located.
        ImportFailed: no road map, or no span can be told.
    """
    title, title_line = _program_title(title, parts.narrative)
    review = [title_line]
    registry, result = _read_tables(parts, region)
    span = _program_span(parts.narrative, title, result, review)
    checkpoints = _checkpoints(span, result)
    pid = program_id or propose_program_id(region, span)
    orgs = {o.id: o for o in registry.organizations}
    rules = read_reporting(parts.narrative, registry, region)
    review.extend(mark_undated_terms(result, span, _last_report(rules, span), parts.source))
    owner_id = rules.consolidated_owner or _busiest_body(
        lead_counts(a["executors"] for a in result.activities), orgs
    )
    recipient, _ = _officials(registry, region)
    _route_lone_groups(registry, owner_id)
    sender, own_name = submitted_by(orgs[owner_id], region)
    monitoring = _monitoring(result, orgs)
    commission = recognise_commission(result, orgs)

    review.extend(
        _review_lines(result, registry, rules, owner_id, own_name, monitoring, commission)
    )
    review.extend(_timezone_review(timezone, timezone_name))
    program = DraftedProgram(
        pid=pid,
        title=title or f"Региональная программа ({region})",
        region=region,
        span=span,
        timezone=timezone,
        timezone_name=timezone_name,
        source=parts.source,
        checkpoints=checkpoints,
        rules=rules,
        owner=owner_id,
        recipient=recipient.id,
        sender=sender,
        monitoring=monitoring[0] if monitoring else None,
        commission=commission,
    )
    return Draft(program_id=pid, files=_folder_files(program, registry, result), review=review)


def _read_tables(parts: DocumentParts, region: str) -> tuple[Registry, ImportResult]:
    """The organizations proposed from the road map's executors, and the two tables read."""
    activity_rows = [r for r in parts.roadmap_rows if r.kind == "activity"]
    registry = propose_registry([r.cells[3].text for r in activity_rows], region)
    result = import_rows(
        parts.indicator_rows,
        parts.roadmap_rows,
        [_organization(o) for o in registry.organizations],
        file=parts.source,
        check_terms=False,
    )
    return registry, result


def _timezone_review(timezone: str, timezone_name: str | None) -> list[str]:
    if timezone_name is not None:
        return []
    return [
        f"как читается время пояса {timezone} не известно: укажите timezone_name в "
        "program.yaml («Москва»), иначе время подписывается английским названием пояса"
    ]


def _program_title(given: str | None, narrative: str) -> tuple[str | None, str]:
    """The program's title (the caller's, else the title page's) and the review line on it."""
    if given:
        return given, f"название программы задано при запуске: «{given}»"
    title = read_title(narrative)
    if title:
        return title, f"название программы прочитано на титульном листе документа: «{title}»"
    return None, (
        "название программы не найдено на титульном листе: укажите его в program.yaml "
        "(title) или запустите roadmap init с --title"
    )


def _program_span(
    narrative: str, title: str | None, result: ImportResult, review: list[str]
) -> tuple[int, int]:
    """The program's years: as the document states them, else those its terms name.

    Raises:
        ImportFailed: no span can be told.
    """
    span = read_span(narrative, title)
    if span is not None:
        return span
    years = [int(y) for a in result.activities for y in re.findall(r"20\d\d", a["term"])]
    if not years:
        raise ImportFailed("не удалось определить срок реализации программы")
    review.append(f"срок программы {min(years)}–{max(years)} определён по срокам мероприятий")
    return min(years), max(years)


def _checkpoints(span: tuple[int, int], result: ImportResult) -> list[dict[str, Any]]:
    """The template's checkpoints, one value column of the indicator table each.

    Raises:
        ImportFailed: the indicator table has another number of value columns.
    """
    checkpoints = default_checkpoints(*span)
    if result.indicators and any(len(i["targets"]) != len(checkpoints) for i in result.indicators):
        raise ImportFailed(
            f"в таблице показателей не {len(checkpoints)} столбцов значений: контрольные точки "
            "нужно задать вручную"
        )
    return checkpoints


def _last_report(rules: NarrativeRules, span: tuple[int, int]) -> dt.date:
    """The consolidated annual report on the span's last year, as the narrative or the
    template's default dates it."""
    annual_due = (
        rules.consolidated_annual_due
        or ReportingRules.model_fields["consolidated_annual_due"].get_default()
    )
    month, day = (int(x) for x in annual_due.split("-"))
    return dt.date(span[1] + 1, month, day)


def _route_lone_groups(registry: Registry, owner_id: str) -> None:
    """Groups with no body beside them in the road map report through the report's owner."""
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


def _monitoring(
    result: ImportResult, orgs: dict[str, ProposedOrg]
) -> tuple[dict[str, Any], str] | None:
    """The monthly monitoring block and its indicator's code, when the road map has one;
    the indicator's contributors become the monitoring's parts."""
    monitoring = recognise_monitoring(result, orgs)
    if monitoring is not None:
        block, code = monitoring
        for item in result.indicators:
            if item["code"] == code:
                _set_contributors(item, [p["org"] for p in block["parts"]])
    return monitoring


def _folder_files(
    program: DraftedProgram, registry: Registry, result: ImportResult
) -> dict[str, str]:
    """The four files of the program folder by name."""
    return {
        "program.yaml": program_yaml(program),
        "organizations.yaml": organizations_yaml(registry, program.region, program.source),
        "activities.yaml": dump_yaml(
            {"sections": result.sections, "activities": result.activities},
            header("activities", program.source),
        ),
        "indicators.yaml": dump_yaml(
            {"indicator_groups": result.indicator_groups, "indicators": result.indicators},
            header("indicators", program.source),
        ),
    }


def mark_undated_terms(
    result: ImportResult, span: tuple[int, int], reports_until: dt.date, source: str
) -> list[str]:
    """Mark ``due_set_by_person`` every activity whose term the program cannot date; the
    review lines say where each term is in the document and what to write instead.

    A term counted from an event is dated by a person by rule 8; a term no rule reads, or
    one that owes nothing within the span, is kept as written and dated so until a person
    rewrites it (``roadmap term`` shows what a rewording gives).
    """
    period = parse_period(f"{span[0]}..{span[1]}")
    out: list[str] = []
    events: list[str] = []
    for activity in result.activities:
        number = activity["number"]
        where = result.term_at.get(number) or Location(source)
        place = _place(where)
        try:
            term = parse_term(activity["term"], where)
            plan_term(term, period, Conventions(), where=where, reports_until=reports_until)
        except InvalidTerm as exc:
            _mark(activity)
            out.append(
                f"{number}: срок не датирован ({place}): {exc.message}. Мероприятие отмечено "
                "due_set_by_person: true — срок установит ответственный (roadmap due set); "
                "чтобы срок датировала программа, перепишите его, как подсказано, и снимите "
                'отметку (проверить запись: roadmap term "…")'
            )
            continue
        if counts_from_event(term):
            _mark(activity)
            events.append(f"{number} ({place})")
    if events:
        out.append(
            "сроки, отсчитываемые от события, отмечены due_set_by_person: true — дату "
            "установит ответственный (roadmap due set): " + ", ".join(events)
        )
    return out


def _place(where: Location) -> str:
    if where.line is None:
        return f"документ {where.file}"
    return f"документ {where.file}, строка {where.line}"


def _mark(activity: dict[str, Any]) -> None:
    """``due_set_by_person: true`` after the activity's term, as a person would write it."""
    items = list(activity.items())
    activity.clear()
    for key, value in items:
        activity[key] = value
        if key == "term":
            activity["due_set_by_person"] = True


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
    out.extend(_reporting_review(rules, owner, own_name))
    out.append(_monitoring_review(result, monitoring))
    out.append(_commission_review(commission))
    out.append(
        "акт об утверждении программы прочитан в тексте (program.yaml, approval): письма "
        "ссылаются на него, впишите его дату и номер"
        if rules.approval_act
        else "акт об утверждении программы в тексте не найден: письма не смогут сослаться "
        "на него, впишите блок approval в program.yaml"
    )
    out.append("файл контактов: укажите contacts_file в program.yaml (хранится вне репозитория)")
    return out


def _reporting_review(rules: NarrativeRules, owner: str, own_name: bool) -> list[str]:
    """Where each reporting date, the report's sender and the conventions come from."""
    out = []
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
    return out


def _monitoring_review(result: ImportResult, monitoring: tuple[dict[str, Any], str] | None) -> str:
    if monitoring:
        return (
            f"ежемесячный мониторинг распознан: мероприятие {monitoring[0]['activity']}, "
            f"показатель {monitoring[1]}; проверьте части и подписи (program.yaml, monitoring)"
        )
    if (candidate := monitoring_candidate(result)) is not None:
        return (
            f"ежемесячный мониторинг: мероприятие {candidate} похоже на мониторинг численности "
            "детей, но в таблице показателей нет показателя численности детей на "
            "круглосуточном пребывании (снижающегося): добавьте его в indicators.yaml и "
            "раскомментируйте блок monitoring в program.yaml"
        )
    return "ежемесячный мониторинг не распознан: блок monitoring закомментирован"


def _commission_review(commission: dict[str, Any] | None) -> str:
    if not commission:
        return "заседания комиссии не распознаны: блок commission закомментирован"
    named = (
        f"«{commission['name']}» — название прочитано в мероприятии"
        if "name" in commission
        else "название в мероприятии не найдено: укажите commission.name (в родительном падеже)"
    )
    return (
        f"заседания комиссии распознаны: мероприятие {commission['activity']}, {named} "
        "(program.yaml, commission)"
    )
