"""The network map across a network's rounds (the ``history`` part of this kind, and its
round-aware exports).

Actors are matched across rounds by their normalised name (case and spacing ignored, as the
map itself matches them; the facilitator's merges count), ties by the pair of actors they
join. Between the last round and this one: actors and ties that are new, lost or unchanged,
ties whose strength changed, and missing links closed (a missing link in an earlier round that
is an actual tie now). :func:`gexf` writes every round up to this session as one dynamic GEXF
(Gephi's timeline), :func:`kumu_rounds` the map of every round as Kumu JSON.
"""
from __future__ import annotations

import base64
import hashlib
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Sequence

from ...html_blocks import esc, table
from ...text import clean, clean_tree
from ...rounds import round_label, source_rounds
from .network import Network, _norm, load_network, to_kumu

__all__ = ["MapRound", "gexf", "history", "kumu_rounds", "map_rounds"]

Pair = tuple[str, str]


@dataclass
class MapRound:
    """One round's map, keyed for matching: actors by normalised name, ties by pair of names."""

    number: int
    session: Any
    activity: Any  # the map as this round ran it
    network: Network
    actors: dict[str, Any] = field(default_factory=dict)  # normalised name -> Actor
    ties: dict[Pair, set[str]] = field(default_factory=dict)  # actual ties: pair -> tie types
    missing: dict[Pair, list[str]] = field(default_factory=dict)  # missing links: pair -> notes
    edges: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)  # (a, b, type) -> edge

    @classmethod
    def build(cls, number: int, session: Any, activity: Any, network: Network) -> "MapRound":
        out = cls(number, session, activity, network)
        key = {}
        for actor in network.visible_actors:
            key[actor.id] = _norm(actor.name)
            out.actors.setdefault(key[actor.id], actor)
        missing_types = {t.id for t in activity.ties if t.missing}
        for edge in network.edges():
            a, b = sorted((key[edge["source"]], key[edge["target"]]))
            out.edges[(a, b, edge["type"])] = edge
            if edge["type"] in missing_types:
                out.missing.setdefault((a, b), []).extend(edge["notes"])
            else:
                out.ties.setdefault((a, b), set()).add(edge["type"])
        return out

    @property
    def empty(self) -> bool:
        return not self.actors


def map_rounds(store: Any, rounds: Sequence[Any]) -> list[MapRound]:
    """Each round's map (``rounds``: ``SourceRound``-like records: number, session, activity, round)."""
    return [MapRound.build(r.number, r.session, r.activity,
                           load_network(store, r.session.id, r.activity, round=r.round)) for r in rounds]


def _names(maps: Sequence[MapRound]) -> dict[str, Any]:
    """Every actor by normalised name, as the newest round that has it names it."""
    out: dict[str, Any] = {}
    for m in reversed(maps):
        for key, actor in m.actors.items():
            out.setdefault(key, actor)
    return out


def _type_labels(maps: Sequence[MapRound], tr: Any) -> dict[str, str]:
    """Tie types by id, labelled as the newest round that has them."""
    out: dict[str, str] = {}
    for m in reversed(maps):
        for t in m.activity.ties:
            out.setdefault(t.id, tr.label(t))
    return out


# ---------------------------------------------------------------------- the view
def history(store: Any, rounds: Sequence[Any], spec: Any, tr: Any, role: str) -> list[tuple[str, str]]:
    """The map across ``rounds`` as ``(name, html)`` blocks for ``role``: what is new, lost and
    unchanged between the last round and this one, and the missing links closed."""
    maps = map_rounds(store, rounds)
    drawn = [m for m in maps if not m.empty]
    if not drawn:
        return [("empty", f"<p class='vt-muted'>{esc(tr('hist_no_answers'))}</p>")]
    out: list[tuple[str, str]] = []
    if role != "screen":
        out.append(("counts", _counts_table(drawn, tr)))
    if len(drawn) < 2:
        return out + [("change", f"<p class='vt-muted'>{esc(tr('hist_change_none'))}</p>")]
    before, now = drawn[-2], drawn[-1]
    names = _names(maps)
    types = _type_labels(maps, tr)
    change = _compare(before, now, drawn[:-1])
    labels = (round_label(tr, before), round_label(tr, now))
    if role == "screen":  # one block: the numbers, and what closed since the last round
        return out + [("stats", _stats_html(change, labels, tr) + _closed_html(change, names, types, drawn, labels, tr, screen=True))]
    out.append(("stats", _stats_html(change, labels, tr)))
    out.append(("actors", _actors_html(change, names, now, tr)))
    out.append(("ties", _ties_html(change, names, types, tr)))
    out.append(("closed", _closed_html(change, names, types, drawn, labels, tr)))
    if role == "facilitator":
        out.append(("downloads", _downloads_html(store, rounds, maps, tr)))
    return out


