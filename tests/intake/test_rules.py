"""The intake page's rules, through FastAPI's test client."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import func, select

from intake.app import Intake
from roadmap.obligations.states import State
from storage.db import session_scope
from storage.evidence import list_evidence
from storage.obligations import resolve_obligation
from storage.outbox import outbox_items
from storage.tables import (
    EvidenceRecord,
    IndicatorValueRecord,
    ShortfallReasonRecord,
    TargetValueRecord,
)
from tests.storage.files import ELF, PDF, docx_bytes

OB = "krasnoyarsk-2025-2026:6.1:2025-06"  # minsoc, minobr, minzdrav; due 2025-07-07


def pdf(name: str = "отчёт.pdf", data: bytes = PDF) -> tuple[str, tuple[str, bytes, str]]:
    return ("files", (name, data, "application/pdf"))


def evidence_count(intake: Intake) -> int:
    with session_scope(intake.rt.engine) as s:
        return s.exec(select(func.count()).select_from(EvidenceRecord)).one()


def test_page_shows_what_is_owed_with_security_headers(
    client: TestClient, link: Callable[..., str]
) -> None:
    r = client.get(link())
    assert r.status_code == 200
    html = r.text
    for text in ("Мониторинг численности детей в учреждениях", "июнь 2025", "7 июля 2025",
                 "статистический отчет", "министерство здравоохранения Красноярского края",
                 "Ожидаемый результат"):  # fmt: skip
        assert text in html
    assert "просрочено" in html  # as of 10 July
    assert 'name="indicator-1_1"' in html  # minzdrav gives its part of 1.1
    for field in ("doc_type", "doc_number", "doc_date", "doc_title"):  # the document's details
        assert f'name="{field}"' in html
    assert r.headers["content-security-policy"].startswith("default-src 'none'")
    assert r.headers["x-frame-options"] == "DENY" and r.headers["cache-control"] == "no-store"
    assert "<script" not in html and "https://" not in html and "http://" not in html


def test_submission_is_stored_confirmed_and_the_link_used_up(
    client: TestClient, intake: Intake, link: Callable[..., str], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    url = link()
    r = client.post(url, data={"action": "submit", "name": "Козлова Т. Ю.", "effective": "2025-07-08",
                               "comment": "за июнь", "indicator-1_1": "118"},
                    files=[pdf("численность июнь.pdf"), pdf("приложение.docx", docx_bytes())])  # fmt: skip
    assert r.status_code == 200, r.text
    assert "Спасибо" in r.text and "реквизиты не указаны" in r.text and "редакция 2" in r.text
    for technical in ("численность июнь.pdf", "application/pdf", "Контрольная сумма"):
        assert technical not in r.text
    with session_scope(intake.rt.engine) as s:
        versions = list_evidence(session=s, obligation_id=OB)
        assert [(v.version, v.channel, v.submitted_org) for v in versions] == [
            (1, "intake", "minzdrav"),
            (2, "intake", "minzdrav"),
        ]
        assert versions[0].submitted_by == "Козлова Т. Ю. (minzdrav)"
        assert str(versions[0].effective_date) == "2025-07-08"
        assert resolve_obligation(session=s, obligation_id=OB).state == State.SUBMITTED
        value = s.exec(select(IndicatorValueRecord)).one()
        assert (value.indicator, value.period, value.org_id, value.value) == (
            "1.1",
            "2025-06",
            "minzdrav",
            118,
        )
        confirmations = [i for i in outbox_items(session=s) if i.step == "alert"]
    assert {(i.recipient_org, i.recipient_role) for i in confirmations} == {
        ("minzdrav", "executor"),
        ("minsoc", "coordinator"),
    }
    assert all(i.state == "sent" for i in confirmations)  # sent right after the answer
    # in the program's words: the activity and the period, the documents by their details
    letter = confirmations[0]
    assert letter.subject == (
        "Получены документы: 6.1 «Мониторинг численности детей в учреждениях», июнь 2025\u00a0г."
    )
    assert "2. документ (реквизиты не указаны), редакция 2" in letter.body_text
    assert "Представил(а): Козлова Т. Ю.\n" in letter.body_text
    for technical in ("sha256", ".pdf", ".docx", "версия", "6.1:2025-06"):
        assert technical not in letter.body_text, technical
    again = client.get(url)
    assert again.status_code == 410 and "Ссылка уже использована" in again.text
    assert client.post(url, data={"name": "x"}, files=[pdf()]).status_code == 410
    assert evidence_count(intake) == 2


def test_bad_files_are_refused_and_nothing_is_stored(
    client: TestClient, intake: Intake, link: Callable[..., str]
) -> None:
    url = link()
    for files, message in (
        ([pdf("отчёт.pdf", ELF)], "тип файла"),
        ([pdf("отчёт.pdf", b"")], "пустой"),
        ([pdf("../../etc/passwd.pdf")], "путь"),
        ([pdf(), pdf("хороший.pdf", ELF)], "тип файла"),  # one bad file: nothing of the submission
    ):
        r = client.post(url, data={"action": "submit", "name": "Козлова"}, files=files)
        assert r.status_code == 400 and "Не сохранено ничего" in r.text and message in r.text, (
            r.text[:300]
        )
    # a raw control character in the filename (httpx would percent-encode it): built by hand
    body = (b"--B\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nKozlova\r\n"
            b"--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a\x01b.pdf\"\r\n"
            b"Content-Type: application/pdf\r\n\r\n" + PDF + b"\r\n--B--\r\n")  # fmt: skip
    r = client.post(url, content=body, headers={"Content-Type": "multipart/form-data; boundary=B"})
    assert r.status_code == 400 and "управляющие" in r.text
    assert evidence_count(intake) == 0
    assert client.get(url).status_code == 200  # the link is not used up by a refusal


def test_limits_on_files_body_and_rate(
    client: TestClient, intake: Intake, link: Callable[..., str]
) -> None:
    url = link()
    # one file over the limit: the form says so and keeps what was typed
    r = client.post(url, data={"name": "x"}, files=[pdf(f"{i}.pdf") for i in range(4)])
    assert r.status_code == 400 and "не больше 3 файлов" in r.text
    # more still: the body is not read on, and the page names the reason
    r = client.post(url, data={"name": "x"}, files=[pdf(f"{i}.pdf") for i in range(5)])
    assert r.status_code == 413 and "Слишком много файлов" in r.text
    # a body that is no form is not mistaken for too many files
    r = client.post(url, content=b"--B\r\nbroken", headers={"Content-Type": "multipart/form-data"})
    assert r.status_code == 400 and "Слишком много файлов" not in r.text
    big = client.post(
        url, data={"name": "x"}, files=[pdf("big.pdf", PDF + b"0" * (3 * 1024 * 1024))]
    )
    assert big.status_code == 413 and "Слишком большой запрос" in big.text
    over = client.post(
        url, data={"name": "x"}, files=[pdf("big.pdf", PDF + b"0" * (1024 * 1024 + 10))]
    )
    assert over.status_code == 400 and "больше допустимого размера" in over.text
    assert evidence_count(intake) == 0
    statuses = [client.get(url).status_code for _ in range(20)]
    assert statuses[-1] == 429 and "Слишком много запросов" in client.get(url).text


def test_refused_links(client: TestClient, intake: Intake, link: Callable[..., str]) -> None:
    good = link()
    payload, signature = good[3:].split(".")
    cases = {
        "forged": link(key=b"other-key"),
        "tampered": "/i/"
        + payload[:-2]
        + ("A" if payload[-2] != "A" else "B")
        + payload[-1]
        + "."
        + signature,
        "truncated": good[:-10],
        "garbage": "/i/not-a-token",
        "expired": link(days=-1),
        "other org": link(org="minkult"),
        "unknown obligation": link(obligation="krasnoyarsk-2025-2026:9.9:2025"),
    }
    for name, url in cases.items():
        r = client.get(url)
        assert r.status_code in (403, 410), name
        assert "Ничего не сохранено" in r.text, name
        assert client.post(url, data={"name": "x"}, files=[pdf()]).status_code in (403, 410), name
    assert "истёк" in client.get(cases["expired"]).text
    assert evidence_count(intake) == 0


def test_closed_obligation_refuses_its_links(
    client: TestClient, intake: Intake, link: Callable[..., str]
) -> None:
    client.post(link(), data={"action": "submit", "name": "Козлова"}, files=[pdf()])
    from storage.evidence import review_evidence
    from tests.db import at

    with session_scope(intake.rt.engine) as s:
        review_evidence(session=s, obligation_id=OB, accept=True, comment=None, reviewer="К",
                        channel="cli", at=at("2025-07-11"))  # fmt: skip
    r = client.get(link())  # a fresh link, but the obligation is closed
    assert r.status_code == 410 and "Обязательство закрыто" in r.text


def test_not_applicable_with_a_reason(
    client: TestClient, intake: Intake, link: Callable[..., str]
) -> None:
    url = link(obligation="krasnoyarsk-2025-2026:5.20:2025-12", org="minobr")
    assert client.post(url, data={"action": "na", "name": "Соколова"}).status_code == 400
    r = client.post(
        url, data={"action": "na", "name": "Соколова", "reason": "алгоритм утверждён ранее"}
    )
    assert r.status_code == 200 and "неприменимым" in r.text
    with session_scope(intake.rt.engine) as s:
        row = resolve_obligation(session=s, obligation_id="5.20:2025-12")
    assert row.state == State.NOT_APPLICABLE and row.na_reason == "алгоритм утверждён ранее"


def test_only_the_lead_executor_may_declare_not_applicable(
    client: TestClient, intake: Intake, link: Callable[..., str]
) -> None:
    # 6.1: minsoc leads, minobr and minzdrav are co-executors
    lead, co = link(org="minsoc"), link(org="minzdrav")
    assert 'value="na"' in client.get(lead).text
    page = client.get(co).text
    assert 'value="na"' not in page and "Обязательство неприменимо" not in page
    # the form is hidden, and a hand-made request is refused with the reason, in Russian
    r = client.post(co, data={"action": "na", "name": "Козлова", "reason": "не наше"})
    assert r.status_code == 400
    assert "может только ответственный исполнитель (Минсоцполитики" in r.text
    with session_scope(intake.rt.engine) as s:
        assert resolve_obligation(session=s, obligation_id=OB).state == State.OPEN
    # nothing was used up: the co-executor still submits its own documents through it
    assert client.post(co, data={"name": "Козлова"}, files=[pdf()]).status_code == 200


def test_values_are_checked_and_target_values_recorded(
    client: TestClient, intake: Intake, link: Callable[..., str]
) -> None:
    url = link(obligation="krasnoyarsk-2025-2026:3.2:2025-01..2026-03", org="minsoc")
    page = client.get(url).text
    assert "Достигнуто: не менее 18 служб" in page and 'name="target-3_2-1"' in page
    bad = client.post(url, data={"action": "submit", "name": "Иванова", "target-3_2-1": "много"})
    assert bad.status_code == 400 and "не число" in bad.text
    neg = client.post(url, data={"action": "submit", "name": "Иванова", "target-3_2-1": "-3"})
    assert neg.status_code == 400 and "отрицательным" in neg.text
    ok = client.post(url, data={"action": "submit", "name": "Иванова", "target-3_2-1": "12"})
    assert ok.status_code == 200
    with session_scope(intake.rt.engine) as s:
        row = s.exec(select(TargetValueRecord)).one()
    assert (row.activity, row.target, row.value, row.channel) == ("3.2", 1, 12, "intake")


def test_submitted_text_is_escaped(client: TestClient, link: Callable[..., str]) -> None:
    r = client.post(
        link(),
        data={"action": "submit", "name": "<script>alert(1)</script>"},
        files=[pdf("x.exe", ELF)],
    )
    assert r.status_code == 400
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;" in r.text


def test_document_details_are_asked_checked_and_stored(
    client: TestClient, intake: Intake, link: Callable[..., str]
) -> None:
    url = link()
    details = {
        "doc_type": "статистический отчет",
        "doc_number": "№ 12-с",
        "doc_date": "2025-07-03",
        "doc_title": "О численности детей",
    }
    bad = client.post(
        url,
        data={"action": "submit", "name": "Козлова", **details, "doc_date": "03.07.2025"},
        files=[pdf()],
    )
    assert bad.status_code == 400 and "дата документа" in bad.text
    assert 'value="О численности детей"' in bad.text  # what was typed is kept
    long = client.post(
        url, data={"action": "submit", "name": "Козлова", "doc_number": "1" * 150}, files=[pdf()]
    )
    assert long.status_code == 400 and "номер документа длиннее" in long.text
    assert evidence_count(intake) == 0
    ok = client.post(url, data={"action": "submit", "name": "Козлова", **details}, files=[pdf()])
    assert ok.status_code == 200, ok.text
    with session_scope(intake.rt.engine) as s:
        [ev] = list_evidence(session=s, obligation_id=OB)
    assert (ev.doc_type, ev.doc_number, str(ev.doc_date), ev.doc_title) == (
        "статистический отчет",
        "12-с",
        "2025-07-03",
        "О численности детей",
    )
    assert str(ev.effective_date) == "2025-07-03"


def test_a_document_date_outside_the_program_window_is_refused_on_the_page(
    client: TestClient, intake: Intake, link: Callable[..., str]
) -> None:
    r = client.post(link(), data={"name": "Козлова", "effective": "9999-12-31"}, files=[pdf()])
    assert r.status_code == 400
    assert "дата документа: 31.12.9999 вне допустимых дат 01.01.2024–31.12.2028" in r.text
    assert evidence_count(intake) == 0


def test_reasons_for_a_missed_term_come_through_the_form_with_who_and_when(
    client: TestClient, intake: Intake, link: Callable[..., str]
) -> None:
    url = link()  # due 7 July, open on 10 July: the form asks why
    page = client.get(url).text
    assert "Причины невыполнения и принятые меры" in page and "срок истёк" in page
    assert 'name="causes"' in page and 'name="measures"' in page
    refused = client.post(
        url, data={"action": "submit", "name": "Козлова Т. Ю.", "measures": "меры без причин"}
    )
    assert refused.status_code == 400 and "укажите причины" in refused.text
    r = client.post(
        url,
        data={
            "action": "submit",
            "name": "Козлова Т. Ю.",
            "causes": "отчёт учреждения\u00a0задержан",
            "measures": "направлен запрос руководителю",
        },
    )
    assert r.status_code == 200, r.text
    assert "Причины и принятые меры получены" in r.text
    with session_scope(intake.rt.engine) as s:
        (row,) = s.exec(select(ShortfallReasonRecord)).all()
        assert resolve_obligation(session=s, obligation_id=OB).state != State.SUBMITTED
        (letter, *_) = [i for i in outbox_items(session=s) if i.step == "alert"]
    assert (row.obligation_id, row.org_id, row.channel) == (OB, "minzdrav", "intake")
    # cleaned like every typed text: the no-break space an ordinary one
    assert (row.reasons, row.measures) == (
        "отчёт учреждения задержан",
        "направлен запрос руководителю",
    )
    assert row.given_by == "Козлова Т. Ю. (minzdrav)" and row.given_at is not None
    assert letter.subject.startswith("Получены причины невыполнения и принятые меры: 6.1")
    assert "— причины: отчёт учреждения задержан" in letter.body_text
    assert evidence_count(intake) == 0
