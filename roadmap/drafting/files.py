"""The text of a drafted program folder's files, with every proposal marked for review.

``program.yaml`` is written by hand rather than dumped, so that each block carries the
comment saying where its values come from (the document, or the template's common
default) and, for what could not be recognised, the block commented out to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from roadmap.drafting.importer import dump_yaml
from roadmap.drafting.org_registry import Registry
from roadmap.drafting.reading import NarrativeRules
from roadmap.program.model import DEFAULT_LADDER, Conventions, ReportingRules

REVIEW = "REVIEW"


def header(kind: str, source: str) -> str:
    what = {
        "activities": "Road map («Дорожная карта мероприятий»)",
        "indicators": "Key indicators («Ключевые показатели реализации»)",
    }[kind]
    return (
        f"# {what}, imported by `roadmap init` from {source}.\n"
        "# Texts are as written, with the table's line wraps joined. "
        + (
            "`short_name` is proposed from the\n# activity's own wording: "
            f"{REVIEW} each against the document.\n"
            if kind == "activities"
            else "`direction` is proposed from\n# the planned values (down: fewer is better): "
            f"{REVIEW} each.\n"
        )
    )


def organizations_yaml(registry: Registry, region: str, source: str) -> str:
    header = (
        f"# Organizations of the {region} program, proposed by `roadmap init` from the\n"
        f"# executors named in {source}: one per executor, every spelling kept as an alias.\n"
        f"# {REVIEW}: the ids (transliterated from the names; change them before the first\n"
        "# sync), the kinds, who reports for whom (`reports_via`), and any two entries that\n"
        "# are one body (then move the aliases into one entry and its id into the activities).\n"
    )
    return dump_yaml({"organizations": [o.as_dict() for o in registry.organizations]}, header)


def _yaml_block(data: dict[str, Any], indent: str = "") -> str:
    text = dump_yaml(data)
    return "".join(indent + line + "\n" for line in text.splitlines())


def _commented(data: dict[str, Any]) -> str:
    return "".join("# " + line + "\n" for line in dump_yaml(data).splitlines())


@dataclass(frozen=True)
class DraftedProgram:
    """What a drafted ``program.yaml`` holds: each value read from the document or proposed.

    ``owner`` sends the consolidated report to ``recipient``; ``sender`` names the owner as
    the report's title block does. ``monitoring`` and ``commission`` are None when the road
    map shows none (their blocks are then written commented out, to fill in).
    """

    pid: str
    title: str
    region: str
    span: tuple[int, int]
    timezone: str
    source: str
    timezone_name: str | None
    checkpoints: list[dict[str, Any]]
    rules: NarrativeRules
    owner: str
    recipient: str
    sender: str
    monitoring: dict[str, Any] | None
    commission: dict[str, Any] | None


def program_yaml(program: DraftedProgram) -> str:
    """The text of ``program.yaml``, each block with the comment saying where it comes from."""
    return "".join(
        [
            *_identity_lines(program),
            *_rules_lines(program),
            *_monitoring_lines(program.monitoring),
            *_commission_lines(program.commission),
            "\n# The reminder and escalation ladder, in working days relative to the due date.\n",
            _yaml_block(
                {
                    "ladder": [
                        s.model_dump(mode="json", exclude_defaults=True) for s in DEFAULT_LADDER
                    ]
                }
            ),
        ]
    )


def _identity_lines(p: DraftedProgram) -> list[str]:
    """The file's head: what the program is, where and when, and its checkpoints."""
    return [
        f"# {p.title}\n",
        f"# Made by `roadmap init` from {p.source}. Every value below is read from the document\n",
        "# or is the template's common default; the lines marked REVIEW are proposals a person\n",
        "# confirms against the document (`roadmap init` printed the same list).\n\n",
        _yaml_block({"id": p.pid, "title": p.title, "region": p.region}),
        _yaml_block({"span": f"{p.span[0]}..{p.span[1]}", "timezone": p.timezone}),
        _yaml_block({"timezone_name": p.timezone_name})
        if p.timezone_name
        else "# REVIEW: how a time in this zone reads («09:00 (Москва)»):\n# timezone_name: …\n",
        _yaml_block({"calendar": "RU"}),
        _yaml_block({"source": p.source}),
        "\n# REVIEW: the indicator table's value columns read as these checkpoints, in order\n",
        "# (the end of each half-year and of each year; the first doubles as the baseline).\n",
        _yaml_block({"checkpoints": p.checkpoints}),
    ]


