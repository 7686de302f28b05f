"""due_setting: due dates people set for obligations counted from an event

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "due_setting",
        sa.Column("obligation_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("program_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("set_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"]),
        sa.PrimaryKeyConstraint("obligation_id"),
    )
    with op.batch_alter_table("due_setting", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_due_setting_program_id"), ["program_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("due_setting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_due_setting_program_id"))
    op.drop_table("due_setting")
