"""Kiinnostava vai hyvä käytäntö for the console, the screen and the report: the room's 360
profile (the source's time layer) beside the reference shapes, each with its balance; the
reading (the nearer shape, the missing directions), the groups' profiles read the same way,
and the formula."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ...chart_base import DEFAULT_PALETTE
from ...chart_render import to_svg
from ...html_blocks import esc, svg_img
from ...results import _Results, _table
from ...store import ActivityState, SessionInfo
from ..rating_matrix.radar import radar_chart
from .model import ProfileReading
from .reading import Profile, describe, read_room, shape_profile

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["ProfileReadingResults"]

#: the shapes' colours after the room's (the palette's first)
_SHAPE_COLOURS = ("#6a3d9a", "#00695c", "#8c510a", "#4d5d6c")


class ProfileReadingResults(_Results):
    """The room's profile and the reference shapes as radars; the reading; the groups."""

    #: the radars' labels sit close around them: larger text than this would run into each other
    PRESENTER_TEXT_SCALE = 1.4

    activity: ProfileReading

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.room, self.groups = read_room(store, session.id, self.activity)
        self.extra["room"] = [self.room.values, [(g.name, g.values) for g in self.groups]]

    def _has_content(self) -> bool:
        return True  # the reference shapes are there to read against before anyone has rated

    @property
    def respondents(self) -> int:
        return self.room.respondents

    def counts_html(self) -> str:
        return (f"<p class='vt-stat' data-vt-respondents='{self.respondents}'>"
                f"{esc(self.tr('pr_room', n=self.respondents))}</p>")

    def summary(self) -> str | None:
        """The room's reading: its balance and the reference shape it is nearest to."""
        if not self.room.values:
            return None
        words = describe(self.tr, self.activity, self.room)
        return self.tr("sum_reading", n=self.respondents, balance=words["balance"], nearest=words["nearest"])

    # charts ----------------------------------------------------------------
    def _radar(self, profile: Profile, label: str, colour: str, size: int, alt_text: str) -> str:
        items = [self.tr.label(i, short=True) for i in self.activity.items]
        frame = pd.DataFrame([{"item": self.tr.label(i, short=True), "series": label, "value": profile.values[i.id]}
                              for i in self.activity.items if i.id in profile.values])
        chart = radar_chart(frame, items=items, series_order=[label], scale_min=self.activity.scale.min,
                            scale_max=self.activity.scale.max, size=size, palette=[colour], legend=False)
        words = describe(self.tr, self.activity, profile)
        caption = f"{label} · {self.tr('pr_balance_short', balance=words['balance'])}"
        return (f"<figure class='vt-pr-radar'><figcaption>{esc(caption)}</figcaption>"
                f"{svg_img(to_svg(chart), alt_text, css='vt-chart vt-pr-chart')}</figure>")

    def _values_text(self, profile: Profile) -> str:
        return "; ".join(f"{self.tr.label(i, short=True)} {profile.values[i.id]:.1f}" for i in self.activity.items if i.id in profile.values)

    def radars_html(self, *, size: int = 300, shape_size: int = 220) -> str:
        """The room's profile, then each reference shape, side by side."""
        room_label = self.tr("pr_room_label")
        words = describe(self.tr, self.activity, self.room)
        if self.room.values:
            parts = [self._radar(self.room, room_label, DEFAULT_PALETTE[0], size,
                                 self.tr("pr_radar_alt", name=room_label, balance=words["balance"], values=self._values_text(self.room)))]
        else:
            parts = [f"<figure class='vt-pr-radar'><figcaption>{esc(room_label)}</figcaption>"
                     f"<p class='vt-muted'>{esc(self.tr('pr_no_profile'))}</p></figure>"]
        for n, shape in enumerate(self.activity.shapes):
            profile = shape_profile(shape)
            label = self.tr.label(shape)
            parts.append(self._radar(profile, label, _SHAPE_COLOURS[n % len(_SHAPE_COLOURS)], shape_size,
                                     self.tr("pr_radar_alt", name=label, balance=describe(self.tr, self.activity, profile)["balance"],
                                             values=self._values_text(profile))))
        return f"<div class='vt-pr-radars'>{''.join(parts)}</div>"

    def overlay_html(self, *, size: int = 320) -> str:
        """One radar: the room's profile over the reference shapes (the projector's comparison)."""
        room_label = self.tr("pr_room_label")
        rows = [{"item": self.tr.label(i, short=True), "series": room_label, "value": self.room.values[i.id]}
                for i in self.activity.items if i.id in self.room.values]
        for shape in self.activity.shapes:
            rows += [{"item": self.tr.label(i, short=True), "series": self.tr.label(shape), "value": shape.values[i.id]}
                     for i in self.activity.items]
        series = ([room_label] if self.room.values else []) + [self.tr.label(s) for s in self.activity.shapes]
        palette = ([DEFAULT_PALETTE[0]] if self.room.values else []) + list(_SHAPE_COLOURS[: len(self.activity.shapes)])
        chart = radar_chart(pd.DataFrame(rows), items=[self.tr.label(i, short=True) for i in self.activity.items],
                            series_order=series, scale_min=self.activity.scale.min, scale_max=self.activity.scale.max,
                            size=size, palette=palette, ring_values=False)
        profiles = [(room_label, self.room)] if self.room.values else []
        profiles += [(self.tr.label(s), shape_profile(s)) for s in self.activity.shapes]
        alt_text = self.tr("pr_overlay_alt", profiles="; ".join(
            f"{name}: {self.tr('pr_balance_short', balance=describe(self.tr, self.activity, p)['balance'])}" for name, p in profiles))
        return svg_img(to_svg(chart), alt_text, css="vt-chart vt-pr-overlay")

    # words and tables ------------------------------------------------------
    def reading_html(self) -> str:
        """The room's reading: balance, the nearer shape, the missing directions."""
        if not self.room.values:
            return ""
        words = describe(self.tr, self.activity, self.room)
        rows = [(self.tr("pr_balance"), words["balance"]), (self.tr("pr_nearest"), words["nearest"]),
                (self.tr("pr_gaps", gap=f"{self.activity.gap_below:g}"), words["gaps"])]
        # each pair in its own row (a <div> in the <dl>): the label beside its value, or above it
        # where the two do not fit side by side; no grid placement that another page's rules could jumble
        body = "".join(f"<div class='vt-pr-pair'><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in rows)
        return f"<dl class='vt-pr-reading' data-vt-balance='{words['balance']}'>{body}</dl>"

    def formula_html(self) -> str:
        """How the balance is computed and what a gap is."""
        return f"<aside class='vt-pr-formula'><p>{esc(self.tr('pr_formula', gap=f'{self.activity.gap_below:g}'))}</p></aside>"

    def table_html(self) -> str:
        """Every profile read the same way: the room, each group, each reference shape."""
        tr = self.tr
        profiles = [(tr("pr_room_label"), self.room, str(self.room.respondents))]
        profiles += [(g.name, g, str(g.respondents)) for g in self.groups]
        profiles += [(tr.label(s), shape_profile(s), tr("pr_reference")) for s in self.activity.shapes]
        rows = []
        for name, profile, n in profiles:
            words = describe(tr, self.activity, profile)
            values = profile.values.values()
            span = f"{min(values):.1f}–{max(values):.1f}" if values else "–"
            rows.append([esc(name), esc(n), words["mean"], span, words["balance"], esc(words["nearest"]), esc(words["gaps"])])
        # the balance's column has its one-word name (the reading above and the formula spell it out)
        head = [tr("pr_profile"), tr("pr_n"), tr("mean"), tr("pr_span"), tr("pr_balance_head"), tr("pr_nearest"),
                tr("pr_gaps", gap=f"{self.activity.gap_below:g}")]
        return _table(tr("pr_table"), [esc(h) for h in head], rows, css="vt-table vt-pr-table")

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":  # one image and the words: the projector's row of blocks scales the image to fit
            blocks = [("overlay", self.overlay_html()), ("reading", self.reading_html() or
                                                         f"<p class='vt-muted'>{esc(self.tr('pr_no_profile'))}</p>")]
        else:
            blocks = [("radars", self.radars_html()), ("reading", self.reading_html()),
                      ("formula", self.formula_html()), ("table", self.table_html())]
        return [(name, body) for name, body in blocks if body]
