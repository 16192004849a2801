"""The day's plan as time-boxed blocks: a title, minutes, a learning mode, breaks, and when a
block was started; a block needs no activity (a break, a talk).

Revision ID: 0009_agenda_blocks
Revises: 0008_revealed_at

Plans stored before this migration keep their items and times; their blocks get their minutes
from the times when they are read (each item lasts until the next one's time).
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_agenda_blocks"
down_revision = "0008_revealed_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agenda_items") as batch:
        batch.alter_column("workbook", existing_type=sa.String(120), nullable=True)
        batch.alter_column("activity_id", existing_type=sa.String(80), nullable=True)
        batch.add_column(sa.Column("title", sa.String(200), nullable=True))
        batch.add_column(sa.Column("minutes", sa.Integer, nullable=True))
        batch.add_column(sa.Column("mode", sa.String(40), nullable=True))
        batch.add_column(sa.Column("is_break", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("block_key", sa.String(32), nullable=True))


def downgrade() -> None:
    # blocks without an activity had no place in the old plan
    op.execute("DELETE FROM agenda_items WHERE workbook IS NULL OR activity_id IS NULL")
    with op.batch_alter_table("agenda_items") as batch:
        for column in ("block_key", "started_at", "is_break", "mode", "minutes", "title"):
            batch.drop_column(column)
        batch.alter_column("activity_id", existing_type=sa.String(80), nullable=False)
        batch.alter_column("workbook", existing_type=sa.String(120), nullable=False)
