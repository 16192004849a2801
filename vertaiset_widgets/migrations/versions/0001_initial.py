"""The first schema: networks, sessions, participants, activity states, answers.

Revision ID: 0001_initial
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "networks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("network_id", sa.Integer, sa.ForeignKey("networks.id"), nullable=False),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("key_hash", sa.String(128), nullable=False),
        sa.Column("is_open", sa.Boolean, nullable=False),
        sa.Column("revision", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("nickname", sa.String(60), nullable=True),
        sa.Column("group_name", sa.String(60), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("session_id", "token", name="uq_participants_session_token"),
    )
    op.create_table(
        "activity_states",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
        sa.Column("activity_id", sa.String(80), primary_key=True),
        sa.Column("is_open", sa.Boolean, nullable=False),
        sa.Column("is_revealed", sa.Boolean, nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id"), nullable=False),
        sa.Column("activity_id", sa.String(80), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("item", sa.String(80), nullable=False),
        sa.Column("layer", sa.String(80), nullable=False),
        sa.Column("value_num", sa.Float, nullable=True),
        sa.Column("value_text", sa.Text, nullable=True),
        sa.Column("idempotency_key", sa.String(120), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_answers_lookup", "answers", ["session_id", "activity_id", "round", "participant_id"])


def downgrade() -> None:
    op.drop_index("ix_answers_lookup", table_name="answers")
    for table in ("answers", "activity_states", "participants", "sessions", "networks"):
        op.drop_table(table)
