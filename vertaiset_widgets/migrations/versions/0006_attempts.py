"""Failed join-code and facilitator-key attempts, so every kernel slows guessing down.

Revision ID: 0006_attempts
Revises: 0005_privacy
"""
from alembic import op
import sqlalchemy as sa

revision = "0006_attempts"
down_revision = "0005_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_attempts_lookup", "attempts", ["scope", "subject", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_attempts_lookup", table_name="attempts")
    op.drop_table("attempts")
