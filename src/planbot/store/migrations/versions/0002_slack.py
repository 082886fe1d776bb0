"""slack threads and handled deliveries

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slack_threads",
        sa.Column("team_id", sa.String(length=40), nullable=False),
        sa.Column("channel_id", sa.String(length=40), nullable=False),
        sa.Column("thread_ts", sa.String(length=40), nullable=False),
        sa.Column("session_id", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["owners.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id", "channel_id", "thread_ts"),
    )
    op.create_index(op.f("ix_slack_threads_owner_id"), "slack_threads", ["owner_id"], unique=False)
    op.create_table(
        "slack_events",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(op.f("ix_slack_events_created_at"), "slack_events", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_slack_events_created_at"), table_name="slack_events")
    op.drop_table("slack_events")
    op.drop_index(op.f("ix_slack_threads_owner_id"), table_name="slack_threads")
    op.drop_table("slack_threads")
