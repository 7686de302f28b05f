"""Who receives a step: owners' contacts, through the body that reports for a group."""

from __future__ import annotations

from roadmap.obligations.recipients import Contact, resolve_recipients
from roadmap.program.model import Program

CONTACTS = [
    Contact(
        1,
        "minsoc",
        "executor",
        "Исполнитель Минсоц",
        email="a@minsoc.example.org",
        telegram_chat_id="1",
    ),
    Contact(2, "minsoc", "head", "Руководитель Минсоц", email="h@minsoc.example.org"),
    Contact(3, "minsoc", "coordinator", "Координатор", email="c@minsoc.example.org"),
    Contact(4, "curator", "curator", "Куратор", telegram_chat_id="4"),
    Contact(5, "kdn", "commission", "Секретарь", email="s@kdn.example.org"),
    Contact(6, "rmc", "executor", "Исполнитель РМЦ", email="r@rmc.example.org"),
    Contact(7, "minobr", "executor", "Исполнитель Минобр", max_id="user:300011"),
]


def names(rs) -> list[tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    return [(r.contact.name, r.channel, r.copy) for r in rs]


def test_group_owner_is_reached_through_its_reporting_body(program: Program) -> None:
    # 5.6: RMC (own contact) and the social-service institutions (through minsoc)
    rs = resolve_recipients(program, ("rmc", "social-institutions"), ("executor",), CONTACTS)
    assert names(rs) == [("Исполнитель РМЦ", "email", False), ("Исполнитель Минсоц", "email", False),
                         ("Исполнитель Минсоц", "telegram", False)]  # fmt: skip


def test_escalation_1_goes_to_the_head_with_a_copy_to_the_coordinator(program: Program) -> None:
    rs = resolve_recipients(program, ("minsoc",), ("head",), CONTACTS, cc=("coordinator",))
    assert names(rs) == [("Руководитель Минсоц", "email", False), ("Координатор", "email", True)]


def test_program_wide_roles(program: Program) -> None:
    assert names(resolve_recipients(program, ("minobr",), ("curator",), CONTACTS)) == [
        ("Куратор", "telegram", False)
    ]
    assert names(resolve_recipients(program, ("minobr",), ("commission",), CONTACTS)) == [
        ("Секретарь", "email", False)
    ]


def test_owner_without_any_contact_gets_nobody(program: Program) -> None:
    assert resolve_recipients(program, ("minzdrav",), ("executor",), CONTACTS) == []


def test_max_is_a_channel_with_its_own_address(program: Program) -> None:
    (r,) = resolve_recipients(program, ("minobr",), ("executor",), CONTACTS)
    assert (r.channel, r.address) == ("max", "user:300011")


def test_contacts_reached_for_the_first_owner_are_the_lead(program: Program) -> None:
    # 1.1: minsoc leads; minobr is a co-executor; the heads follow the same split
    rs = resolve_recipients(program, ("minsoc", "minobr"), ("executor",), CONTACTS)
    assert [(r.contact.name, r.channel, r.lead) for r in rs] == [
        ("Исполнитель Минсоц", "email", True),
        ("Исполнитель Минсоц", "telegram", True),
        ("Исполнитель Минобр", "max", False),
    ]
    rs = resolve_recipients(program, ("minobr", "minsoc"), ("head",), CONTACTS, cc=("coordinator",))
    assert [(r.contact.name, r.lead, r.copy) for r in rs] == [
        ("Руководитель Минсоц", False, False),
        ("Координатор", False, True),
    ]