def _compare(before: MapRound, now: MapRound, earlier: Sequence[MapRound]) -> dict[str, Any]:
    """What changed from ``before`` to ``now``; ``earlier``: every round before ``now`` (for missing links)."""
    was, is_ = set(before.actors), set(now.actors)
    ties_was, ties_now = set(before.ties), set(now.ties)
    closed = []  # (pair, the last round it was missing in, the round since which it is a tie, its types now)
    for pair in sorted({p for m in earlier for p in m.missing}):
        if pair not in now.ties:
            continue
        since = now
        for m in reversed(earlier):
            if pair in m.missing or pair not in m.ties:
                break
            since = m
        missing_in = max(m.number for m in earlier if pair in m.missing)
        closed.append((pair, missing_in, since.number, tuple(sorted(now.ties[pair]))))
    return {
        "new_actors": sorted(is_ - was),
        "lost_actors": sorted(was - is_),
        "same_actors": sorted(is_ & was),
        "new_ties": sorted(ties_now - ties_was),
        "lost_ties": sorted(ties_was - ties_now),
        "same_ties": sorted(p for p in ties_now & ties_was if now.ties[p] == before.ties[p]),
        "changed_ties": sorted((p, tuple(sorted(before.ties[p])), tuple(sorted(now.ties[p])))
                               for p in ties_now & ties_was if now.ties[p] != before.ties[p]),
        "closed": closed,
        "closed_now": [c for c in closed if c[2] == now.number],
        "open": sorted(now.missing),
    }


def _counts_table(maps: Sequence[MapRound], tr: Any) -> str:
    rows = [[round_label(tr, m), str(len(m.actors)), str(len(m.ties)), str(len(m.missing))] for m in maps]
    head = [tr("hist_round_col"), tr("hist_actors_col"), tr("hist_ties_col"), tr("hist_missing_col")]
    return table(tr("hist_map_counts_caption"), head, rows)


def _stats_html(change: dict[str, Any], labels: tuple[str, str], tr: Any) -> str:
    tiles = [
        ("new_actors", "hist_new_actors"), ("lost_actors", "hist_lost_actors"), ("new_ties", "hist_new_ties"),
        ("lost_ties", "hist_lost_ties"), ("closed_now", "hist_closed_links"),
    ]
    cells = "".join(
        f"<div class='vt-hist-stat' data-vt-{key.replace('_', '-')}='{len(change[key])}'>"
        f"<strong class='vt-hist-stat-value'>{len(change[key])}</strong>"
        f"<div class='vt-hist-stat-label'>{esc(tr(word))}</div></div>"
        for key, word in tiles
    )
    return (f"<h4 class='vt-hist-between'>{esc(tr('hist_change_title', before=labels[0], now=labels[1]))}</h4>"
            f"<div class='vt-hist-stats'>{cells}</div>")


def _actor_line(actor: Any, roles: dict[str, str]) -> str:
    role = roles.get(actor.role, "")
    return f"<li><strong>{esc(actor.name)}</strong>" + (f" <span class='vt-muted'>{esc(role)}</span>" if role else "") + "</li>"


def _list(title: str, lines: list[str], none: str) -> str:
    body = f"<ul class='vt-list'>{''.join(lines)}</ul>" if lines else f"<p class='vt-muted'>{esc(none)}</p>"
    return f"<h5>{esc(title)}</h5>{body}"


def _actors_html(change: dict[str, Any], names: dict[str, Any], now: MapRound, tr: Any) -> str:
    roles = {r.id: tr.label(r) for r in now.activity.roles}
    return (
        f"<h4>{esc(tr('hist_actors_title'))}</h4>"
        + _list(tr("hist_new_actors"), [_actor_line(names[k], roles) for k in change["new_actors"]], tr("hist_none"))
        + _list(tr("hist_lost_actors"), [_actor_line(names[k], roles) for k in change["lost_actors"]], tr("hist_none"))
        + _unchanged(tr("hist_same_actors", n=len(change["same_actors"])), [_actor_line(names[k], roles) for k in change["same_actors"]])
    )


def _unchanged(summary: str, lines: list[str]) -> str:
    """What stayed as it was: folded under its count."""
    if not lines:
        return f"<p class='vt-muted'>{esc(summary)}</p>"
    return f"<details><summary>{esc(summary)}</summary><ul class='vt-list'>{''.join(lines)}</ul></details>"


