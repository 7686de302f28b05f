"""Charts for reports and the panel, as PNG bytes (matplotlib's Figure API: no global state)."""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from roadmap.program import Program
from roadmap.report import Report

BLUE, GREY, RED, GREEN = "#1f5fa8", "#9aa5b1", "#c0392b", "#2e8b57"


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    return buf.getvalue()


def headcount_chart(report: Report) -> bytes:
    """The monitored headcount by month against its indicator's trajectory."""
    fig = Figure(figsize=(9, 3.8))
    ax = fig.add_subplot()
    months = [p.month for p in report.headcount]
    ax.plot(
        months,
        [p.trajectory if p.trajectory is not None else float("nan") for p in report.headcount],
        color=GREY,
        linestyle="--",
        label=f"Траектория показателя {report.headcount_indicator}",
    )
    points = [
        (m, p.actual) for m, p in zip(months, report.headcount, strict=True) if p.actual is not None
    ]
    if points:
        ax.plot(
            [m for m, _ in points],
            [v for _, v in points],
            color=BLUE,
            marker="o",
            label="Фактическая численность (на 1-е число)",
        )
    ax.set_title("Дети на круглосуточном пребывании в детских учреждениях", fontsize=11)
    ax.set_ylabel("детей")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    step = max(1, len(months) // 12)
    ax.set_xticks(
        range(0, len(months), step),
        [months[i] for i in range(0, len(months), step)],
        rotation=45,
        fontsize=8,
    )
    return _png(fig)


def timeliness_chart(report: Report, program: Program) -> bytes:
    """The share of obligations fulfilled on time, by ministry, government office and commission."""
    from roadmap.report import MINISTRY_KINDS

    rows = [
        d
        for d in report.discipline
        if d.org in program.orgs and program.orgs[d.org].kind in MINISTRY_KINDS and d.rates.due
    ]
    rows.sort(key=lambda d: d.rates.timeliness or 0)
    fig = Figure(figsize=(9, max(2.5, 0.45 * len(rows) + 1)))
    ax = fig.add_subplot()
    shares = [100 * (d.rates.timeliness or 0) for d in rows]
    ax.barh([d.name for d in rows], shares, color=[GREEN if s >= 80 else RED for s in shares])
    for y, s in enumerate(shares):
        ax.text(s + 1, y, f"{s:.0f}%", va="center", fontsize=8)
    ax.set_xlim(0, 110)
    ax.set_xlabel("% обязательств, исполненных в срок")
    ax.set_title("Своевременность исполнения по органам власти", fontsize=11)
    ax.tick_params(axis="y", labelsize=8)
    return _png(fig)


def misses_chart(report: Report) -> bytes | None:
    """Plan against actual for the indicators that miss their checkpoint target (None if none)."""
    misses = report.misses
    if not misses:
        return None
    fig = Figure(figsize=(9, max(2.5, 0.5 * len(misses) + 1)))
    ax = fig.add_subplot()
    y = range(len(misses))
    plan = [100.0] * len(misses)
    actual = [100 * (i.actual or 0) / i.target if i.target else 0 for i in misses]
    ax.barh([v - 0.2 for v in y], plan, height=0.4, color=GREY, label="План (100%)")
    ax.barh([v + 0.2 for v in y], actual, height=0.4, color=RED, label="Факт, % плана")
    ax.set_yticks(
        list(y), [f"{i.indicator.code} {i.indicator.name[:45]}…" for i in misses], fontsize=7
    )
    ax.set_title(f"Показатели с отклонением от плана ({misses[0].checkpoint_label})", fontsize=11)
    ax.legend(fontsize=8)
    return _png(fig)
