"""What changed, per activity: the session's revision at each activity's latest write.

Revision ID: 0007_activity_revisions
Revises: 0006_attempts

No rows are filled in for older sessions: a page draws everything when it opens, and
tracks per activity the writes that come after.
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_activity_revisions"
down_revision = "0006_attempts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activity_revisions",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
        sa.Column("activity_id", sa.String(80), primary_key=True),
        sa.Column("revision", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("activity_revisions")
