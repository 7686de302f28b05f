"""Typed keys: each reads back what it writes, and writes the very text stored before them."""

from __future__ import annotations

import pytest

from roadmap.obligations.keys import (
    MalformedKey,
    ObligationId,
    TargetCode,
    WaitKey,
    WaitKind,
    local_id,
    program_of,
)


@pytest.mark.parametrize(
    ("key", "text"),
    [
        (
            WaitKey.evidence("krasnoyarsk-2025-2026:2.1:2025-Q2"),
            "evidence:krasnoyarsk-2025-2026:2.1:2025-Q2",
        ),
        (WaitKey.indicator("1.1", "2025-04"), "indicator:1.1:2025-04"),
        (WaitKey.indicator("1.1", "2025-H1"), "indicator:1.1:2025-H1"),
        (WaitKey.agenda("2025-Q3"), "agenda:2025-Q3"),
    ],
)
def test_a_wait_key_writes_the_stored_text_and_reads_it_back(key: WaitKey, text: str) -> None:
    assert key.format() == str(key) == text
    assert WaitKey.parse(text) == key


def test_a_wait_keys_parts_are_named() -> None:
    key = WaitKey.parse("indicator:2.3:2025")
    assert (key.kind, key.subject, key.period) == (WaitKind.INDICATOR, "2.3", "2025")
    key = WaitKey.parse("evidence:samara-2025-2026:report:minsoc:2025-H1")
    assert key.subject == "samara-2025-2026:report:minsoc:2025-H1" and key.period is None


@pytest.mark.parametrize("text", ["", "evidence", "evidence:", "wait:1.1", "indicator:1.1"])
def test_a_malformed_wait_key_is_refused(text: str) -> None:
    with pytest.raises(MalformedKey):
        WaitKey.parse(text)


@pytest.mark.parametrize(
    ("text", "program", "owed", "period", "local"),
    [
        ("krasnoyarsk-2025-2026:6.1:2025-05", "krasnoyarsk-2025-2026", ("6.1",), "2025-05",
         "6.1:2025-05"),
        ("krasnoyarsk-2025-2026:report:minsoc:2025-H1", "krasnoyarsk-2025-2026",
         ("report", "minsoc"), "2025-H1", "report:minsoc:2025-H1"),
        ("samara-2025-2026:consolidated:2025", "samara-2025-2026", ("consolidated",), "2025",
         "consolidated:2025"),
    ],
)  # fmt: skip
def test_an_obligation_id_reads_its_program_what_is_owed_and_period(
    text: str, program: str, owed: tuple[str, ...], period: str, local: str
) -> None:
    ob = ObligationId.parse(text)
    assert (ob.program, ob.owed, ob.period, ob.local) == (program, owed, period, local)
    assert ob.format() == text and ob.activity == owed[0]
    assert program_of(text) == program and local_id(text) == local


@pytest.mark.parametrize("text", ["", "krasnoyarsk-2025-2026", "p:6.1", "p::2025-05"])
def test_a_malformed_obligation_id_is_refused(text: str) -> None:
    with pytest.raises(MalformedKey):
        ObligationId.parse(text)


def test_no_obligation_has_no_local_id() -> None:
    assert local_id(None) == "" and local_id("") == ""


@pytest.mark.parametrize(
    ("text", "activity", "index"), [("3.2#1", "3.2", 1), ("10.1#12", "10.1", 12)]
)
def test_a_target_code_names_the_activity_and_the_targets_place(
    text: str, activity: str, index: int
) -> None:
    code = TargetCode.parse(text)
    assert (code.activity, code.index) == (activity, index) and code.format() == text


@pytest.mark.parametrize("text", ["3.2", "#1", "3.2#", "3.2#x", "3.2#1#2"])
def test_a_malformed_target_code_is_refused(text: str) -> None:
    with pytest.raises(MalformedKey):
        TargetCode.parse(text)
