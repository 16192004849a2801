"""The active practice bank (the store's part): practices kept across networks and sessions,
each an append-only list of versions, searched in Finnish base forms.

A change is a new version; the highest version is the practice now. On SQLite the search
matches the words' base forms (``terms``, made with simplemma: *verkosto* finds
*verkostoissa*); on PostgreSQL also the database's own Finnish text search, ranked by
``ts_rank``.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from .. import schema as t
if TYPE_CHECKING:
    from ..bank_model import PracticeFields

#: The maturity steps, lowest first (``bank_model`` validates against these).
MATURITY = ("kiinnostava", "lupaava", "hyva", "kestava")
from ..errors import VertaisetInputError
from ..revisions import SESSION_KEY
from .rows import _clean_line, _clean_text, _now

__all__ = ["MATURITY", "BankMixin", "Practice", "VersionIn"]


def _model():
    """The practice's models and its words' base forms (pydantic models, simplemma): imported when
    the bank is first used, not by every page that opens the store (a participant's kernel)."""
    from .. import bank_model

    return bank_model

_UID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
#: query words this long also find the compounds they begin (verkosto → verkostotyö)
_PREFIX_MIN = 5


@dataclass(frozen=True)
class Practice:
    """One version of a practice (the latest, unless asked for its history)."""

    uid: str
    version: int
    #: the validated body (:class:`~vertaiset_widgets.bank_model.PracticeFields` as JSON)
    fields: dict
    name: str
    maturity: str
    network: str | None
    sector: str | None
    area: str | None
    #: the code of the session that fed this version, if it still exists
    from_session: str | None
    changed_by: str | None
    note: str | None
    created_at: datetime

    @property
    def profile(self) -> dict | None:
        """The 360 profile (direction id → 0–5), or None."""
        return self.fields.get("profile") or None

    @property
    def summary(self) -> str:
        """The short description, or ""."""
        return self.fields.get("summary") or ""


@dataclass(frozen=True)
class VersionIn:
    """A version to add as it was elsewhere (an import, the demo): with its own time, or
    ``created_at`` None for a new version now (added only when it differs from the latest)."""

    fields: Any
    changed_by: str | None = None
    note: str | None = None
    created_at: datetime | None = None
    #: the join code of the session that fed it (linked when this bank has that session)
    from_session: str | None = None


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _check_uid(uid: str) -> str:
    if not isinstance(uid, str) or not _UID.match(uid):
        raise VertaisetInputError(f"a practice's id is 1–64 letters, digits, - or _ (not {str(uid)[:80]!r})")
    return uid


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class _Prepared:
    """A version's columns, computed once from its validated fields."""

    def __init__(self, fields: "PracticeFields"):
        self.fields = fields
        self.body = _model().canonical_json(fields)
        self.search_text = _model().search_text(fields)

    def values(self) -> dict[str, Any]:
        """The version's columns; the base forms only now (a version already there needs none)."""
        f = self.fields
        return {
            "body": self.body, "name": f.name, "maturity": f.maturity, "network": f.network, "sector": f.sector,
            "area": f.area, "search_text": self.search_text, "terms": " ".join(_model().base_forms(self.search_text)),
        }


class BankMixin:
    """The store's practice bank (:class:`~vertaiset_widgets.store.SessionStore`)."""

    # ------------------------------------------------------------------ writing
    def save_practice(
        self,
        fields: dict,
        *,
        uid: str | None = None,
        changed_by: str | None = None,
        note: str | None = None,
        from_session_id: int | None = None,
    ) -> Practice:
        """Save a practice: a new one (``uid`` None), or the next version of ``uid``.

        A save identical to the latest version adds nothing and returns the latest. An unknown
        ``uid`` makes a practice with that id.

        Raises
        ------
        VertaisetInputError
            A field is not valid (:class:`~vertaiset_widgets.bank_model.PracticeInvalid` names it),
            the id is malformed, or ``from_session_id`` names no session.
        """
        prepared = _Prepared(_model().validate_practice(fields))
        if uid is not None:
            _check_uid(uid)
        who, why = _clean_line(changed_by, 120), _clean_text(note)

        def run(conn: Connection) -> str:
            if from_session_id is not None and conn.execute(
                sa.select(t.sessions.c.id).where(t.sessions.c.id == from_session_id)
            ).scalar() is None:
                raise VertaisetInputError(f"no session #{from_session_id}")
            key = uid or secrets.token_urlsafe(12)
            self._append_version(conn, key, prepared, who, why, from_session_id, None, only_if_new=True)
            return key

        for attempt in range(5):  # two writers of one practice on PostgreSQL: the later one retries
            try:
                return self.practice(self._write(run))  # type: ignore[return-value]
            except IntegrityError:
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def import_practices(self, items: Sequence[tuple[str, Sequence[VersionIn]]]) -> tuple[int, int]:
        """Add practices' versions in one transaction; return (new practices, new versions).

        A version with its own ``created_at`` is added unless the practice already has one
        with the same fields, author, note and time; one without it is added when it differs
        from the latest. Importing the same versions twice changes nothing.
        """
        checked = []
        for uid, versions in items:
            _check_uid(uid)
            checked.append((uid, [(_Prepared(_model().validate_practice(v.fields)), v) for v in versions]))

        def run(conn: Connection) -> tuple[int, int]:
            codes = {v.from_session for _, vs in checked for _, v in vs if v.from_session}
            sessions = dict(conn.execute(
                sa.select(t.sessions.c.code, t.sessions.c.id).where(t.sessions.c.code.in_(codes))
            ).all()) if codes else {}
            new_practices = new_versions = 0
            for uid, versions in checked:
                pid = conn.execute(sa.select(t.practices.c.id).where(t.practices.c.uid == uid)).scalar()
                new_practices += pid is None and bool(versions)
                for prepared, v in versions:
                    new_versions += self._append_version(
                        conn, uid, prepared, _clean_line(v.changed_by, 120), _clean_text(v.note),
                        sessions.get(v.from_session), v.created_at, only_if_new=v.created_at is None,
                    )
            return new_practices, new_versions

        return self._write(run)

    @staticmethod
    def _append_version(
        conn: Connection, uid: str, prepared: _Prepared, changed_by: str | None, note: str | None,
        from_session_id: int | None, created_at: datetime | None, *, only_if_new: bool,
    ) -> int:
        """Add one version in the caller's transaction (1) or nothing (0): see :meth:`import_practices`."""
        p, pv = t.practices, t.practice_versions
        when = _utc(created_at) if created_at is not None else _now()
        pid = conn.execute(sa.select(p.c.id).where(p.c.uid == uid)).scalar()
        if pid is None:
            pid = conn.execute(sa.insert(p).values(uid=uid, created_at=when).returning(p.c.id)).scalar_one()
        rows = conn.execute(
            sa.select(pv.c.version, pv.c.body, pv.c.changed_by, pv.c.note, pv.c.created_at)
            .where(pv.c.practice_id == pid).order_by(pv.c.version)
        ).all()
        if only_if_new:
            if rows and rows[-1].body == prepared.body:
                return 0
        elif any(
            r.body == prepared.body and r.changed_by == changed_by and r.note == note and _utc(r.created_at) == when
            for r in rows
        ):
            return 0
        conn.execute(sa.insert(pv).values(
            practice_id=pid, version=(rows[-1].version if rows else 0) + 1, from_session_id=from_session_id,
            changed_by=changed_by, note=note, created_at=when, **prepared.values(),
        ))
        return 1

    def show_practice(self, session_id: int, uid: str | None) -> None:
        """Put a practice on the room's screen (``uid`` None: take it off)."""
        self.session_by_id(session_id)  # type: ignore[attr-defined]  # an unknown session raises
        if uid is not None and self.practice(uid) is None:
            raise VertaisetInputError(f"no practice {str(uid)[:80]!r} in the bank", code="unknown")
        bs = t.bank_shown

        def run(conn: Connection) -> None:
            values = {"practice_uid": uid, "updated_at": _now()}
            changed = conn.execute(sa.update(bs).where(bs.c.session_id == session_id).values(**values)).rowcount
            if not changed:
                conn.execute(sa.insert(bs).values(session_id=session_id, **values))
            self._bump(conn, session_id, SESSION_KEY)  # type: ignore[attr-defined]

        self._write(run)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ reading
    def shown_practice(self, session_id: int) -> str | None:
        """The uid of the practice on the session's screen, or None."""
        with self.engine.connect() as conn:  # type: ignore[attr-defined]
            return conn.execute(
                sa.select(t.bank_shown.c.practice_uid).where(t.bank_shown.c.session_id == session_id)
            ).scalar()

    def practice_on_screen(self, session_id: int) -> tuple[str, datetime] | None:
        """The practice on the session's screen and when it was put there, or None."""
        bs = t.bank_shown
        with self.engine.connect() as conn:  # type: ignore[attr-defined]
            row = conn.execute(sa.select(bs.c.practice_uid, bs.c.updated_at).where(bs.c.session_id == session_id)).first()
        if row is None or row.practice_uid is None:
            return None
        at = row.updated_at
        return row.practice_uid, at if at.tzinfo else at.replace(tzinfo=timezone.utc)

    def practice(self, uid: str) -> Practice | None:
        """The latest version of a practice, or None."""
        found = self._read_practices(self._latest_query().where(t.practices.c.uid == uid))
        return found[0] if found else None

    def practice_versions(self, uid: str) -> list[Practice]:
        """Every version of a practice, oldest first ([] for an unknown one)."""
        pv = t.practice_versions
        return self._read_practices(self._versions_query().where(t.practices.c.uid == uid).order_by(pv.c.version))

    def maturity_moves(self, uid: str) -> list[tuple[datetime, str | None, str, str | None]]:
        """How the practice moved along the maturity steps: (when, from, to, by), the first from None."""
        moves: list[tuple[datetime, str | None, str, str | None]] = []
        before: str | None = None
        for version in self.practice_versions(uid):
            if version.maturity != before:
                moves.append((version.created_at, before, version.maturity, version.changed_by))
                before = version.maturity
        return moves

    def practices(
        self,
        *,
        query: str = "",
        maturity: Iterable[str] = (),
        sector: Iterable[str] = (),
        area: Iterable[str] = (),
        network: Iterable[str] = (),
        limit: int = 200,
    ) -> list[Practice]:
        """The practices now (their latest versions), filtered; by relevance with a query, else by name.

        Every word of ``query`` must be found, in any inflected form (*verkosto* finds
        *verkostoissa*); a word of five letters or more also finds the compounds it begins.
        """
        pv = t.practice_versions
        sql = self._latest_query()
        for column, wanted in (("maturity", maturity), ("sector", sector), ("area", area), ("network", network)):
            wanted = [w for w in wanted if w]
            if wanted:
                sql = sql.where(pv.c[column].in_(wanted))
        words = _model().base_forms(query) if query and query.strip() else []
        if not words:
            return self._read_practices(sql.order_by(pv.c.name, t.practices.c.uid).limit(max(0, limit)))
        padded = sa.literal(" ") + pv.c.terms + sa.literal(" ")
        by_terms = sa.and_(*(
            sa.or_(
                padded.like(f"% {_like_escape(w)} %", escape="\\"),
                *([padded.like(f"% {_like_escape(w)}%", escape="\\")] if len(w) >= _PREFIX_MIN else []),
            )
            for w in words
        ))
        rank = None
        if self.engine.dialect.name == "postgresql":  # type: ignore[attr-defined]
            finnish = sa.literal_column("'finnish'::regconfig")
            vector = sa.func.to_tsvector(finnish, pv.c.search_text)
            asked = sa.func.plainto_tsquery(finnish, query)
            rank = sa.func.ts_rank(vector, asked).label("rank")
            sql = sql.add_columns(rank).where(sa.or_(vector.op("@@")(asked), by_terms))
        else:
            sql = sql.where(by_terms)
        with self.engine.connect() as conn:  # type: ignore[attr-defined]
            rows = conn.execute(sql).mappings().all()
        scored = []
        for row in rows:
            terms = row["terms"].split()
            in_name = set(_model().base_forms(row["name"]))
            score = sum(
                sum(1 for term in terms if term == w or (len(w) >= _PREFIX_MIN and term.startswith(w))) + 2 * (w in in_name)
                for w in words
            )
            scored.append((-(row["rank"] if rank is not None else 0.0), -score, row["name"], row["uid"], row))
        scored.sort(key=lambda s: s[:4])
        return [self._to_practice(s[4]) for s in scored[: max(0, limit)]]

    def bank_facets(self) -> dict[str, list[str]]:
        """The networks, sectors and areas the practices now name, each sorted."""
        latest = self._latest_query().subquery()
        out: dict[str, list[str]] = {}
        with self.engine.connect() as conn:  # type: ignore[attr-defined]
            for column in ("network", "sector", "area"):
                values = conn.execute(sa.select(latest.c[column]).where(latest.c[column].isnot(None)).distinct()).scalars()
                out[column] = sorted(values, key=lambda v: (v.casefold(), v))
        return out

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _versions_query() -> sa.Select:
        pv, p, s = t.practice_versions, t.practices, t.sessions
        return (
            sa.select(pv, p.c.uid, s.c.code.label("session_code"))
            .join(p, p.c.id == pv.c.practice_id)
            .outerjoin(s, s.c.id == pv.c.from_session_id)
        )

    @classmethod
    def _latest_query(cls) -> sa.Select:
        pv = t.practice_versions
        newest = (
            sa.select(pv.c.practice_id, sa.func.max(pv.c.version).label("newest"))
            .group_by(pv.c.practice_id).subquery()
        )
        return cls._versions_query().join(
            newest, sa.and_(newest.c.practice_id == pv.c.practice_id, newest.c.newest == pv.c.version)
        )

    def _read_practices(self, sql: sa.Select) -> list[Practice]:
        with self.engine.connect() as conn:  # type: ignore[attr-defined]
            return [self._to_practice(row) for row in conn.execute(sql).mappings().all()]

    @staticmethod
    def _to_practice(row: Any) -> Practice:
        import json

        return Practice(
            uid=row["uid"], version=row["version"], fields={**_model().DEFAULTS, **json.loads(row["body"])}, name=row["name"],
            maturity=row["maturity"], network=row["network"], sector=row["sector"], area=row["area"],
            from_session=row["session_code"], changed_by=row["changed_by"], note=row["note"],
            created_at=_utc(row["created_at"]),
        )
