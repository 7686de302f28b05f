"""program_version: the program's data of each version

A version synced from now on keeps the program's data as JSON, so a report for a past date
words the road map (activities, executors, indicators) as the version then in force did.
Versions synced before keep none: a read for their dates takes the program as it is now,
until a sync of the same data fills it in.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("program_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("program_version", schema=None) as batch_op:
        batch_op.drop_column("data")