def _pair(pair: Pair, names: dict[str, Any]) -> str:
    return f"<strong>{esc(names[pair[0]].name)}</strong> – <strong>{esc(names[pair[1]].name)}</strong>"


def _ties_html(change: dict[str, Any], names: dict[str, Any], types: dict[str, str], tr: Any) -> str:
    def kinds(ids: Sequence[str]) -> str:
        return ", ".join(types.get(t, t) for t in ids)

    return (
        f"<h4>{esc(tr('hist_ties_title'))}</h4>"
        + _list(tr("hist_new_ties"), [f"<li>{_pair(p, names)}</li>" for p in change["new_ties"]], tr("hist_none"))
        + _list(tr("hist_lost_ties"), [f"<li>{_pair(p, names)}</li>" for p in change["lost_ties"]], tr("hist_none"))
        + _list(tr("hist_changed_ties"),
                [f"<li>{_pair(p, names)}: {esc(kinds(a))} → {esc(kinds(b))}</li>" for p, a, b in change["changed_ties"]],
                tr("hist_none"))
        + _unchanged(tr("hist_same_ties", n=len(change["same_ties"])), [f"<li>{_pair(p, names)}</li>" for p in change["same_ties"]])
    )


def _closed_html(change: dict[str, Any], names: dict[str, Any], types: dict[str, str], maps: Sequence[MapRound],
                 labels: tuple[str, str], tr: Any, *, screen: bool = False) -> str:
    """Missing links closed: since the last round (the number on the tile), and in earlier rounds
    and still in place (each line names the round it was missing in and the round it closed in)."""
    when = {m.number: round_label(tr, m) for m in maps}

    def lines(closed: Sequence[Any]) -> list[str]:
        return [
            f"<li>{_pair(p, names)} – {esc(tr('hist_closed_line', missing=when[gone], since=when[since], now=', '.join(types.get(t, t) for t in kinds)))}</li>"
            for p, gone, since, kinds in closed
        ]

    now = {c[0] for c in change["closed_now"]}
    since_last = _list(tr("hist_closed_since", before=labels[0], now=labels[1]), lines(change["closed_now"]), tr("hist_none"))
    if screen:
        return f"<div class='vt-hist-closed' data-vt-closed-now='{len(now)}'>{since_last}</div>"
    earlier = [c for c in change["closed"] if c[0] not in now]
    still = [f"<li>{_pair(p, names)}</li>" for p in change["open"]]
    return (
        f"<h4>{esc(tr('map_missing'))}</h4>"
        f"<div class='vt-hist-closed' data-vt-closed-now='{len(now)}' data-vt-closed-earlier='{len(earlier)}'>"
        + since_last
        + (_list(tr("hist_closed_earlier"), lines(earlier), tr("hist_none")) if earlier else "")
        + "</div>"
        + _list(tr("hist_open_links"), still, tr("hist_none"))
    )


def _downloads_html(store: Any, rounds: Sequence[Any], maps: Sequence[MapRound], tr: Any) -> str:
    def link(data: str, mime: str, name: str, label: str) -> str:
        b64 = base64.b64encode(data.encode("utf-8")).decode("ascii")
        return f"<a class='vt-download' download='{esc(name, quote=True)}' href='data:{mime};base64,{b64}'>{esc(label)}</a>"

    activity = rounds[-1].activity
    links = [link(_gexf(maps, tr), "application/gexf+xml", f"{activity.id}-rounds.gexf", tr("hist_download_gexf"))]
    for m in maps:
        if not m.empty:
            links.append(link(to_kumu(m.network, tr), "application/json", f"{activity.id}-{m.session.code}.kumu.json",
                              tr("hist_download_kumu", round=round_label(tr, m))))
    return f"<p class='vt-exports'>{' '.join(links)}</p>"


# ---------------------------------------------------------------------- exports
def gexf(store: Any, session: Any, activity: Any, tr: Any) -> str:
    """Every round of the map up to ``session`` as one dynamic GEXF (Gephi's timeline).

    A round's actors and ties live from its date until the day before the next round's; the
    last round's until its own date. An actor (or tie) that leaves and returns has several spells.
    """
    return _gexf(map_rounds(store, source_rounds(store, session, activity.id, {activity.id: activity})), tr)


def kumu_rounds(store: Any, session: Any, activity: Any, tr: Any) -> str:
    """The map of every round up to ``session`` as Kumu JSON: one importable map per round."""
    maps = map_rounds(store, source_rounds(store, session, activity.id, {activity.id: activity}))
    doc = {
        "network": session.network_name,
        "rounds": [
            {"round": m.number, "code": m.session.code, "held_on": m.session.held_on.isoformat(), "title": m.session.title,
             **json.loads(to_kumu(m.network, tr))}
            for m in maps
        ],
    }
    return json.dumps(clean_tree(doc), ensure_ascii=False, indent=2)


