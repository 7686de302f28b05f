"""shortfall reasons: shortfall_reason

The executor's reasons for an activity's checkpoint not done or late, or an indicator off
plan, and the measures taken, with who gave them and when (the intake page's form, the
command line for reasons given on paper).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shortfall_reason",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("obligation_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("indicator", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column("org_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=True),
        sa.Column("given_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("given_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("shortfall_reason", schema=None) as batch_op:
        batch_op.create_index("ix_shortfall_reason_program", ["program_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("shortfall_reason", schema=None) as batch_op:
        batch_op.drop_index("ix_shortfall_reason_program")
    op.drop_table("shortfall_reason")
