"""The letters of one item, word for word: every step of the ladder, by e-mail and Telegram.

Activity 1.9 of May 2025: the commission leads (its government office answers for it), the
Ministry of Social Policy and an NGO are co-executors. Planned through the production path
(``plan_ladder``) with the example contacts, everyone given a Telegram chat as well, and
no intake links (so each letter says how to answer through the coordinator).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from notifications.planning import plan_ladder
from roadmap.dates.workdays import get_calendar
from roadmap.program.contacts import load_contacts
from roadmap.program.model import Program
from storage.contacts import replace_contacts
from storage.db import session_scope
from storage.outbox import outbox_items
from tests.db import SYNC_AT, at
from tests.fixtures import CONTACTS

OB = "krasnoyarsk-2025-2026:1.9:2025-05"

PROGRAM = (
    "Региональная программа Красноярского края по профилактике и снижению уровня социального "
    "сиротства на 2025–2026 годы"
)
ITEM = """Мероприятие 1.9, май 2025\u00a0г.
Внесение изменений в Порядок предоставления благотворительной помощи, семьям, в отношении \
которых органами и учреждениями системы профилактики безнадзорности и правонарушений \
несовершеннолетних проводится индивидуальная профилактическая работа"""
LEAD = "комиссия по делам несовершеннолетних и защите их прав Красноярского края"
CO = (
    "министерство социальной политики Красноярского края, Региональная общественная организация "
    "Красноярского края «Центр защиты материнства и детства святых Петра и Февронии»"
)
EVIDENCE = "постановление комиссии по делам несовершеннолетних и защиты их прав Красноярского края"
FACTS = f"""{PROGRAM}
{ITEM}
Срок исполнения: 30 мая 2025\u00a0г.
Ответственный исполнитель: {LEAD}
Соисполнители: {CO}
Подтверждающий документ: {EVIDENCE}
Ожидаемый результат: внесены изменения в постановление комиссии по делам несовершеннолетних \
и защите их прав Красноярского края от 25.09.2024 № 93-кдн"""
CHAT_FACTS = f"""{PROGRAM}
{ITEM}
Ответственный исполнитель: {LEAD}
Соисполнители: {CO}"""
ANSWER = (
    "Документ направляется координатору Программы по электронной почте "
    "coordinator@minsoc.example.org{reply} с указанием в теме «Мероприятие 1.9, май 2025\u00a0г.». "
    "Справки по телефону +7 (391) 000-00-02."
)
MAIL_ANSWER = ANSWER.format(reply=" (можно ответить на это письмо)")
CHAT_ANSWER = ANSWER.format(reply="")
CLOSING = """Контактное лицо:
Главный специалист отдела семейной политики
Ольга Николаевна Белова
Министерство социальной политики Красноярского края
тел. +7 (391) 000-00-02
e-mail: coordinator@minsoc.example.org"""
CHAT_CONTACT = (
    "Контактное лицо: Ольга Николаевна Белова, главный специалист отдела семейной политики, "
    "министерство социальной политики Красноярского края, тел. +7 (391) 000-00-02, "
    "coordinator@minsoc.example.org."
)
LATE = (
    "Просим представить подтверждающий документ в кратчайший срок: "
    f"{EVIDENCE}. Просим также сообщить причины неисполнения мероприятия в установленный срок "
    "и принятые меры: они будут отражены в сводном отчёте."
)
# the act that approved the program and its reporting clause (program data), in every
# letter but a copy
BASIS = (
    f"Основание: {PROGRAM}, утверждённая постановлением комиссии по делам несовершеннолетних "
    "и защите их прав Красноярского края. Согласно Программе исполнители, соисполнители "
    "мероприятий Программы не позднее 20 рабочего дня, следующего за отчетным полугодием, и не "
    "позднее 10 февраля по итогам отчетного года направляют в министерство социальной политики "
    "Красноярского края информацию (отчет) о выполнении ключевых показателей Программы и "
    "мероприятий «дорожной карты» Программы с приложением документов, подтверждающих "
    "выполнение мероприятий."
)

# (step, recipient): (subject, what happened, what is asked, answers: says how to answer)
LETTERS = {
    ("open", "Елена Сергеевна Волкова"): (
        "Уведомление: до 30 мая 2025\u00a0г. — мероприятие 1.9",
        "Уважаемая Елена Сергеевна!",
        "Информируем Вас о начале исполнения мероприятия Программы. "
        "Срок исполнения — 30 мая 2025\u00a0г.",
        f"Просим не позднее 30 мая 2025\u00a0г. представить подтверждающий документ: {EVIDENCE}.",
        True,
    ),
    ("remind-10", "Елена Сергеевна Волкова"): (
        "Напоминание: до 30 мая 2025\u00a0г. — мероприятие 1.9",
        "Уважаемая Елена Сергеевна!",
        "Напоминаем, что срок исполнения мероприятия Программы истекает 30 мая 2025\u00a0г.: "
        "осталось 10 рабочих дней. Подтверждающий документ пока не поступил.",
        f"Просим не позднее 30 мая 2025\u00a0г. представить подтверждающий документ: {EVIDENCE}.",
        True,
    ),
    ("remind-3", "Елена Сергеевна Волкова"): (
        "Напоминание: до 30 мая 2025\u00a0г. — мероприятие 1.9",
        "Уважаемая Елена Сергеевна!",
        "Напоминаем, что срок исполнения мероприятия Программы истекает 30 мая 2025\u00a0г.: "
        "осталось 3 рабочих дня. Подтверждающий документ пока не поступил.",
        f"Просим не позднее 30 мая 2025\u00a0г. представить подтверждающий документ: {EVIDENCE}.",
        True,
    ),
    ("due", "Елена Сергеевна Волкова"): (
        "Срок сегодня, 30 мая 2025\u00a0г. — мероприятие 1.9",
        "Уважаемая Елена Сергеевна!",
        "Сегодня, 30 мая 2025\u00a0г., истекает срок исполнения мероприятия Программы. "
        "Подтверждающий документ пока не поступил.",
        f"Просим представить подтверждающий документ сегодня: {EVIDENCE}.",
        True,
    ),
    ("overdue", "Елена Сергеевна Волкова"): (
        "Срок истёк 30 мая 2025\u00a0г. — мероприятие 1.9",
        "Уважаемая Елена Сергеевна!",
        "Срок исполнения мероприятия Программы истёк 30 мая 2025\u00a0г. Подтверждающий документ "
        "не поступил, просрочка составляет 1 рабочий день.",
        LATE,
        True,
    ),
    ("escalate-1", "Дмитрий Андреевич Новиков"): (
        "О неисполнении мероприятия 1.9 (срок — 30 мая 2025\u00a0г.)",
        "Уважаемый Дмитрий Андреевич!",
        "Информируем Вас о неисполнении в установленный срок мероприятия Программы. Срок истёк "
        "30 мая 2025\u00a0г., подтверждающий документ не представлен, просрочка составляет 5 рабочих "
        "дней. Напоминания, направленные исполнителю, результата не дали.",
        f"Просим обеспечить представление подтверждающего документа ({EVIDENCE}) в кратчайший "
        "срок, а также сообщить причины неисполнения мероприятия в установленный срок и "
        "принятые меры.",
        True,
    ),
    ("escalate-1", "Ольга Николаевна Белова"): (
        "Копия: о неисполнении мероприятия 1.9 (срок — 30 мая 2025\u00a0г.)",
        "Уважаемая Ольга Николаевна!",
        "Направляем Вам для сведения: письмо о неисполнении в установленный срок мероприятия "
        "Программы направлено руководителям организаций-исполнителей (Дмитрий Андреевич Новиков, "
        "Сергей Викторович Орлов). Срок истёк 30 мая 2025\u00a0г., подтверждающий документ не "
        "представлен, просрочка составляет 5 рабочих дней.",
        "Письмо направлено Вам для сведения и контроля исполнения.",
        False,
    ),
    ("escalate-2", "Юлия Александровна Семенова"): (
        "О неисполнении мероприятия 1.9 (срок — 30 мая 2025\u00a0г.)",
        "Уважаемая Юлия Александровна!",
        "Информируем Вас о неисполнении в установленный срок мероприятия Программы. Срок истёк "
        "30 мая 2025\u00a0г., подтверждающий документ не представлен, просрочка составляет 10 рабочих "
        "дней. Исполнителю направлялись напоминания, руководителю организации-исполнителя — "
        "письмо о неисполнении; подтверждающий документ до настоящего времени не поступил.",
        "Просим оказать содействие в обеспечении исполнения мероприятия.",
        False,
    ),
    ("escalate-3", "Наталья Владимировна Павлова"): (
        "В повестку комиссии: о неисполнении мероприятия 1.9 (срок — 30 мая 2025\u00a0г.)",
        "Уважаемая Наталья Владимировна!",
        "Информируем Вас о неисполнении в установленный срок мероприятия Программы. Срок истёк "
        "30 мая 2025\u00a0г., подтверждающий документ не представлен, просрочка составляет 20 рабочих "
        "дней. Информация о неисполнении ранее направлена руководителю организации-исполнителя и "
        "региональному куратору Программы.",
        "Просим рассмотреть возможность включения вопроса о неисполнении мероприятия в повестку "
        "ближайшего заседания комиссии.",
        False,
    ),
}


@pytest.fixture
def letters(synced: Engine, program: Program) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(step, recipient, channel) -> (subject, text as recorded for sending)."""
    specs = load_contacts(CONTACTS, program)
    specs = [
        s if s.telegram else s.model_copy(update={"telegram": f"2000{i:02}"})
        for i, s in enumerate(specs)
    ]
    with session_scope(synced) as s:
        replace_contacts(session=s, program_id=program.id, specs=specs, by="test", at=SYNC_AT)
    with session_scope(synced) as s:
        plan_ladder(
            session=s,
            program=program,
            as_of=dt.date(2025, 7, 1),
            now=at("2025-07-01", 10),
            calendar=get_calendar(),
            obligation_ids=[OB],
        )
    with session_scope(synced) as s:
        return {
            (i.step, i.recipient_name, i.channel): (
                i.subject,
                i.body_text if i.channel == "email" else i.body_html,
            )
            for i in outbox_items(session=s)
        }


