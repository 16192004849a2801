"""Networks and their rounds: which session a round follows, the templates each session ran
with, and the steps a round promoted for the next one.

Revision ID: 0010_rounds
Revises: 0009_agenda_blocks

Sessions stored before this migration follow no round and have no templates recorded: their
history reads with the templates of the day (matched by activity and option id).
"""
from alembic import op
import sqlalchemy as sa

revision = "0010_rounds"
down_revision = "0009_agenda_blocks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "template_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("follows_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("template_version_id", sa.Integer, nullable=True))
    op.create_table(
        "carried_steps",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("activity_id", sa.String(80), nullable=False),
        sa.Column("item", sa.String(80), nullable=False),
        sa.Column("text", sa.Text, nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_carried_session", "carried_steps", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_carried_session", table_name="carried_steps")
    op.drop_table("carried_steps")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("template_version_id")
        batch.drop_column("follows_id")
    op.drop_table("template_versions")
