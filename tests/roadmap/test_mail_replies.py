"""Reply tags and what a reply's own words say: tables of literal cases."""

from __future__ import annotations

import datetime as dt

import pytest

from roadmap.reports.replies import (
    ReplyTag,
    details_from_text,
    own_text,
    read_reply_tag,
    reply_address,
)

BOX = "roadmap@minsoc.example.org"


def test_a_tag_formats_and_reads_back_through_the_reply_address_in_any_case() -> None:
    tag = ReplyTag(12345, "abcdefghijklmnop")
    address = reply_address(BOX, tag.format())
    assert address == "roadmap+9ix-abcdefghijklmnop@minsoc.example.org"
    assert read_reply_tag(address, BOX) == read_reply_tag(address.upper(), BOX) == tag


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("roadmap@minsoc.example.org", None),  # the mailbox without a tag
        ("coordinator@minsoc.example.org", None),  # another address of the same domain
        ("roadmap+abc-aaaaaaaaaaaaaaaa@other.example.org", None),  # another domain
        ("roadmap+not a tag@minsoc.example.org", False),  # the mailbox with a malformed tag
        ("roadmap+9ix-AAAA@minsoc.example.org", False),
    ],
)
def test_addresses_that_carry_no_tag_of_ours(address: str, expected: object) -> None:
    assert read_reply_tag(address, BOX) == expected


@pytest.mark.parametrize(
    "quote",
    [
        "> Уважаемая Анна Петровна!",
        "-----Original Message-----",
        "-------- Исходное сообщение --------",
        '20.03.2025, 10:00, "Программа" <roadmap@minsoc.example.org> пишет:',
        "On Thu, 20 Mar 2025 at 10:00, Roadmap <roadmap@minsoc.example.org> wrote:",
        "От: Программа <roadmap@minsoc.example.org>",
    ],
)
def test_own_text_ends_where_the_quote_begins(quote: str) -> None:
    body = (
        f"Направляем приказ.\nС уважением, А.П. Иванова\n\n{quote}\nпостановление от 01.01.2025 № 1"
    )
    assert own_text(body) == "Направляем приказ.\nС уважением, А.П. Иванова"


@pytest.mark.parametrize(
    ("text", "kind", "number", "date", "title"),
    [
        ("Направляем приказ от 12.03.2025 № 17-п.", "приказ", "17-п", "2025-03-12", None),
        (
            "постановление КДНиЗП от 5.4.2025 г. № 17-кдн «Об утверждении плана»",
            "постановление",
            "17-кдн",
            "2025-04-05",
            "Об утверждении плана",
        ),  # fmt: skip
        ("Распоряжение № 45-р от 01.02.2025", "распоряжение", "45-р", "2025-02-01", None),
        ("Протокол заседания от 30.06.2025", "протокол", None, "2025-06-30", None),
    ],
)
def test_details_are_read_from_the_words_that_name_the_document(
    text: str, kind: str, number: str | None, date: str, title: str | None
) -> None:
    d = details_from_text(text)
    assert (d.doc_type, d.number, d.date, d.title) == (
        kind, number, dt.date.fromisoformat(date), title,
    )  # fmt: skip


def test_nothing_is_guessed_when_the_words_name_no_document() -> None:
    assert not details_from_text("Направляем документ, см. вложение.").given
    assert details_from_text("приказ от 31.02.2025 № 1").date is None  # no such day
