"""Puimala, the forum in three stages: its settings, the pre-work material, the forum's notes
and the open feedback.

Revision ID: 0011_puimala
Revises: 0010_rounds
"""
from alembic import op
import sqlalchemy as sa

revision = "0011_puimala"
down_revision = "0010_rounds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "puimala",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("prework_activities", sa.Text, nullable=False),
        sa.Column("prework_opens", sa.DateTime(timezone=True), nullable=True),
        sa.Column("prework_closes", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notes_key_hash", sa.String(128), nullable=True),
        sa.Column("notes_on_screen", sa.Boolean, nullable=False),
        sa.Column("notes_published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feedback_token", sa.String(64), nullable=True, unique=True),
        sa.Column("feedback_opens", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feedback_closes", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feedback_per_minute", sa.Integer, nullable=False),
        sa.Column("feedback_premoderated", sa.Boolean, nullable=False),
        sa.Column("peers", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "puimala_materials",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=True),
        sa.Column("url", sa.String(2000), nullable=True),
        sa.Column("filename", sa.String(255), nullable=True),
        sa.Column("media_type", sa.String(100), nullable=True),
        sa.Column("size", sa.Integer, nullable=True),
        sa.Column("content", sa.LargeBinary, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_materials_session", "puimala_materials", ["session_id"])
    op.create_table(
        "puimala_notes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("block", sa.String(32), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_notes_session", "puimala_notes", ["session_id", "block"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("name", sa.String(60), nullable=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("idem", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("session_id", "idem", name="uq_feedback_idem"),
    )
    op.create_index("ix_feedback_session", "feedback", ["session_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_feedback_session", table_name="feedback")
    op.drop_table("feedback")
    op.drop_index("ix_notes_session", table_name="puimala_notes")
    op.drop_table("puimala_notes")
    op.drop_index("ix_materials_session", table_name="puimala_materials")
    op.drop_table("puimala_materials")
    op.drop_table("puimala")
