"""The wall's data: posting, editing, +1s, and the wall as it stands (its read model).

A highlight is rows in ``answers``: its text (layer ``text``, every edit a new row), its tag
(``tag``) and each participant's +1 (``vote``: 1 or 0, the latest counts). Moderation (hide,
pin, merge) is the store's general moderation log. Light: the participant's kernel uses it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from ... import text as _text
from ...errors import VertaisetActivityClosedError, VertaisetInputError
from ...store import AnswerInput, Participant

if TYPE_CHECKING:
    from ...i18n import Translator
    from ...store import SessionStore
    from .model import Highlights

__all__ = [
    "VOTES", "Highlight", "edit_highlight", "post_highlight", "read_wall", "vote", "wall_items", "wall_texts",
    "wall_voters",
]

#: The part of a wall that a +1 changes: pages that show only the counts re-read just those.
VOTES = "votes"


@dataclass(frozen=True)
class Highlight:
    """One highlight (*nosto*) on the wall, as it stands now."""

    item: str
    participant_id: int
    nickname: str | None
    group_name: str | None
    text: str | None
    tag: str | None
    created_at: datetime
    edited: bool
    voters: frozenset[int]
    hidden: bool
    pinned: bool
    merged_into: str | None

    @property
    def withdrawn(self) -> bool:
        """True when its author took it back."""
        return self.text is None

    @property
    def visible(self) -> bool:
        """True when it belongs on the wall (not withdrawn, hidden or merged into another)."""
        return not (self.withdrawn or self.hidden or self.merged_into)


# ---------------------------------------------------------------------- writing
def _check_text(text: str | None, max_length: int) -> str:
    raw = " ".join(str(text or "").split())
    clean = _text.clean_line(raw)
    if not raw:
        raise VertaisetInputError("a highlight needs some text", code="empty")
    if clean is None:  # something was typed, but nothing of it shows (zero-width characters, controls)
        raise VertaisetInputError("a highlight needs visible text", code="invisible")
    if len(clean) > max_length:
        raise VertaisetInputError(f"a highlight may have at most {max_length} characters", code="too_long")
    return clean


def post_highlight(
    store: "SessionStore", participant: Participant, activity_id: str, text: str, *,
    tag: str | None = None, submission_id: str, max_length: int = 280, per_minute: int = 6,
) -> str:
    """Post a new highlight; return its id. The same submission sent twice posts once.

    Raises
    ------
    VertaisetInputError
        ``code`` is ``empty``, ``invisible``, ``too_long`` or ``too_many`` (more than
        ``per_minute`` new highlights from one participant in the last minute).
    """
    text = _check_text(text, max_length)
    item = "h" + hashlib.sha256(f"{participant.id}\x1f{submission_id}".encode()).hexdigest()[:24]

    if not store.has_item(participant.session_id, item):  # the same submission again posts once
        if store.items_since(participant, activity_id, "text", datetime.now(timezone.utc) - timedelta(seconds=60)) >= per_minute:
            raise VertaisetInputError("too many highlights in a minute", code="too_many")
    store.submit(
        participant, activity_id,
        [AnswerInput(item, "text", value_text=text), AnswerInput(item, "tag", value_text=tag or None)],
        submission_id=submission_id,
    )
    return item


def edit_highlight(
    store: "SessionStore", participant: Participant, activity_id: str, item: str, text: str | None, *,
    tag: str | None = None, submission_id: str, max_length: int = 280,
) -> None:
    """Change (or, with ``text=None``, withdraw) one's own highlight while the activity is open.

    Withdrawing erases the highlight's texts (every earlier version too): the rows stay,
    without text, so the wall still counts it as posted and withdrawn.
    """
    if text is not None:
        text = _check_text(text, max_length)
    if _author(store, participant.session_id, item) != participant.id:
        raise VertaisetInputError("only its author can change a highlight", code="not_yours")
    answers = [AnswerInput(item, "text", value_text=text)]
    if text is not None:
        answers.append(AnswerInput(item, "tag", value_text=tag or None))
    store.submit(participant, activity_id, answers, submission_id=submission_id)
    if text is None:
        from ...privacy import scrub_items

        scrub_items(store, participant, activity_id, [item])


def vote(store: "SessionStore", participant: Participant, activity_id: str, item: str, on: bool = True, *,
         submission_id: str) -> None:
    """+1 (or take back the +1 of) someone else's highlight; one vote per participant.

    +1s count only while the wall is open and its results are revealed: a hidden or closed
    wall takes none (a phone that still shows the wall gets a clear message). The write
    changes the wall's :data:`VOTES` part only.

    Raises
    ------
    VertaisetActivityClosedError
        The wall is closed or not revealed.
    """
    state = store.activity_state(participant.session_id, activity_id)
    if not (state.is_open and state.is_revealed):
        raise VertaisetActivityClosedError(f"activity {activity_id!r} takes no +1s now")
    author = _author(store, participant.session_id, item)
    if author is None:
        raise VertaisetInputError("no such highlight", code="unknown")
    if author == participant.id:
        raise VertaisetInputError("one cannot +1 one's own highlight", code="own")
    store.submit(
        participant, activity_id, [AnswerInput(item, "vote", value_num=1.0 if on else 0.0)],
        submission_id=submission_id, require_open=False, part=VOTES,
    )


def _author(store: "SessionStore", session_id: int, item: str) -> int | None:
    return store.item_author(session_id, item, "text")


# ---------------------------------------------------------------------- reading
def wall_voters(store: "SessionStore", session_id: int, activity_id: str, round: int) -> dict[str, set[int]]:
    """Who has +1'd each highlight (before merges pool them): one light read of the votes alone."""
    rows = store.latest_values(session_id, activity_id, round, "vote")
    voters: dict[str, set[int]] = {}
    for item, who, on in rows:
        if on:
            voters.setdefault(item, set()).add(who)
    return voters


