"""The active practice bank: practices kept across networks and sessions, each as its
append-only versions.

Revision ID: 0012_bank
Revises: 0011_puimala
"""
from alembic import op
import sqlalchemy as sa

revision = "0012_bank"
down_revision = "0011_puimala"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practices",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "practice_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("practice_id", sa.Integer, sa.ForeignKey("practices.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("maturity", sa.String(16), nullable=False),
        sa.Column("network", sa.String(200), nullable=True),
        sa.Column("sector", sa.String(200), nullable=True),
        sa.Column("area", sa.String(200), nullable=True),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("terms", sa.Text, nullable=False),
        sa.Column("from_session_id", sa.Integer, nullable=True),
        sa.Column("changed_by", sa.String(120), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("practice_id", "version", name="uq_practice_version"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # the bank's search on PostgreSQL: its own Finnish text search over the searchable text
        op.execute(
            "CREATE INDEX ix_practice_versions_fts ON practice_versions "
            "USING gin (to_tsvector('finnish'::regconfig, search_text))"
        )
    op.create_table(
        "bank_shown",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
        sa.Column("practice_uid", sa.String(64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bank_shown")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_practice_versions_fts")
    op.drop_table("practice_versions")
    op.drop_table("practices")
