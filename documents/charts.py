"""Charts for reports and the panel, as PNG bytes (matplotlib's Figure API: no global state).

Each chart comes with what a document prints around it: its caption (the document numbers
it), a note saying how to read it, and the Excel sheet that holds its data. Months read
«янв. 2025», numbers «2 211», colours follow the traffic light (green, amber, red) and
say the same as the words beside them.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from documents import texts
from roadmap.program.model import Program
from roadmap.reports.report import MINISTRY_KINDS, IndicatorLine, Report
from roadmap.words.labels import indicator_legend
from roadmap.words.verdicts import Tone
from roadmap.words.wording import date_ru, month_short_ru, number_ru, percent_ru

if TYPE_CHECKING:  # matplotlib itself is imported by the charts that draw (a third of a second)
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

INK, GREY = "#1a1a1a", "#7b8794"
TONE_HEX = {Tone.GREEN: "#2e8b57", Tone.AMBER: "#e0a526", Tone.RED: "#c0392b", Tone.GREY: "#9aa5b1"}
PARTS = ("#1f5fa8", "#6d9fd6", "#b9d0ea", "#dfe9f5")
SHEETS = {
    "headcount": texts.SHEET_HEADCOUNT,
    "misses": texts.SHEET_INDICATORS,
    "timeliness": texts.SHEET_DISCIPLINE,
}


@dataclass(frozen=True)
class Chart:
    """A chart and the words printed around it."""

    name: str
    png: bytes
    title: str
    note: str
    words: tuple[str, ...] = ()  # every text drawn on the picture: legend, axes, labels

    @property
    def sheet(self) -> str:
        return SHEETS[self.name]


def _date_number(day: dt.date) -> float:
    import matplotlib.dates as mdates

    return float(mdates.date2num(day))


def _drawn_words(fig: Figure) -> tuple[str, ...]:
    """Every non-empty text the figure draws (legend entries, tick labels, annotations)."""
    from matplotlib.text import Text

    found = (t.get_text().strip() for t in fig.findobj(Text))
    return tuple(dict.fromkeys(w for w in found if w))


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    # no timestamp in the file: the same report gives the same bytes
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def _thousands(axis: Axis) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: number_ru(round(v))))


def _monitored(report: Report) -> IndicatorLine | None:
    return next(
        (i for i in report.indicators if i.indicator.code == report.headcount_indicator), None
    )


def headcount_chart(report: Report, *, plain: bool = False) -> Chart | None:
    """The monitored headcount by month and by part, against its indicator's trajectory
    (``plain``: for families, the trajectory named without the indicator's number)."""
    points = report.headcount
    if not points:
        return None
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 6.4))
    top, bottom_ax = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    days = [p.day for p in points]
    xs = [float(_date_number(d)) for d in days]
    trajectory = (
        "Намеченная Программой численность"
        if plain
        else f"Плановая траектория показателя {report.headcount_indicator}"
    )
    _plot_totals(top, report, xs, trajectory)
    _plot_parts(bottom_ax, report, xs)
    step = max(1, (len(days) + 11) // 12)
    bottom_ax.set_xticks(
        xs[::step], [month_short_ru(d) for d in days[::step]], rotation=45, fontsize=8
    )
    ind = _monitored(report)
    name = ind.indicator.name if ind else report.headcount_indicator
    return Chart(
        "headcount",
        _png(fig),
        f"{report.headcount_title} по месяцам и плановая траектория показателя "
        f"{report.headcount_indicator}",
        headcount_note(report, name),
        _drawn_words(fig),
    )


def _plot_totals(top: Axes, report: Report, xs: list[float], trajectory: str) -> None:
    """The upper panel: the total headcount against the indicator's trajectory."""
    points = report.headcount
    totals = [(x, p.actual) for x, p in zip(xs, points, strict=True) if p.actual is not None]
    traj = [(x, p.trajectory) for x, p in zip(xs, points, strict=True) if p.trajectory is not None]
    top.plot(
        [x for x, _ in traj],
        [v for _, v in traj],
        color=INK,
        linestyle="--",
        linewidth=1.4,
        label=trajectory,
    )
    if totals:
        top.plot(
            [x for x, _ in totals],
            [v for _, v in totals],
            color=PARTS[0],
            marker="o",
            markersize=4,
            label="Фактическая численность, всего",
        )
    _checkpoint_targets(top, report, points[0].day, points[-1].day)
    _table_fact(top, report)
    _thousands(top.yaxis)
    top.grid(axis="y", alpha=0.3)
    top.margins(y=0.15)
    top.legend(
        fontsize=7.5,
        loc="lower left",
        bbox_to_anchor=(0, 1.01),
        ncol=2,
        frameon=False,
        title="Всего",
        title_fontsize=8,
        alignment="left",
    )


def _plot_parts(bottom_ax: Axes, report: Report, xs: list[float]) -> None:
    """The lower panel: the headcount stacked by part (ministry and kind of institution)."""
    points = report.headcount
    base = [0.0] * len(points)
    for j, part in enumerate(report.headcount_parts):
        values = [float(p.parts[j] or 0) if j < len(p.parts) else 0.0 for p in points]
        bottom_ax.bar(
            xs,
            values,
            width=20,
            bottom=base,
            color=PARTS[j % len(PARTS)],
            label=f"{part.label} ({part.institutions})",
        )
        base = [b + v for b, v in zip(base, values, strict=True)]
    _thousands(bottom_ax.yaxis)
    bottom_ax.grid(axis="y", alpha=0.3)
    bottom_ax.set_title("По министерствам и типам учреждений", fontsize=9, loc="left")
    bottom_ax.legend(
        fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=2, frameon=False
    )


def _checkpoint_targets(ax: Axes, report: Report, first: dt.date, last: dt.date) -> None:
    ind = _monitored(report)
    if ind is None:
        return
    xs, ys = [], []
    for cp, target in zip(report.checkpoints, ind.indicator.targets, strict=True):
        day = cp.date + dt.timedelta(days=1)  # the count «as of the 1st» after it
        if target is not None and first <= day <= last:
            x = float(_date_number(day))
            xs.append(x)
            ys.append(target)
            ax.annotate(
                number_ru(target),
                (x, target),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=8,
            )
    if xs:
        label = "Плановые значения на контрольные точки"
        ax.plot(xs, ys, "D", color=INK, markersize=5, label=label)


def _table_fact(ax: Axes, report: Report) -> None:
    """Ring the value the indicator table uses, where the chart shows it."""
    ind = _monitored(report)
    if ind is None or ind.actual is None or ind.source_period is None:
        return
    point = next((p for p in report.headcount if p.month == ind.source_period), None)
    if point is None:
        return
    ax.plot(
        [float(_date_number(point.day))],
        [ind.actual],
        "o",
        markersize=11,
        markerfacecolor="none",
        markeredgecolor=TONE_HEX[ind.tone],
        markeredgewidth=2,
        label=f"Фактическое значение на контрольную точку «{ind.checkpoint_label}»",
    )


def headcount_note(report: Report, name: str) -> str:
    """How the headcount chart reads: the counting day, the table's value, the trajectory."""
    ind = _monitored(report)
    parts = []
    if ind is not None:
        for cp, target in zip(report.checkpoints, ind.indicator.targets, strict=True):
            if target is not None:
                extra = f" ({cp.note})" if cp.note else ""
                parts.append(f"{cp.label} — {number_ru(target)}{extra}")
    text = (
        "Численность — на 1-е число месяца, по данным министерств (столбцы — по "
        "подведомственным учреждениям). "
    )
    if ind is not None and ind.source_period and ind.source_period != ind.checkpoint:
        first = next((p.day for p in report.headcount if p.month == ind.source_period), None)
        if first is not None:
            text += (
                f"Численность на {date_ru(first)} — состояние на конец периода контрольной "
                f"точки «{ind.checkpoint_label}»; она принята как фактическое значение "
                f"показателя {report.headcount_indicator}. "
            )
    if parts:
        text += (
            f"Плановая траектория показателя {report.headcount_indicator} («{_short(name)}») "
            "проведена через его значения на контрольные точки программы (столбцы таблицы "
            f"показателей): {'; '.join(parts)}. Значение на контрольную точку сравнивается "
            "с численностью на 1-е число следующего месяца; между контрольными точками "
            "траектория равномерна, до первой контрольной точки — на уровне её значения."
        )
    return text


def _patch(color: str, label: str) -> object:
    from matplotlib.patches import Patch

    return Patch(color=color, label=label)


def _short(name: str, width: int = 90) -> str:
    return textwrap.shorten(name, width=width, placeholder=" …")


def misses_chart(report: Report) -> Chart | None:
    """The level of achievement of every indicator not achieved (None if there is none)."""
    misses = [i for i in report.misses if i.level is not None]
    if not misses:
        return None
    labels = [textwrap.fill(f"{i.indicator.code} {i.indicator.name}", 70) for i in misses]
    height = sum(label.count("\n") + 1 for label in labels) * 0.14 + 0.22 * len(misses) + 1.1
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, max(2.6, height)))
    ax = fig.add_subplot()
    y = list(range(len(misses)))[::-1]
    levels = [100 * (i.level or 0) for i in misses]
    ax.barh(y, levels, height=0.6, color=[TONE_HEX[i.tone] for i in misses])
    for yy, lvl in zip(y, levels, strict=True):
        ax.text(lvl + 1, yy, percent_ru(lvl / 100), va="center", fontsize=8)
    ax.axvline(100, color=INK, linewidth=1, linestyle="--")
    ax.set_yticks(y, labels, fontsize=7.5)
    ax.set_xlim(0, max(120, max(levels) + 15))
    ax.set_xlabel("уровень достижения планового значения, %")
    legend = indicator_legend(report.margin)
    handles = [
        _patch(TONE_HEX[tone], legend[tone])
        for tone in (Tone.RED, Tone.AMBER)
        if any(i.tone == tone for i in misses)
    ]
    ax.legend(
        handles=handles,
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        ncol=len(handles),
        frameon=False,
    )
    ax.grid(axis="x", alpha=0.3)
    return Chart(
        "misses",
        _png(fig),
        "Уровень достижения плановых значений по показателям, плановые значения которых на "
        f"контрольную точку «{misses[0].checkpoint_label}» не достигнуты",
        "Уровень достижения — отношение фактического значения к плановому, для показателей, "
        "лучшим значением которых является снижение, — планового к фактическому; пунктирная "
        "линия — 100 %.",
    )


