"""booking on the joint-inspections engine: what a trader accepts, fees per part, offer index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inspection_request", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "accepts_out_of_hours", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("notice_derogation", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    with op.batch_alter_table("booking_part", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("fee", sa.Numeric(precision=12, scale=2), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("currency", sa.String(length=3), server_default="", nullable=False)
        )
        batch_op.create_index("ix_booking_part_start_at", ["start_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("booking_part", schema=None) as batch_op:
        batch_op.drop_index("ix_booking_part_start_at")
        batch_op.drop_column("currency")
        batch_op.drop_column("fee")

    with op.batch_alter_table("inspection_request", schema=None) as batch_op:
        batch_op.drop_column("notice_derogation")
        batch_op.drop_column("accepts_out_of_hours")
