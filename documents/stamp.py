"""Office files that depend only on what they say: the same report, the same bytes.

python-docx and openpyxl stamp the zip entries and the core properties (created, modified)
with the wall clock. ``restamp`` rewrites them with the report's own date, so that a
simulation or a rerun for the same date writes identical files (and evidence hashes).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path

_CORE_DATE = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def restamp(path: Path, day: dt.date) -> Path:
    """Give every zip entry of ``path`` and its created/modified properties the date ``day``."""
    iso = f"{day.isoformat()}T00:00:00Z".encode()
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                data = _CORE_DATE.sub(rb"\g<1>" + iso + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, data)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(out.getvalue())
    os.replace(tmp, path)
    return path