def _spells(present: Sequence[bool], dates: Sequence[date]) -> list[tuple[str, str]]:
    """Intervals of presence: from a round's date to the day before the next round's (the last: its own date)."""
    out: list[tuple[str, str]] = []
    start = None
    for i, here in enumerate(present):
        if here and start is None:
            start = i
        if start is not None and (not here or i == len(present) - 1):
            last = i if here else i - 1
            end = dates[last + 1] - timedelta(days=1) if last + 1 < len(dates) else dates[last]
            out.append((dates[start].isoformat(), max(end, dates[last]).isoformat()))
            start = None
    return out


def _id(prefix: str, *parts: str) -> str:
    return prefix + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def _gexf(maps: Sequence[MapRound], tr: Any) -> str:
    ns = "http://www.gexf.net/1.2draft"
    ET.register_namespace("", ns)
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731
    dates = [m.session.held_on for m in maps]
    root = ET.Element(q("gexf"), {"version": "1.2"})
    meta = ET.SubElement(root, q("meta"), {"lastmodifieddate": (dates[-1] if dates else date.today()).isoformat()})
    ET.SubElement(meta, q("creator")).text = "vertaiset_widgets"
    if maps:
        ET.SubElement(meta, q("description")).text = clean(maps[-1].session.network_name)
    graph = ET.SubElement(root, q("graph"), {"mode": "dynamic", "defaultedgetype": "undirected", "timeformat": "date"}
                          | ({"start": dates[0].isoformat(), "end": dates[-1].isoformat()} if dates else {}))
    node_keys = ("organisation", "sector", "side", "role")
    # "tie", not "type": Gephi keeps an edge's own Type column (directed or undirected)
    edge_keys = (("tie", "string"), ("strength", "string"), ("missing", "boolean"), ("note", "string"))
    attrs = ET.SubElement(graph, q("attributes"), {"class": "node", "mode": "static"})
    for key in node_keys:
        ET.SubElement(attrs, q("attribute"), {"id": key, "title": key, "type": "string"})
    attrs = ET.SubElement(graph, q("attributes"), {"class": "edge", "mode": "static"})
    for key, kind in edge_keys:
        ET.SubElement(attrs, q("attribute"), {"id": key, "title": key, "type": kind})

    def timed(el: ET.Element, present: list[bool]) -> None:
        spells = _spells(present, dates)
        if len(spells) == 1:
            el.set("start", spells[0][0])
            el.set("end", spells[0][1])
        else:  # left and came back: one spell per stay
            box = ET.SubElement(el, q("spells"))
            for start, end in spells:
                ET.SubElement(box, q("spell"), {"start": start, "end": end})

    def values(el: ET.Element, pairs: list[tuple[str, str]]) -> None:
        box = ET.SubElement(el, q("attvalues"))
        for key, value in pairs:
            ET.SubElement(box, q("attvalue"), {"for": key, "value": clean(value)})

    names = _names(maps)
    newest = {}  # the round that last shows an actor: its labels describe it
    for m in maps:
        for key in m.actors:
            newest[key] = m
    nodes = ET.SubElement(graph, q("nodes"))
    for key, actor in sorted(names.items(), key=lambda kv: kv[1].name.casefold()):
        act = newest[key].activity
        labels = {k: {i.id: tr.label(i) for i in getattr(act, f"{k}s")} for k in ("sector", "side", "role")}
        node = ET.SubElement(nodes, q("node"), {"id": _id("n", key), "label": clean(actor.name)})
        values(node, [("organisation", actor.organisation)]
               + [(k, labels[k].get(getattr(actor, k), "")) for k in ("sector", "side", "role")])
        timed(node, [key in m.actors for m in maps])
    edges = ET.SubElement(graph, q("edges"))
    keys = sorted({k for m in maps for k in m.edges})
    types = _type_labels(maps, tr)
    missing = {t.id for m in maps for t in m.activity.ties if t.missing}
    for a, b, kind in keys:
        latest = next(m.edges[(a, b, kind)] for m in reversed(maps) if (a, b, kind) in m.edges)
        el = ET.SubElement(edges, q("edge"), {"id": _id("e", a, b, kind), "source": _id("n", a), "target": _id("n", b)})
        values(el, [("tie", kind), ("strength", types.get(kind, kind)), ("missing", "true" if kind in missing else "false"),
                    ("note", " / ".join(latest["notes"]))])
        timed(el, [(a, b, kind) in m.edges for m in maps])
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
