"""The file store's tables: each file's bytes once, by hash, and each owner's named files."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Column, LargeBinary
from sqlmodel import Field, SQLModel

from storage.tables import _utc


class FileBlobRecord(SQLModel, table=True):
    """The bytes of one file, named by their SHA-256; where they are kept: ``place``."""

    __tablename__ = "file_blob"

    sha256: str = Field(primary_key=True, max_length=64)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    # «database»: in ``file_chunk`` rows; «directory»: under the folder every machine mounts
    place: str = Field(max_length=20)
    stored_at: dt.datetime = _utc(nullable=False)


class FileChunkRecord(SQLModel, table=True):
    """One piece of a file kept in the database, in order: ``seq`` 0, 1, …"""

    __tablename__ = "file_chunk"

    sha256: str = Field(primary_key=True, foreign_key="file_blob.sha256", max_length=64)
    seq: int = Field(primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class FileEntryRecord(SQLModel, table=True):
    """A file of one owner (a program's id, or «federal»), by its path under the owner's
    folder: a report, a briefing pack, a panel page, a federal summary, or a document handed
    in (``evidence/<sha256>``). Written again, it names the new bytes; the old ones stay."""

    __tablename__ = "file_entry"

    owner: str = Field(primary_key=True, max_length=100)
    path: str = Field(primary_key=True, max_length=500)
    sha256: str = Field(foreign_key="file_blob.sha256", index=True, max_length=64)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    stored_by: str
    stored_at: dt.datetime = _utc(nullable=False)
