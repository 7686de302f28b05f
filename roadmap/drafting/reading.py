"""What a program document says, read for a new program folder (``program_draft.py``).

From the narrative, when it says so: the title (the title page's lines that name the
program, before the narrative starts; never the road map's or the table's heading), the span
(«Срок реализации Программы: январь 2025 – декабрь 2026»), the executors' deadlines («не
позднее 20 рабочего дня, следующего за отчетным полугодием, и не позднее 10 февраля по
итогам отчетного года») and the consolidated report's sender and dates (the sentence that
«формирует сводный отчёт»). From the road map: the monthly headcount monitoring and the
commission's quarterly meetings and the commission's name, when an activity holds them. None
where nothing readable
is said: the caller then takes the template's common default and marks it for review.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from roadmap.drafting.importer import ImportResult
from roadmap.drafting.org_registry import ProposedOrg, Registry, merge_key, region_genitive
from roadmap.drafting.source_tables import clean


def _flat(text: str) -> str:
    return " ".join(clean(text).split())


# Title-page lines that are not the program's title: the act that approves it, the road
# map's and the indicator table's headings.
_NOT_TITLE = (
    "утвержден",
    "приложение",
    "правительство",
    "губернатор",
    "постановление",
    "распоряжение",
    "об утверждении",
    "дорожная карта",
    "ключевые показатели",
)
# A line this long, or one that defines a short form, is the narrative: the title is over.
_TITLE_LINE = 200


def read_title(narrative: str) -> str | None:
    """The program's title from the title page: its lines from the first that names a
    program, to a blank line or the narrative's first sentence, on one line. Without a
    title page, the name the narrative defines a short form for: «Региональная программа …
    (далее – Программа)»."""
    return _title_page(narrative) or _defined_title(narrative)


# «Региональная программа … на 2025–2026 годы (далее – Программа)»: the full name before it
_DEFINED = re.compile(
    r"((?:[А-ЯЁ][\w-]*\s+){0,3}программ[аы]\b[^()]{10,400}?)\s*\(далее\s*[–—-]\s*Программа\)",
    re.IGNORECASE,
)


def _defined_title(narrative: str) -> str | None:
    m = _DEFINED.search(_flat(narrative))
    return m.group(1).strip() if m else None


def _title_page(narrative: str) -> str | None:
    title: list[str] = []
    for raw in narrative.splitlines():
        line = _flat(raw)
        low = line.lower()
        narrative_starts = len(line) > _TITLE_LINE or "(далее" in low
        if not line:
            if title:
                break
        elif narrative_starts:
            break
        elif title:
            title.append(line)
        elif "программ" in low and not low.startswith(_NOT_TITLE):
            title.append(line)
    return " ".join(title)[:400] or None


def read_span(narrative: str, title: str | None) -> tuple[int, int] | None:
    """The program's years: «Срок реализации … январь 2025 – декабрь 2026», else the title's."""
    flat = _flat(narrative)
    m = re.search(r"[Сс]рок\w* реализации[^.]{0,80}?(20\d\d)[^.]{0,40}?(20\d\d)", flat)
    if m:
        return int(m.group(1)), int(m.group(2))
    years = [int(y) for y in re.findall(r"20\d\d", title or "")]
    return (min(years), max(years)) if years else None


def _sentences(narrative: str) -> list[str]:
    return re.split(r"(?<=[.;])\s+(?=[А-ЯЁ«])", _flat(narrative))


_MONTHS = (
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
)
_MONTH = {name: i + 1 for i, name in enumerate(_MONTHS)}
_DAY_MONTH = r"(\d{1,2})\s+(" + "|".join(_MONTHS) + r")"


def _mmdd(day: str, month: str) -> str:
    return f"{_MONTH[month]:02d}-{int(day):02d}"


@dataclass
class NarrativeRules:
    """What the narrative says about reports; None where it says nothing readable."""

    half_year_working_days: int | None = None
    annual_due: str | None = None
    consolidated_owner: str | None = None  # an organisation id
    consolidated_half_year_due: str | None = None
    consolidated_annual_due: str | None = None
    # the act that approves the program, in the instrumental case («постановлением …»), and
    # the sentence on who reports what to whom, as letters cite them (``Approval``)
    approval_act: str | None = None
    reporting_clause: str | None = None


def read_reporting(narrative: str, registry: Registry, region: str) -> NarrativeRules:
    """The executors' deadlines and the consolidated report's sender and dates."""
    rules = NarrativeRules()
    for sentence in _sentences(narrative):
        low = sentence.lower()
        _read_approval(sentence, rules)
        if "исполнител" in low and "направляют" in low:
            m = re.search(r"не позднее\s+(\d{1,2})[-\s]*(?:го\s+)?рабоч\w+ дн\w+", low)
            if m and "полугоди" in low:
                rules.half_year_working_days = int(m.group(1))
            m = re.search(r"не позднее\s+" + _DAY_MONTH + r"\s+по итогам отчетного года", low)
            if m:
                rules.annual_due = _mmdd(m.group(1), m.group(2))
        if "сводн" in low and "отч" in low:
            owner = _first_org(sentence, registry, region)
            if owner and rules.consolidated_owner is None:
                rules.consolidated_owner = owner.id
            m = re.search(_DAY_MONTH + r"\s+по итогам полугодия", low)
            if m:
                rules.consolidated_half_year_due = _mmdd(m.group(1), m.group(2))
            m = re.search(_DAY_MONTH + r"\s+по итогам отчетного года", low)
            if m:
                rules.consolidated_annual_due = _mmdd(m.group(1), m.group(2))
    return rules


_APPROVED = re.compile(r"программа\s+утвержда\w*\s+(?P<act>[^.;]+)", re.IGNORECASE)


def _read_approval(sentence: str, rules: NarrativeRules) -> None:
    """«Региональная программа утверждается постановлением комиссии …» gives the act; the
    executors' sentence on what they send and by when is the reporting clause."""
    m = _APPROVED.search(sentence)
    if m and rules.approval_act is None:
        rules.approval_act = " ".join(m["act"].split())
    low = sentence.lower()
    if rules.reporting_clause is None and "исполнител" in low and "направляют" in low:
        clause = sentence.strip().rstrip(".;")
        rules.reporting_clause = clause[:1].lower() + clause[1:]


