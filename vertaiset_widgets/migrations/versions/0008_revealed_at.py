"""When an activity's results were revealed: phones list revealed results newest first.

Revision ID: 0008_revealed_at
Revises: 0007_activity_revisions

Activities revealed before this migration have no time: they sort after every newer reveal.
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_revealed_at"
down_revision = "0007_activity_revisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activity_states") as batch:
        batch.add_column(sa.Column("revealed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activity_states") as batch:
        batch.drop_column("revealed_at")
