"""Known facts for the report tests: what was handed in, when, and which values were given."""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy.engine import Engine

from roadmap.program.model import Program
from roadmap.reports.doc_details import DocumentDetails
from storage.actuals import record_indicator_value, record_target_value
from storage.db import session_scope
from storage.evidence import EvidenceStore, record_evidence, review_evidence
from tests.db import at
from tests.storage.files import PDF, docx_bytes

# month → (minsoc, minobr, minzdrav); 1.1's trajectory starts at 2 211
HEADCOUNT = {
    "2025-01": (820, 1250, 130),
    "2025-02": (815, 1245, 128),
    "2025-03": (800, 1240, 125),
    "2025-04": (790, 1230, 120),
    "2025-05": (780, 1215, 118),
    "2025-06": (770, 1200, 115),
    "2025-07": (760, 1190, 112),
}
# The methodological letter of activity 1.5, named by its details.
LETTER = DocumentDetails(
    doc_type="методическое письмо министерства образования Красноярского края",
    number="75-1234",
    date=dt.date(2025, 6, 19),
    title="О практике лишения и ограничения родительских прав",
)
LETTER_TEXT = (
    "методическое письмо министерства образования Красноярского края от 19.06.2025 "
    "№ 75-1234 «О практике лишения и ограничения родительских прав»"
)
REASONS_1_5 = "Причины: суды отложили решения. Меры: направлены запросы в суды."


def submit(
    engine: Engine,
    store: EvidenceStore,
    ob: str,
    day: str,
    name: str = "отчёт.pdf",
    data: bytes = PDF,
    details: DocumentDetails | None = None,
) -> None:
    with session_scope(engine) as s:
        record_evidence(
            session=s,
            store=store,
            obligation_id=ob,
            stream=io.BytesIO(data),
            original_name=name,
            submitted_by="Исполнитель",
            channel="cli",
            at=at(day),
            max_bytes=1 << 20,
            details=details,
        )


def review(engine: Engine, ob: str, day: str, ok: bool) -> None:
    with session_scope(engine) as s:
        review_evidence(
            session=s,
            obligation_id=ob,
            accept=ok,
            comment=None if ok else "нет подписи",
            reviewer="Координатор",
            channel="cli",
            at=at(day),
        )


def populate(engine: Engine, program: Program, store: EvidenceStore) -> None:
    submit(engine, store, "6.1:2025-01", "2025-02-05", "численность январь.pdf")  # on time
    review(engine, "6.1:2025-01", "2025-02-06", True)
    submit(engine, store, "6.1:2025-02", "2025-03-12", "численность февраль.pdf")  # late
    submit(engine, store, "6.1:2025-03", "2025-04-03", "численность март.docx", docx_bytes())
    review(engine, "6.1:2025-03", "2025-04-04", True)
    submit(engine, store, "6.1:2025-04", "2025-05-12")
    review(engine, "6.1:2025-04", "2025-05-14", False)  # returned for rework
    submit(engine, store, "1.5:2025-H1", "2025-06-20", "методическое письмо.pdf", details=LETTER)
    submit(engine, store, "report:minobr:2025-H1", "2025-07-25", "отчёт Минобразования.pdf")
    with session_scope(engine) as s:
        for month, values in HEADCOUNT.items():
            for org, value in zip(("minsoc", "minobr", "minzdrav"), values, strict=True):
                record_indicator_value(
                    session=s,
                    program=program,
                    indicator="1.1",
                    period=month,
                    org=org,
                    value=value,
                    given_by="Аналитик",
                    channel="cli",
                    at=at(f"{month}-05"),
                    margin=0.05,
                    explanation="поступления по актам полиции",
                )
        for code, value, note in (
            ("1.5", 1100, REASONS_1_5),  # 8.6 % below 1 203: explained
            ("1.4", 19, None),  # 5 % below 20: a miss within the margin
            ("4.1", 1, None),
            ("8.8", 2.0, None),
        ):
            record_indicator_value(
                session=s,
                program=program,
                indicator=code,
                period="2025-H1",
                org="minsoc",
                value=value,
                given_by="Аналитик",
                channel="cli",
                at=at("2025-07-10"),
                margin=0.05,
                explanation=note,
            )
        record_target_value(
            session=s,
            program=program,
            activity="3.2",
            target=1,
            period="2025-H1",
            org="minsoc",
            value=12,
            given_by="Аналитик",
            channel="cli",
            at=at("2025-07-10"),
        )