def _first_org(sentence: str, registry: Registry, region: str) -> ProposedOrg | None:
    text = merge_key(sentence, region)
    found: list[tuple[int, ProposedOrg]] = []
    for org in registry.organizations:
        if not org.executor:
            continue
        for alias in (org.name, *org.aliases):
            at = text.find(merge_key(alias, region))
            if at >= 0:
                found.append((at, org))
    return min(found, key=lambda x: x[0])[1] if found else None


# --- the instrumental case of the sender --------------------------------------------------
_INSTRUMENTAL = {
    "министерство": "министерством",
    "агентство": "агентством",
    "департамент": "департаментом",
    "комитет": "комитетом",
    "управление": "управлением",
    "комиссия": "комиссией",
    "отдел": "отделом",
    "аппарат": "аппаратом",
    "администрация": "администрацией",
    "правительство": "правительством",
}


def submitted_by(owner: ProposedOrg, region: str) -> tuple[str, bool]:
    """«министерством … области»: the sender as the report's title block says it.

    Returns the text and whether it is the owner's own name (else a form from the region).
    """
    first, _, rest = owner.name.partition(" ")
    instrumental = _INSTRUMENTAL.get(first.lower())
    if instrumental:
        return f"{instrumental} {rest}".strip(), True
    forms = region_genitive(region)
    where = forms[0] if forms else region
    return f"уполномоченным исполнительным органом {where}", False


# --- checkpoints --------------------------------------------------------------------------
def default_checkpoints(first: int, last: int) -> list[dict[str, Any]]:
    """The end of each half-year and of each year of the span: the template's four columns."""
    out: list[dict[str, Any]] = []
    for y in range(first, last + 1):
        out.append(
            {"period": f"{y}-H1", "date": dt.date(y, 6, 30), "label": f"I полугодие {y} года"}
        )
        out.append({"period": str(y), "date": dt.date(y, 12, 31), "label": f"{y} год"})
    return out


# --- recognising the monitoring and the commission ----------------------------------------
CONTROL_KINDS = frozenset({"ministry", "agency", "government_office"})


def recognise_monitoring(
    result: ImportResult, orgs: dict[str, ProposedOrg]
) -> tuple[dict[str, Any], str] | None:
    """The monthly headcount monitoring, when an activity and an indicator say so.

    The activity: «мониторинг численности детей …», monthly. The indicator: the first one
    that counts children in round-the-clock care, falling. Returns the block and the code.
    """
    activity = next(
        (
            a
            for a in result.activities
            if re.search(r"мониторинг\w*\s+численност\w+\s+дет", a["name"].lower())
            and "ежемесячн" in a["term"].lower()
        ),
        None,
    )
    indicator = next(
        (
            i
            for i in result.indicators
            if "круглосуточн" in i["name"].lower()
            and "дет" in i["name"].lower()
            and i["direction"] == "down"
        ),
        None,
    )
    if activity is None or indicator is None:
        return None
    parts = [x for x in activity["executors"] if orgs[x].kind in CONTROL_KINDS] or list(
        activity["executors"]
    )
    block = {
        "activity": activity["number"],
        "indicator": indicator["code"],
        "title": "Численность детей на круглосуточном пребывании",
        "parts": [
            {
                "org": x,
                "label": orgs[x].short_name,
                "institutions": "подведомственные организации",
            }
            for x in parts
        ],
    }
    return block, indicator["code"]


def recognise_commission(
    result: ImportResult, orgs: dict[str, ProposedOrg]
) -> dict[str, Any] | None:
    """The commission's quarterly meetings, when an activity holds them."""
    activity = next(
        (
            a
            for a in result.activities
            if re.search(r"заседани\w*\s+[^.]*комисси", a["name"].lower())
            and "квартал" in a["term"].lower()
        ),
        None,
    )
    if activity is None:
        return None
    asked = [x for x in activity["executors"] if orgs[x].kind in CONTROL_KINDS] or list(
        activity["executors"]
    )
    out: dict[str, Any] = {"activity": activity["number"], "asked": asked, "lead_days": 15}
    name = commission_name(activity["name"])
    if name:
        out["name"] = name
        if len(name) > _SHORT_COMMISSION:
            out["short_name"] = "комиссии"
    return out


# A deployment's name holds «N.N Заседание <short>» within 60 characters.
_SHORT_COMMISSION = 45


def commission_name(activity_name: str) -> str | None:
    """The commission as the activity names it, in the genitive: «… заседаний комиссии по
    делам несовершеннолетних и защите их прав при Правительстве …» → «комиссии по делам
    несовершеннолетних и защите их прав при Правительстве …». None when it names none."""
    flat = _flat(activity_name)
    m = re.search(r"(?:\w+(?:ой|ей)\s+)*комиссии\b[^.;(]*", flat, re.IGNORECASE)
    if not m:
        return None
    name = m.group(0).strip(" ,")
    return name[:1].lower() + name[1:]


def monitoring_candidate(result: ImportResult) -> str | None:
    """The activity that looks like the monthly headcount monitoring, if any (its number)."""
    for a in result.activities:
        if re.search(r"мониторинг\w*\s+численност\w+\s+дет", a["name"].lower()):
            return str(a["number"])
    return None
