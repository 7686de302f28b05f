"""Quiet hours: messages go out on working days between 09:00 and 18:00 local time.

``next_window`` gives the earliest moment at or after ``now`` when a message may go out:
``now`` itself inside the window, else 09:00 of the same day or of the next working day.
Times are aware datetimes; the window is read in the program's time zone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from roadmap.dates.workdays import WorkCalendar

START = dt.time(9, 0)
END = dt.time(18, 0)


def in_window(now: dt.datetime, zone: ZoneInfo, cal: WorkCalendar) -> bool:
    local = now.astimezone(zone)
    return cal.is_working_day(local.date()) and START <= local.time() < END


def next_window(now: dt.datetime, zone: ZoneInfo, cal: WorkCalendar) -> dt.datetime:
    """The earliest moment, at or after ``now``, inside the sending window (returned in UTC)."""
    if in_window(now, zone, cal):
        return now.astimezone(dt.UTC)
    local = now.astimezone(zone)
    day = local.date()
    if not (cal.is_working_day(day) and local.time() < START):
        day = cal.add_working_days(day, 1) if cal.is_working_day(day) else cal.roll_forward(day)
    return dt.datetime.combine(day, START, tzinfo=zone).astimezone(dt.UTC)
