"""file store: file_blob, file_chunk, file_entry

Files every process of the stack reaches: each file's bytes once, by SHA-256 (in
``file_chunk`` rows or a shared folder, ``file_blob.place``), and each owner's named files.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "file_blob",
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "file_chunk",
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["file_blob.sha256"]),
        sa.PrimaryKeyConstraint("sha256", "seq"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # documents and reports arrive compressed already (PDF, DOCX, XLSX, PNG): kept out of
        # line without a second attempt at compressing them
        op.execute("ALTER TABLE file_chunk ALTER COLUMN data SET STORAGE EXTERNAL")
    op.create_table(
        "file_entry",
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("stored_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["file_blob.sha256"]),
        sa.PrimaryKeyConstraint("owner", "path"),
    )
    with op.batch_alter_table("file_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_file_entry_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("file_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_file_entry_sha256"))
    op.drop_table("file_entry")
    op.drop_table("file_chunk")
    op.drop_table("file_blob")
