"""The day's plan as time-boxed blocks: the record the store hands out, and the pure arithmetic
of the day (start times from the day's start, the running block, how far the day runs over).

A block lasts ``minutes``; its start time follows from the day's start and the blocks before it.
The block started last (``started_at``) is the one that runs; a block runs over when it has run
longer than its minutes, the day when what is left of the running block and the blocks after it
end later than the plan. Times of day are minutes from midnight and read the Finnish way,
``9.15``. Light: the participant's page reads the plan too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Iterable, Sequence

from ..errors import VertaisetInputError

__all__ = [
    "blocks_of",
    "AgendaBlock",
    "DEFAULT_DAY_START",
    "DayStatus",
    "block_name",
    "MAX_MINUTES",
    "clock",
    "day_status",
    "from_times",
    "parse_minutes",
    "parse_time",
    "running_block",
    "scheduled",
]

#: Where a day starts when nothing says otherwise.
DEFAULT_DAY_START = "9.00"
#: The longest block (a whole day).
MAX_MINUTES = 720
#: A YAML agenda's last item, with no next time to run to, lasts this long.
LAST_ITEM_MINUTES = 30
_TIME = re.compile(r"^\s*([0-2]?[0-9])[.:]([0-5][0-9])\s*$")


def parse_time(text: str | None) -> int:
    """``"9.15"`` (or ``"9:15"``) as minutes from midnight.

    Raises
    ------
    VertaisetInputError
        With the code ``time`` for anything else.
    """
    match = _TIME.match(str(text or ""))
    if not match or int(match.group(1)) > 23:
        raise VertaisetInputError(f"not a time of day: {text!r}", code="time")
    return int(match.group(1)) * 60 + int(match.group(2))


def clock(minutes: int) -> str:
    """Minutes from midnight as a time of day, the Finnish way (``9.05``; past midnight wraps)."""
    minutes %= 24 * 60
    return f"{minutes // 60}.{minutes % 60:02d}"


def parse_minutes(value: object) -> int:
    """A block's length in whole minutes, 1 to :data:`MAX_MINUTES`.

    Raises
    ------
    VertaisetInputError
        With the code ``minutes`` for anything else.
    """
    try:
        minutes = int(str(value).strip())
    except (TypeError, ValueError):
        raise VertaisetInputError(f"not a number of minutes: {value!r}", code="minutes") from None
    if not 1 <= minutes <= MAX_MINUTES:
        raise VertaisetInputError(f"a block lasts 1 to {MAX_MINUTES} minutes, got {minutes}", code="minutes")
    return minutes


@dataclass(frozen=True)
class AgendaBlock:
    """One block of the day's plan.

    ``title`` is the facilitator's words (None: the activity's title names it); ``mode`` a
    learning mode's id (opettaminen, fasilitointi, emännöinti); ``workbook`` and ``activity_id``
    the activity it runs, if any; ``starts_at`` its start time (computed, ``9.15``);
    ``started_at`` when the facilitator last started it (UTC), None if never.
    """

    position: int
    minutes: int
    title: str | None = None
    mode: str | None = None
    is_break: bool = False
    workbook: str | None = None
    activity_id: str | None = None
    starts_at: str | None = None
    started_at: datetime | None = None
    #: the block's own key, kept through moves and edits (the store gives a new block one)
    key: str | None = None

    @property
    def start(self) -> int:
        """The start time in minutes from midnight."""
        return parse_time(self.starts_at or DEFAULT_DAY_START)

    @property
    def end(self) -> int:
        """The planned end in minutes from midnight."""
        return self.start + self.minutes

    @property
    def ends_at(self) -> str:
        """The planned end as a time of day."""
        return clock(self.end)

    def seconds_left(self, now: datetime | None = None) -> int | None:
        """Seconds until the block's time is up (negative: running over), None if never started."""
        if self.started_at is None:
            return None
        at = self.started_at if self.started_at.tzinfo else self.started_at.replace(tzinfo=timezone.utc)
        return int(self.minutes * 60 - ((now or datetime.now(timezone.utc)) - at).total_seconds())


