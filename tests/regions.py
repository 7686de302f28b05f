"""The fourteen regions of the special project «Вызов», and synthetic programs for them.

A synthetic program is the embedded program's data under another region's id, name and
time zone: the same road map, so that fourteen of them load the engine as fourteen real
ones would (the benchmark and the registration test use them).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from roadmap.program.loader import DEFAULT_PROGRAM

# (region, id stem, time zone): Samara UTC+4; Sverdlovsk, Perm, Chelyabinsk, Orenburg UTC+5;
# Krasnoyarsk, Kemerovo, Altai Krai UTC+7; Irkutsk UTC+8; Zabaykalsky UTC+9; Primorye,
# Khabarovsk UTC+10; Tver, Arkhangelsk UTC+3.
FOURTEEN = (
    ("Алтайский край", "altai", "Asia/Barnaul"),
    ("Архангельская область", "arkhangelsk", "Europe/Moscow"),
    ("Забайкальский край", "zabaykalsky", "Asia/Chita"),
    ("Иркутская область", "irkutsk", "Asia/Irkutsk"),
    ("Кемеровская область — Кузбасс", "kemerovo", "Asia/Novokuznetsk"),
    ("Красноярский край", "krasnoyarsk", "Asia/Krasnoyarsk"),
    ("Оренбургская область", "orenburg", "Asia/Yekaterinburg"),
    ("Пермский край", "perm", "Asia/Yekaterinburg"),
    ("Приморский край", "primorye", "Asia/Vladivostok"),
    ("Самарская область", "samara", "Europe/Samara"),
    ("Свердловская область", "sverdlovsk", "Asia/Yekaterinburg"),
    ("Тверская область", "tver", "Europe/Moscow"),
    ("Хабаровский край", "khabarovsk", "Asia/Vladivostok"),
    ("Челябинская область", "chelyabinsk", "Asia/Yekaterinburg"),
)


def synthetic_programs(where: Path, count: int = len(FOURTEEN)) -> list[Path]:
    """``count`` program folders under ``where``: the embedded program, region by region."""
    folders = []
    for region, stem, zone in FOURTEEN[:count]:
        folder = where / f"synthetic-{stem}"
        shutil.copytree(DEFAULT_PROGRAM, folder)
        main = folder / "program.yaml"
        lines = []
        for line in main.read_text("utf-8").splitlines():
            if line.startswith("id: "):
                line = f"id: synthetic-{stem}-2025-2026"
            elif line.startswith("region: "):
                line = f"region: {region}"
            elif line.startswith("timezone: "):
                line = f"timezone: {zone}"
            lines.append(line)
        main.write_text("\n".join(lines) + "\n", "utf-8")
        folders.append(folder)
    return folders
