"""Privacy: participant tokens stored hashed; tombstones for erased participants.

Revision ID: 0005_privacy
Revises: 0004_clean_text
"""
import hashlib

from alembic import op
import sqlalchemy as sa

revision = "0005_privacy"
down_revision = "0004_clean_text"
branch_labels = None
depends_on = None


def _hash(token: str) -> str:
    # a frozen copy of store.hash_token: this migration must keep doing what it did
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("forgotten_at", sa.DateTime(timezone=True), nullable=True))
    # Every token so far is a browser's plain token: store its hash in place, so that a phone
    # coming back after the upgrade is still found (the store hashes what the phone sends).
    participants = sa.table("participants", sa.column("id", sa.Integer), sa.column("token", sa.String))
    conn = op.get_bind()
    rows = conn.execute(sa.select(participants.c.id, participants.c.token)).all()
    for row in rows:
        conn.execute(
            sa.update(participants).where(participants.c.id == row.id).values(token=_hash(row.token))
        )


def downgrade() -> None:
    # The plain tokens cannot come back: after a downgrade phones join as new participants.
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("forgotten_at")
