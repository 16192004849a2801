"""Agreement boards: the facilitator's entries (answer, status, owner, decision mode) per question.

Revision ID: 0003_boards
Revises: 0002_live_room
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_boards"
down_revision = "0002_live_room"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "board_entries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("activity_id", sa.String(80), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("item", sa.String(80), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("value", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_board_lookup", "board_entries", ["session_id", "activity_id", "round"])


def downgrade() -> None:
    op.drop_index("ix_board_lookup", table_name="board_entries")
    op.drop_table("board_entries")