def mail(subject: str, hello: str, status: str, ask: str, answers: bool) -> str:
    answer = f"\n\n{MAIL_ANSWER}" if answers else ""
    closing = "" if hello == "Уважаемая Ольга Николаевна!" else f"\n\n{CLOSING}"
    basis = "" if subject.startswith("Копия") else f"{BASIS}\n\n"
    return f"{hello}\n\n{status}\n\n{FACTS}\n\n{basis}{ask}{answer}{closing}"


def chat(subject: str, hello: str, status: str, ask: str, answers: bool) -> str:
    answer = f"\n\n{CHAT_ANSWER}" if answers else ""
    contact = "" if hello == "Уважаемая Ольга Николаевна!" else f"\n\n{CHAT_CONTACT}"
    return f"<b>{subject}</b>\n\n{hello}\n{status}\n\n{CHAT_FACTS}\n\n{ask}{answer}{contact}"


@pytest.mark.parametrize("step_and_name", list(LETTERS), ids=lambda k: f"{k[0]}-{k[1].split()[0]}")
def test_each_step_reads_exactly_as_written(
    letters: dict[tuple[str, str, str], tuple[str, str]], step_and_name: tuple[str, str]
) -> None:
    subject, hello, status, ask, answers = LETTERS[step_and_name]
    step, name = step_and_name
    assert letters[(step, name, "email")] == (subject, mail(subject, hello, status, ask, answers))
    assert letters[(step, name, "telegram")] == (
        subject,
        chat(subject, hello, status, ask, answers),
    )


