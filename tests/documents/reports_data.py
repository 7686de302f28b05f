"""Known facts for the report tests: what was handed in, when, and which values were given."""

from __future__ import annotations

import io

from sqlalchemy.engine import Engine

from roadmap.program import Program
from storage.actuals import record_indicator_value, record_target_value
from storage.db import session_scope
from storage.evidence import EvidenceStore, record_evidence, review_evidence
from tests.db import at
from tests.storage.files import PDF, docx_bytes

HEADCOUNT = {  # month → (minsoc, minobr, minzdrav); 1.1's trajectory starts at 2 211
    "2025-01": (820, 1250, 130), "2025-02": (815, 1245, 128), "2025-03": (800, 1240, 125),
    "2025-04": (790, 1230, 120), "2025-05": (780, 1215, 118), "2025-06": (770, 1200, 115),
    "2025-07": (760, 1190, 112),
}  # fmt: skip


def populate(engine: Engine, program: Program, store: EvidenceStore) -> None:
    def submit(ob: str, day: str, name: str = "отчёт.pdf", data: bytes = PDF) -> None:
        with session_scope(engine) as s:
            record_evidence(session=s, store=store, obligation_id=ob, stream=io.BytesIO(data),
                            original_name=name, submitted_by="Исполнитель", channel="cli",
                            at=at(day), max_bytes=1 << 20)  # fmt: skip

    def review(ob: str, day: str, ok: bool) -> None:
        with session_scope(engine) as s:
            review_evidence(session=s, obligation_id=ob, accept=ok, comment=None if ok else "нет подписи",
                            reviewer="Координатор", channel="cli", at=at(day))  # fmt: skip

    submit("6.1:2025-01", "2025-02-05", "численность январь.pdf")  # on time (due 02-07)
    review("6.1:2025-01", "2025-02-06", True)
    submit("6.1:2025-02", "2025-03-12", "численность февраль.pdf")  # late (due 03-07)
    submit("6.1:2025-03", "2025-04-03", "численность март.docx", docx_bytes())
    review("6.1:2025-03", "2025-04-04", True)
    submit("6.1:2025-04", "2025-05-12")
    review("6.1:2025-04", "2025-05-14", False)  # returned for rework
    submit("1.5:2025-H1", "2025-06-20", "методическое письмо.pdf")
    submit("report:minobr:2025-H1", "2025-07-25", "отчёт Минобразования.pdf")
    with session_scope(engine) as s:
        for month, values in HEADCOUNT.items():
            for org, value in zip(("minsoc", "minobr", "minzdrav"), values, strict=True):
                record_indicator_value(session=s, program=program, indicator="1.1", period=month,
                                       org=org, value=value, given_by="Аналитик", channel="cli",
                                       at=at(f"{month}-05"), margin=0.05,
                                       explanation="поступления по актам полиции")  # fmt: skip
        for code, value, note in (
            ("1.5", 1100, "суды отложили решения"),
            ("4.1", 1, None),
            ("8.8", 2.0, None),
        ):
            record_indicator_value(session=s, program=program, indicator=code, period="2025-H1",
                                   org="minsoc", value=value, given_by="Аналитик", channel="cli",
                                   at=at("2025-07-10"), margin=0.05, explanation=note)  # fmt: skip
        record_target_value(session=s, program=program, activity="3.2", target=1, period="2025-H1",
                            org="minsoc", value=12, given_by="Аналитик", channel="cli",
                            at=at("2025-07-10"))  # fmt: skip