def timeliness_chart(report: Report, program: Program) -> Chart | None:
    """Obligations done on time, late and not done, by government body (None if none due)."""
    rows = [
        d
        for d in report.discipline
        if d.org in program.orgs and program.orgs[d.org].kind in MINISTRY_KINDS and d.rates.due
    ]
    if not rows:
        return None
    rows.sort(key=lambda d: (d.rates.timeliness or 0, d.name))  # the best on top
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, max(2.6, 0.42 * len(rows) + 1.4)))
    ax = fig.add_subplot()
    y = list(range(len(rows)))
    on_time = [100 * d.rates.on_time / d.rates.due for d in rows]
    late = [100 * d.late / d.rates.due for d in rows]
    not_done = [100 * d.not_done / d.rates.due for d in rows]
    ax.barh(y, on_time, color=TONE_HEX[Tone.GREEN], label="выполнено в срок")
    ax.barh(y, late, left=on_time, color=TONE_HEX[Tone.AMBER], label="выполнено с нарушением срока")
    left = [a + b for a, b in zip(on_time, late, strict=True)]
    ax.barh(y, not_done, left=left, color=TONE_HEX[Tone.RED], label="не выполнено")
    for yy, d, share in zip(y, rows, on_time, strict=True):
        text = f"{percent_ru(share / 100, digits=0)} в срок ({d.rates.due})"
        ax.text(101, yy, text, va="center", fontsize=8)
    ax.set_yticks(y, [d.name for d in rows], fontsize=8)
    ax.set_xlim(0, 125)
    ax.set_xlabel("% обязательств, срок которых наступил")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3, frameon=False)
    return Chart(
        "timeliness",
        _png(fig),
        "Исполнение обязательств органами власти: в срок, с нарушением срока, не выполнено",
        f"Доли от обязательств со сроком до {date_ru(report.as_of)} (контрольные точки "
        "мероприятий и отчёты исполнителей); в скобках — их число. Обязательство нескольких "
        "исполнителей учитывается у каждого из них.",
    )
