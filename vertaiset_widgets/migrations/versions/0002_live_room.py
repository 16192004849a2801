"""The live room: activity timers, moderation of highlights, the session's agenda.

Revision ID: 0002_live_room
Revises: 0001_initial
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_live_room"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activity_states") as batch:
        batch.add_column(sa.Column("timer_ends_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "moderation_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("activity_id", sa.String(80), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("item", sa.String(80), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("target", sa.String(80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_moderation_lookup", "moderation_events", ["session_id", "activity_id", "round"])
    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("workbook", sa.String(120), nullable=False),
        sa.Column("activity_id", sa.String(80), nullable=False),
        sa.Column("starts_at", sa.String(5), nullable=True),
        sa.UniqueConstraint("session_id", "position", name="uq_agenda_position"),
    )


def downgrade() -> None:
    op.drop_table("agenda_items")
    op.drop_index("ix_moderation_lookup", table_name="moderation_events")
    op.drop_table("moderation_events")
    with op.batch_alter_table("activity_states") as batch:
        batch.drop_column("timer_ends_at")
