"""Table definitions (SQLAlchemy Core). The schema itself is created by Alembic migrations.

Keep this file and ``migrations/versions`` in step: ``tests/test_store.py`` checks that a
migrated database has exactly these tables and columns.
"""
from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "SCHEMA_REVISION",
    "activity_revisions",
    "activity_states",
    "agenda_items",
    "answers",
    "attempts",
    "bank_shown",
    "board_entries",
    "carried_steps",
    "metadata",
    "moderation_events",
    "networks",
    "feedback",
    "participants",
    "practice_versions",
    "practices",
    "puimala",
    "puimala_materials",
    "puimala_notes",
    "sessions",
    "template_versions",
]

#: The newest migration. The store compares it with the database's ``alembic_version``
#: on open, and runs Alembic only when they differ (importing Alembic costs start-up time).
# the migration this code expects (defined beside the store's records: the light store reads it too)
from .store.rows import SCHEMA_REVISION  # noqa: E402

metadata = sa.MetaData()

networks = sa.Table(
    "networks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("network_id", sa.Integer, sa.ForeignKey("networks.id"), nullable=False),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("lang", sa.String(8), nullable=False),
    sa.Column("key_hash", sa.String(128), nullable=False),
    sa.Column("is_open", sa.Boolean, nullable=False),
    # bumped in the same transaction as every write that concerns the session: the
    # one number an open page polls to know whether anything changed (activity_revisions
    # then says what changed)
    sa.Column("revision", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # the round this one follows (``session new --follows``); None: the one before it by date
    sa.Column("follows_id", sa.Integer, nullable=True),
    # the templates the session ran with (an old round reads with its own labels)
    sa.Column("template_version_id", sa.Integer, nullable=True),
)

# Each distinct set of activity templates a session ran with, as JSON (activity id -> entry),
# stored once by its digest.
template_versions = sa.Table(
    "template_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("digest", sa.String(64), nullable=False, unique=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Steps a round promoted for the next one (append-only: "promote" or "withdraw", the last counts).
carried_steps = sa.Table(
    "carried_steps",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    sa.Column("activity_id", sa.String(80), nullable=False),
    sa.Column("item", sa.String(80), nullable=False),
    sa.Column("text", sa.Text, nullable=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_carried_session", "session_id"),
)

participants = sa.Table(
    "participants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    # the SHA-256 (hex) of a random token kept in the participant's browser, the only link
    # between a phone and its answers: a copy of the database does not let anyone act as them
    sa.Column("token", sa.String(64), nullable=False),
    sa.Column("nickname", sa.String(60), nullable=True),
    sa.Column("group_name", sa.String(60), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    # set when the participant was erased (vertaiset participant forget): the row stays as a
    # tombstone so that counts stay right, with no nickname, group or texts left
    sa.Column("forgotten_at", sa.DateTime(timezone=True), nullable=True),
    sa.UniqueConstraint("session_id", "token", name="uq_participants_session_token"),
)

activity_states = sa.Table(
    "activity_states",
    metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
    sa.Column("activity_id", sa.String(80), primary_key=True),
    sa.Column("is_open", sa.Boolean, nullable=False),
    sa.Column("is_revealed", sa.Boolean, nullable=False),
    # a reset starts a new round; the answers of earlier rounds stay in the store
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    # a countdown the screen and the participants' pages show; None: no timer
    sa.Column("timer_ends_at", sa.DateTime(timezone=True), nullable=True),
    # when the results were last revealed (None while hidden): phones list results newest first
    sa.Column("revealed_at", sa.DateTime(timezone=True), nullable=True),
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id"), nullable=False),
    sa.Column("activity_id", sa.String(80), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("item", sa.String(80), nullable=False),
    sa.Column("layer", sa.String(80), nullable=False),
    sa.Column("value_num", sa.Float, nullable=True),
    sa.Column("value_text", sa.Text, nullable=True),
    # the same submission retried (a lost acknowledgement, a double tap) is stored once
    sa.Column("idempotency_key", sa.String(120), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_answers_lookup", "session_id", "activity_id", "round", "participant_id"),
)

# The facilitator's moderation of what participants added (a wall's highlights, a network
# map's actors and ties), append-only: the latest event per item and kind (hide/show,
# pin/unpin, merge/unmerge) decides; nothing a participant wrote is deleted.
moderation_events = sa.Table(
    "moderation_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    sa.Column("activity_id", sa.String(80), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("item", sa.String(80), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("target", sa.String(80), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_moderation_lookup", "session_id", "activity_id", "round"),
)

# What changed, per activity: each write sets its activity's row (or the pseudo-activity
# "@session" for the session and its agenda, "@people" for who has joined and their
# profiles) to the session's new revision, in the write's own transaction. An open page
# polls sessions.revision, and only when it moved reads the rows above the revision it
# last saw, to redraw just those activities.
activity_revisions = sa.Table(
    "activity_revisions",
    metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
    sa.Column("activity_id", sa.String(80), primary_key=True),
    sa.Column("revision", sa.BigInteger, nullable=False),
)

# The session's plan: time-boxed blocks in order, each with an activity of a phase workbook or
# none (a break, a talk). A block's start time follows from the day's start and the blocks
# before it; the block started last is the one that runs.
agenda_items = sa.Table(
    "agenda_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("workbook", sa.String(120), nullable=True),
    sa.Column("activity_id", sa.String(80), nullable=True),
    sa.Column("starts_at", sa.String(5), nullable=True),
    # the facilitator's name for the block (None: the activity's title names it)
    sa.Column("title", sa.String(200), nullable=True),
    # how long the block lasts (None in plans older than the blocks: until the next time)
    sa.Column("minutes", sa.Integer, nullable=True),
    # the learning mode: opettaminen, fasilitointi or emännöinti (an id of the planner's modes)
    sa.Column("mode", sa.String(40), nullable=True),
    sa.Column("is_break", sa.Boolean, nullable=False, server_default=sa.false()),
    # when the facilitator last started the block
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
    # the block's own key, kept when it moves: its calendar event's UID (None in older plans)
    sa.Column("block_key", sa.String(32), nullable=True),
    sa.UniqueConstraint("session_id", "position", name="uq_agenda_position"),
)

# An agreement board as the facilitator keeps it, append-only: the latest entry per
# question and field (answer, status, owner, mode) is what the board shows.
board_entries = sa.Table(
    "board_entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    sa.Column("activity_id", sa.String(80), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("item", sa.String(80), nullable=False),
    sa.Column("field", sa.String(40), nullable=False),
    sa.Column("value", sa.Text, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_board_lookup", "session_id", "activity_id", "round"),
)

# Failed join-code and facilitator-key attempts, shared by every kernel so that guessing
# slows down however many pages the guesser opens (vertaiset_widgets.attempts). The subject
# is a hash (of the client address and, for keys, the session), never the address itself;
# rows older than a day are deleted as new ones come.
attempts = sa.Table(
    "attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scope", sa.String(16), nullable=False),
    sa.Column("subject", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_attempts_lookup", "scope", "subject", "created_at"),
)

# ---------------------------------------------------------------------- Puimala (0011)
# A session run as a Puimala, the forum in three stages (pre-work, forum, post-work): one row
# per session, its settings (changed in place; the participants' words live in the tables below).
puimala = sa.Table(
    "puimala",
    metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
    # "live" (in a room) or "online" (a verkkopuimala: the same pages used remotely)
    sa.Column("mode", sa.String(16), nullable=False),
    # the self-paced pre-work: a JSON list of activity ids, open on their own between the dates
    sa.Column("prework_activities", sa.Text, nullable=False),
    sa.Column("prework_opens", sa.DateTime(timezone=True), nullable=True),
    sa.Column("prework_closes", sa.DateTime(timezone=True), nullable=True),
    # the note-taker's own key (its hash, like the facilitator's)
    sa.Column("notes_key_hash", sa.String(128), nullable=True),
    sa.Column("notes_on_screen", sa.Boolean, nullable=False),
    sa.Column("notes_published_at", sa.DateTime(timezone=True), nullable=True),
    # the public feedback link's token (a link anyone may have: kept as it is, unique), its
    # period, and how many comments one browser or address may send per minute
    sa.Column("feedback_token", sa.String(64), nullable=True, unique=True),
    sa.Column("feedback_opens", sa.DateTime(timezone=True), nullable=True),
    sa.Column("feedback_closes", sa.DateTime(timezone=True), nullable=True),
    sa.Column("feedback_per_minute", sa.Integer, nullable=False),
    # True: a comment shows to others only once the facilitator has approved it
    sa.Column("feedback_premoderated", sa.Boolean, nullable=False),
    # whom the published notes go to: a JSON list of {"name", "kind" (network|municipal), "contact"}
    sa.Column("peers", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# The pre-work material: the core group's stories and the fact pack (texts, links, files).
# Rows are never changed but for ``withdrawn_at``.
puimala_materials = sa.Table(
    "puimala_materials",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    # story | fact | link | file
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
    sa.Index("ix_materials_session", "session_id"),
)

# The forum's notes, append-only: the latest row per agenda block (its ``block_key``; "" for
# notes outside the plan) is the block's notes.
puimala_notes = sa.Table(
    "puimala_notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    sa.Column("block", sa.String(32), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_notes_session", "session_id", "block"),
)

# Open feedback through the public link, from anyone: one row per comment. ``client`` is the
# SHA-256 of a token kept in the sender's browser (for the per-minute limit); ``idem`` makes a
# resent comment land once. Moderation sets ``hidden_at`` or ``approved_at``.
feedback = sa.Table(
    "feedback",
    metadata,
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
    sa.Index("ix_feedback_session", "session_id", "created_at"),
)

# ---------------------------------------------------------------------- practice bank (0012)
# The active practice bank, kept across networks and sessions. A practice is its versions:
# append-only, the highest ``version`` is the practice now, the earlier ones its history.
practices = sa.Table(
    "practices",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # stable across banks: an import matches practices by it
    sa.Column("uid", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

practice_versions = sa.Table(
    "practice_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("practice_id", sa.Integer, sa.ForeignKey("practices.id"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    # every field of the practice as JSON (the Innokylä-shaped description and the rest)
    sa.Column("body", sa.Text, nullable=False),
    # copies of the fields the bank filters by
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("maturity", sa.String(16), nullable=False),
    sa.Column("network", sa.String(200), nullable=True),
    sa.Column("sector", sa.String(200), nullable=True),
    sa.Column("area", sa.String(200), nullable=True),
    # the searchable text, and its words in their base forms (the search on SQLite)
    sa.Column("search_text", sa.Text, nullable=False),
    sa.Column("terms", sa.Text, nullable=False),
    # the session that fed this version (Levittäminen, a Puimala's outcome), if any. Not
    # ``session_id``: the bank outlives its sessions (a purge clears this link, nothing else).
    sa.Column("from_session_id", sa.Integer, nullable=True),
    sa.Column("changed_by", sa.String(120), nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("practice_id", "version", name="uq_practice_version"),
)

# The practice a session's facilitator has put on the room's screen (None: none).
bank_shown = sa.Table(
    "bank_shown",
    metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
    sa.Column("practice_uid", sa.String(64), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
