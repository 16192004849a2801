"""Clean stored text: NFC, and no characters that XML, spreadsheets or the chart library cannot take.

Rows written before the store cleaned its input may hold a control character (in a
nickname, a group, an actor's name ...) that makes vl-convert abort the kernel, openpyxl
refuse the export and GraphML unreadable. This rewrites every text column of every table
with those characters removed (see :mod:`vertaiset_widgets.text`), so an old database
works as soon as it is opened.

Left as they are: primary keys (activity ids from the templates), and the identities that
are compared byte for byte and never shown: the join code, the key's hash, the browser
token (a phone must still find its participant) and the answers' idempotency keys.

Revision ID: 0004_clean_text
Revises: 0003_boards
"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa

revision = "0004_clean_text"
down_revision = "0003_boards"
branch_labels = None
depends_on = None

# A frozen copy of vertaiset_widgets.text.clean: this migration must keep doing what it did.
_SPACE_LIKE = re.compile("[\x0b\x0c\x1c-\x1f\x85]")
_NONCHARACTERS = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}-{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
_UNSAFE = re.compile(f"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")

_IDENTITIES = {("sessions", "code"), ("sessions", "key_hash"), ("participants", "token"), ("answers", "idempotency_key")}


def _clean(value: str) -> str:
    return unicodedata.normalize("NFC", _UNSAFE.sub("", _SPACE_LIKE.sub(" ", value)))


def upgrade() -> None:
    conn = op.get_bind()
    meta = sa.MetaData()
    meta.reflect(bind=conn)
    for table in meta.sorted_tables:
        if table.name == "alembic_version":
            continue
        keys = list(table.primary_key.columns)
        texts = [
            c for c in table.columns
            if isinstance(c.type, sa.String) and not c.primary_key and (table.name, c.name) not in _IDENTITIES
        ]
        if not keys or not texts:
            continue
        changes = []
        for row in conn.execute(sa.select(*keys, *texts)).mappings():
            new = {}
            for col in texts:
                old = row[col.name]
                if isinstance(old, str) and _clean(old) != old:
                    cleaned = _clean(old)
                    # an optional text that was nothing but such characters becomes no text
                    new[col.name] = None if col.nullable and not cleaned.strip() else cleaned
            if new:
                changes.append(({k.name: row[k.name] for k in keys}, new))
        # written after reading: no update while the table's cursor is still open
        for where, values in changes:
            conn.execute(sa.update(table).where(*(table.c[k] == v for k, v in where.items())).values(**values))


def downgrade() -> None:
    # Nothing to undo: the removed characters were never meant to be there, and cannot come back.
    pass