def test_an_ngo_co_executor_is_asked_for_its_part_for_the_lead_executor(
    letters: dict[tuple[str, str, str], tuple[str, str]],
) -> None:
    subject, text = letters[("open", "Мария Петровна Егорова", "email")]
    assert subject == "Уведомление: до 30 мая 2025\u00a0г. — мероприятие 1.9"
    assert (
        text
        == f"""Уважаемая Мария Петровна!

Информируем Вас о начале исполнения мероприятия Программы. Срок исполнения — 30 мая 2025\u00a0г.

{FACTS}

{BASIS}

Ваша организация является соисполнителем мероприятия. Просим не позднее 30 мая 2025\u00a0г. \
направить ответственному исполнителю информацию о Вашем участии в его выполнении; \
подтверждающий документ представляет ответственный исполнитель.

Информация направляется ответственному исполнителю (контактное лицо — Елена Сергеевна \
Волкова, e.volkova@kdn.example.org). Справки можно получить у координатора Программы по \
телефону +7 (391) 000-00-02 или по электронной почте coordinator@minsoc.example.org.

{CLOSING}"""
    )


def test_no_letter_shows_an_obligation_id(
    letters: dict[tuple[str, str, str], tuple[str, str]],
) -> None:
    assert letters and all("krasnoyarsk-2025-2026" not in s + t for s, t in letters.values())