def block_name(block: AgendaBlock, tr: object) -> str:
    """What a block is called on a page: the facilitator's title, else its activity's title (in
    ``tr``'s language), else "break" (``mp_break``)."""
    if block.title:
        return block.title
    if block.activity_id:
        try:
            return tr.text(tr.content.activity(block.activity_id).title)  # type: ignore[attr-defined]
        except KeyError:
            return block.activity_id
    return tr("mp_break") if block.is_break else "–"  # type: ignore[operator]


def scheduled(blocks: Iterable[AgendaBlock], day_start: str | None = None) -> list[AgendaBlock]:
    """The blocks in order, renumbered, each starting where the one before ends (the first at
    ``day_start``, default the first block's own time or :data:`DEFAULT_DAY_START`)."""
    blocks = list(blocks)
    start = parse_time(day_start or (blocks[0].starts_at if blocks else None) or DEFAULT_DAY_START)
    out = []
    for i, block in enumerate(blocks):
        out.append(replace(block, position=i, starts_at=clock(start)))
        start += block.minutes
    return out


def running_block(blocks: Sequence[AgendaBlock]) -> AgendaBlock | None:
    """The block started last (it runs until another starts), or None."""
    started = [b for b in blocks if b.started_at is not None]
    return max(started, key=lambda b: _utc(b.started_at)) if started else None


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class DayStatus:
    """Where the day stands: the running block, its seconds left (negative: over its time),
    the planned and projected end of the day (minutes from midnight) and the difference."""

    running: AgendaBlock | None
    seconds_left: int | None
    planned_end: int | None
    projected_end: int | None

    @property
    def block_over_minutes(self) -> int:
        """How many whole minutes the running block has run past its time (0: not over)."""
        return max(0, -(self.seconds_left or 0)) // 60

    @property
    def day_over_minutes(self) -> int:
        """How many minutes later than planned the day ends at this pace (0: on time or early)."""
        if self.projected_end is None or self.planned_end is None:
            return 0
        return max(0, self.projected_end - self.planned_end)


def day_status(blocks: Sequence[AgendaBlock], now: datetime | None = None) -> DayStatus:
    """The day's status at ``now`` (aware; default: now). The projected end is the local time of
    day now, plus what is left of the running block, plus the minutes of the blocks after it."""
    now = now or datetime.now(timezone.utc)
    planned = blocks[-1].end if blocks else None
    running = running_block(blocks)
    if running is None:
        return DayStatus(None, None, planned, None)
    left = running.seconds_left(now) or 0
    local = now.astimezone()
    after = sum(b.minutes for b in blocks if b.position > running.position)
    projected = local.hour * 60 + local.minute + round(max(0, left) / 60) + after
    return DayStatus(running, left, planned, projected)


def from_times(items: Sequence[tuple[str | None, str | None, str | None]]) -> list[tuple[int, str | None]]:
    """A YAML agenda's ``(workbook, activity, time)`` items as ``(minutes, time)``: each item lasts
    until the next item's time (an item without a time, or the last, :data:`LAST_ITEM_MINUTES`)."""
    out = []
    for i, (_w, _a, when) in enumerate(items):
        nxt = items[i + 1][2] if i + 1 < len(items) else None
        minutes = LAST_ITEM_MINUTES
        if when and nxt:
            try:
                gap = parse_time(nxt) - parse_time(when)
            except VertaisetInputError:
                gap = 0
            minutes = gap if 0 < gap <= MAX_MINUTES else LAST_ITEM_MINUTES
        out.append((minutes, when))
    return out


def blocks_of(rows: Sequence[Any]) -> list[AgendaBlock]:
    """A session's ``agenda_items`` rows (mappings, in order of position) as its scheduled blocks:
    each with its start time (from the day's start, the first block's time) and its length (a
    plan older than the blocks: until the next time)."""
    lengths = from_times([(r["workbook"], r["activity_id"], r["starts_at"]) for r in rows])
    blocks = [
        AgendaBlock(position=i, minutes=r["minutes"] or lengths[i][0], title=r["title"], mode=r["mode"],
                    is_break=bool(r["is_break"]), workbook=r["workbook"], activity_id=r["activity_id"],
                    starts_at=r["starts_at"], started_at=r["started_at"], key=r["block_key"] or f"p{i}")
        for i, r in enumerate(rows)
    ]
    try:
        return scheduled(blocks)
    except VertaisetInputError:  # a time stored by hand that is none: the day starts at 9.00
        return scheduled(blocks, DEFAULT_DAY_START)