def _reporting(p: DraftedProgram) -> dict[str, Any]:
    """The reporting rules: what the narrative states, else the template's defaults."""
    rules = p.rules
    defaults = ReportingRules(consolidated_owner=p.owner, consolidated_recipient=p.recipient)
    return {
        "executor_half_year_working_days": rules.half_year_working_days
        or defaults.executor_half_year_working_days,
        "executor_annual_due": rules.annual_due or defaults.executor_annual_due,
        "consolidated_owner": p.owner,
        "consolidated_recipient": p.recipient,
        "consolidated_half_year_due": rules.consolidated_half_year_due
        or defaults.consolidated_half_year_due,
        "consolidated_annual_due": rules.consolidated_annual_due
        or defaults.consolidated_annual_due,
        "consolidated_half_years": list(defaults.consolidated_half_years),
    }


def _rules_lines(p: DraftedProgram) -> list[str]:
    """Reporting rules, term conventions, the consolidated report's sender, the contacts."""
    return [
        "\n# REVIEW: reporting rules. Values the narrative states were read from it; the others\n",
        "# are the template's common defaults (executors report by the 20th working day after\n",
        "# the half-year and by 10 February; the consolidated report is due 1 August and\n",
        "# 1 March). `consolidated_owner` sends the consolidated report.\n",
        _yaml_block({"reporting": _reporting(p)}),
        "\n# REVIEW: how the program reads what its words leave open: the common defaults\n",
        "# (the README lists each convention and what else it may be).\n",
        _yaml_block({"conventions": Conventions().model_dump(mode="json")}),
        "\n# REVIEW: the consolidated report's title block names its sender in the instrumental\n",
        "# case («Представляется министерством …»).\n",
        _yaml_block({"consolidated": {"submitted_by": p.sender}}),
        *_approval_lines(p.rules),
        "\n# The contacts file (outside the repository; relative to this folder or absolute).\n",
        "# contacts_file: ../contacts/" + p.pid + ".yaml\n",
    ]


def _approval_lines(rules: NarrativeRules) -> list[str]:
    """The act letters cite: as the narrative names it, its date and number to fill in."""
    head = [
        "\n# REVIEW: the act that approves the program and the reporting clause, which every\n",
        "# reminder and request cites («Основание: …»); add the act's `date` and `number`.\n",
    ]
    if rules.approval_act is None:
        example = {"approval": {"act": "постановлением …", "reporting_clause": "…"}}
        return [*head, "# The document does not say it; fill in:\n", _commented(example)]
    approval = {"act": rules.approval_act}
    if rules.reporting_clause:
        approval["reporting_clause"] = rules.reporting_clause
    return [*head, _yaml_block({"approval": approval})]


def _monitoring_lines(monitoring: dict[str, Any] | None) -> list[str]:
    if monitoring:
        return [
            "\n# REVIEW: the monthly headcount monitoring, recognised from the road map: each\n",
            "# part is an organisation's share of the indicator, as its forms label it.\n",
            _yaml_block({"monitoring": monitoring}),
        ]
    return [
        "\n# REVIEW: no monthly headcount monitoring was recognised. If the road map has\n",
        "# one, uncomment and fill in (the indicator's `contributors` list the same orgs):\n",
        _commented(
            {
                "monitoring": {
                    "activity": "N.N",
                    "indicator": "N.N",
                    "title": "Численность детей на круглосуточном пребывании",
                    "parts": [{"org": "ORG-ID", "label": "…", "institutions": "…"}],
                }
            }
        ),
    ]


def _commission_lines(commission: dict[str, Any] | None) -> list[str]:
    if commission:
        return [
            "\n# REVIEW: the commission's quarterly meetings, recognised from the road map; the\n",
            "# organisations asked for agenda items.\n",
            _yaml_block({"commission": commission}),
        ]
    return [
        "\n# REVIEW: no quarterly commission meeting was recognised. If the road map has\n",
        "# one, uncomment and fill in:\n",
        _commented({"commission": {"activity": "N.N", "asked": ["ORG-ID"], "lead_days": 15}}),
    ]