def _root(merged: dict[str, str], item: str) -> str:
    seen = set()
    while item in merged and item not in seen:
        seen.add(item)
        item = merged[item]
    return item


def pooled(voters: dict[str, set[int]], merged: dict[str, str]) -> dict[str, frozenset[int]]:
    """Each highlight's +1s, those of highlights merged into it included (each voter once)."""
    pool: dict[str, set[int]] = {}
    for item, who in voters.items():
        pool.setdefault(_root(merged, item), set()).update(who)
    out = {item: frozenset(who) for item, who in pool.items()}
    for item in merged:  # a merged one keeps its own +1s (shown nowhere, exported)
        out[item] = frozenset(voters.get(item, set()))
    return out


def read_wall(store: "SessionStore", session_id: int, activity_id: str, *, round: int | None = None) -> list[Highlight]:
    """Every highlight of the activity's round (withdrawn, hidden and merged ones too), oldest first.

    Votes of a merged highlight count for the one it was merged into (each voter once).
    """
    if round is None:
        round = store.activity_state(session_id, activity_id).round
    history = store.answers(session_id, activity_id, round=round, latest=False)
    first_seen: dict[str, Any] = {}
    edits: dict[str, int] = {}
    latest: dict[tuple[int, str, str], Any] = {}
    for r in history:
        latest[(r.participant_id, r.item, r.layer)] = r
        if r.layer == "text":
            first_seen.setdefault(r.item, r)
            edits[r.item] = edits.get(r.item, 0) + 1
    texts: dict[str, Any] = {}
    tags: dict[str, str | None] = {}
    voters: dict[str, set[int]] = {}
    for (who, item, layer), r in latest.items():
        if layer == "text":
            texts[item] = r
        elif layer == "tag":
            tags[item] = r.value_text
        elif layer == "vote" and r.value_num:
            voters.setdefault(item, set()).add(who)
    marks = store.moderation(session_id, activity_id, round=round)
    merged = {item: target for (item, kind), (action, target) in marks.items() if kind == "merged" and action == "merge"}
    votes = pooled(voters, merged)
    return [
        Highlight(
            item=item,
            participant_id=first.participant_id,
            nickname=first.nickname,
            group_name=first.group_name,
            text=texts.get(item, first).value_text,
            tag=tags.get(item),
            created_at=first.created_at,
            edited=edits.get(item, 1) > 1,
            voters=votes.get(item, frozenset()),
            hidden=marks.get((item, "hidden"), ("show", None))[0] == "hide",
            pinned=marks.get((item, "pinned"), ("unpin", None))[0] == "pin",
            merged_into=_root(merged, item) if item in merged else None,
        )
        for item, first in first_seen.items()
    ]


# ---------------------------------------------------------------------- the wall widget's data
def wall_texts(tr: "Translator", activity: "Highlights", title: str = "") -> dict[str, str]:
    """The wall's button and label texts in the page's language."""
    keys = [
        "vote", "unvote", "edit", "withdraw", "hide", "show", "pin", "unpin", "merge", "merge_into",
        "pinned", "hidden", "merged", "votes", "save", "cancel", "edit_label", "tag_label", "no_tag",
    ]
    out = {k: tr(f"wall_{k}") for k in keys}
    out["title"] = title
    out["empty"] = tr("wall_empty")
    return out


def wall_items(
    highlights: list[Highlight], activity: "Highlights", tr: "Translator", *, viewer: int | None = None,
    include_hidden: bool = False, show_author: bool = False,
) -> list[dict[str, Any]]:
    """Highlights as the wall widget wants them: pinned first, then by votes, then oldest first.

    ``seq`` is each one's place in the order they were posted: the browser gets the items in
    that order and sorts them by their +1s itself (:class:`~vertaiset_widgets.forms.WallView`).
    """
    tags = {tg.id: tr.label(tg) for tg in activity.tags}
    merged_counts: dict[str, int] = {}
    for h in highlights:
        if h.merged_into and not h.withdrawn:
            merged_counts[h.merged_into] = merged_counts.get(h.merged_into, 0) + 1
    shown = [h for h in highlights if not h.withdrawn and not h.merged_into and (include_hidden or not h.hidden)]
    seq = {h.item: n for n, h in enumerate(shown)}
    shown.sort(key=lambda h: (not h.pinned, -len(h.voters), h.created_at))
    return [
        {
            "id": h.item,
            "text": h.text or "",
            "tag": h.tag or "",
            "tag_label": tags.get(h.tag or "", ""),
            "votes": len(h.voters),
            "voted": viewer in h.voters,
            "mine": viewer == h.participant_id,
            "pinned": h.pinned,
            "hidden": h.hidden,
            "author": " · ".join(x for x in (h.nickname, h.group_name) if x) if show_author else "",
            "merged_count": merged_counts.get(h.item, 0),
            "seq": seq[h.item],
        }
        for h in shown
    ]
