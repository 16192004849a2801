"""The network map (*verkostokartta*): actors and ties, added by participants together.

Stored as answers like everything participants give (append-only): an actor is an item
``a…`` with layers ``name, organisation, sector, side, role``; a tie is an item ``t…``
with layers ``source, target, type, note``. Taking one back stores an empty name or
source and erases its texts. The facilitator merges duplicate actors and hides mistakes with moderation
events. Pure Python: the participant's page uses it too. GraphML and Kumu JSON exports
live here; the map is laid out by ``NetworkResults.layout`` (this kind's ``results.py``) and
drawn by ``network_chart`` (its ``charts.py``).
"""
from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...errors import VertaisetInputError
from ...i18n import Translator
from ...store import AnswerInput, Participant
from ...text import clean, clean_line, clean_tree

if TYPE_CHECKING:
    from .model import NetworkMap
    from ...store import SessionStore

__all__ = ["Actor", "Network", "Tie", "add_actor", "add_tie", "load_network", "remove_own", "to_graphml", "to_kumu"]

ACTOR_FIELDS = ("name", "organisation", "sector", "side", "role")
TIE_FIELDS = ("source", "target", "type", "note")


@dataclass(frozen=True)
class Actor:
    """One actor on the map, as it stands now."""

    id: str
    name: str
    organisation: str
    sector: str
    side: str
    role: str
    participant_id: int
    hidden: bool = False
    merged_into: str | None = None

    @property
    def visible(self) -> bool:
        """On the map: neither hidden nor merged into another actor."""
        return not (self.hidden or self.merged_into)


@dataclass(frozen=True)
class Tie:
    """A tie between two actors (strong, weak, or a missing link)."""

    id: str
    source: str
    target: str
    type: str
    note: str
    participant_id: int
    hidden: bool = False


@dataclass
class Network:
    """Every actor and tie of one map (taken-back ones left out), with the facilitator's merges applied."""

    activity: NetworkMap
    actors: list[Actor] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)

    def root(self, actor_id: str) -> str:
        """The actor this one was merged into (following chains), or itself."""
        by_id = {a.id: a for a in self.actors}
        seen: set[str] = set()
        while actor_id in by_id and by_id[actor_id].merged_into and actor_id not in seen:
            seen.add(actor_id)
            actor_id = by_id[actor_id].merged_into or actor_id
        return actor_id

    @property
    def visible_actors(self) -> list[Actor]:
        """Actors on the map, oldest first."""
        return [a for a in self.actors if a.visible]

    def edges(self) -> list[dict[str, Any]]:
        """Ties between visible actors after merges: one per pair and type, with how many marked it."""
        shown = {a.id for a in self.visible_actors}
        out: dict[tuple[str, str, str], dict[str, Any]] = {}
        for tie in self.ties:
            if tie.hidden:
                continue
            source, target = self.root(tie.source), self.root(tie.target)
            if source == target or source not in shown or target not in shown:
                continue
            key = (*sorted((source, target)), tie.type)
            edge = out.setdefault(
                key, {"id": tie.id, "source": source, "target": target, "type": tie.type, "notes": [], "count": 0}
            )
            edge["count"] += 1
            if tie.note and tie.note not in edge["notes"]:
                edge["notes"].append(tie.note)
        return list(out.values())

    def missing_links(self) -> list[dict[str, Any]]:
        """The ties marked as missing links."""
        missing = {t.id for t in self.activity.ties if t.missing}
        return [e for e in self.edges() if e["type"] in missing]

    def find(self, name: str) -> Actor | None:
        """A visible actor with this name (case and spacing ignored)."""
        wanted = _norm(name)
        return next((a for a in self.visible_actors if _norm(a.name) == wanted), None)

    def name_of(self, actor_id: str) -> str:
        """The name shown for an actor (after merges)."""
        root = self.root(actor_id)
        return next((a.name for a in self.actors if a.id == root), "?")


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def load_network(store: SessionStore, session_id: int, activity: NetworkMap, *, round: int | None = None) -> Network:
    """Read the map's actors and ties (the latest answer per item and field counts)."""
    answers = store.answers(session_id, activity.id, round=round)
    marks = store.moderation(session_id, activity.id, round=round)
    items: dict[str, dict[str, Any]] = {}
    for a in answers:
        rec = items.setdefault(a.item, {"participant_id": a.participant_id})
        rec[a.layer] = a.value_text or ""
    net = Network(activity)
    for item, rec in items.items():
        hidden = marks.get((item, "hidden"), ("show", None))[0] == "hide"
        if item.startswith("a") and rec.get("name"):
            action, target = marks.get((item, "merged"), ("unmerge", None))
            net.actors.append(
                Actor(
                    id=item, name=rec["name"], organisation=rec.get("organisation", ""), sector=rec.get("sector", ""),
                    side=rec.get("side", ""), role=rec.get("role", ""), participant_id=rec["participant_id"],
                    hidden=hidden, merged_into=target if action == "merge" else None,
                )
            )
        elif item.startswith("t") and rec.get("source") and rec.get("target"):
            net.ties.append(
                Tie(
                    id=item, source=rec["source"], target=rec["target"], type=rec.get("type", ""),
                    note=rec.get("note", ""), participant_id=rec["participant_id"], hidden=hidden,
                )
            )
    return net


def _item_id(prefix: str, participant: Participant, submission_id: str) -> str:
    return prefix + hashlib.sha256(f"{participant.id}\x1f{submission_id}".encode()).hexdigest()[:24]


def add_actor(
    store: SessionStore, participant: Participant, activity: NetworkMap, values: dict[str, str], *, submission_id: str
) -> str:
    """Add an actor; return its id.

    Raises
    ------
    VertaisetInputError
        ``code`` ``empty`` (no name), ``duplicate`` (already on the map), ``invalid``
        (a sector, side or role that the map does not have) or ``too_many``.
    """
    typed = " ".join(str(values.get("name") or "").split())
    name = clean_line(typed, 80)
    if not typed:
        raise VertaisetInputError("an actor needs a name", code="empty")
    if name is None:  # typed, but nothing of it shows (zero-width characters, controls)
        raise VertaisetInputError("an actor needs a visible name", code="invisible")
    allowed = {
        "sector": {s.id for s in activity.sectors},
        "side": {s.id for s in activity.sides},
        "role": {r.id for r in activity.roles},
    }
    for key, ids in allowed.items():
        if values.get(key) and values[key] not in ids:
            raise VertaisetInputError(f"{key} must be one of {', '.join(sorted(ids))}", code="invalid")
    net = load_network(store, participant.session_id, activity)
    item = _item_id("a", participant, submission_id)
    if any(a.id == item for a in net.actors):
        return item  # the same submission again
    if net.find(name) is not None:
        raise VertaisetInputError(f"{name!r} is already on the map", code="duplicate")
    if len(net.visible_actors) >= activity.max_actors:
        raise VertaisetInputError("the map is full", code="too_many")
    answers = [AnswerInput(item, "name", value_text=name)]
    for key in ACTOR_FIELDS[1:]:
        answers.append(AnswerInput(item, key, value_text=clean_line(values.get(key) or None, 120)))
    store.submit(participant, activity.id, answers, submission_id=submission_id)
    return item


def add_tie(
    store: SessionStore, participant: Participant, activity: NetworkMap, values: dict[str, str], *, submission_id: str
) -> str:
    """Add a tie between two actors on the map; return its id.

    Raises
    ------
    VertaisetInputError
        ``code`` ``same`` (an actor to itself), ``unknown`` (no such actor), ``invalid``
        (no such type of tie) or ``duplicate`` (the same tie is already marked).
    """
    source, target, kind = (str(values.get(k) or "") for k in ("source", "target", "type"))
    if kind not in {t.id for t in activity.ties}:
        raise VertaisetInputError("unknown type of tie", code="invalid")
    net = load_network(store, participant.session_id, activity)
    shown = {a.id for a in net.visible_actors}
    if source not in shown or target not in shown:
        raise VertaisetInputError("both ends must be actors on the map", code="unknown")
    source, target = net.root(source), net.root(target)
    if source == target:
        raise VertaisetInputError("a tie needs two different actors", code="same")
    item = _item_id("t", participant, submission_id)
    if any(t.id == item for t in net.ties):
        return item
    if any({e["source"], e["target"]} == {source, target} and e["type"] == kind for e in net.edges()):
        raise VertaisetInputError("this tie is already on the map", code="duplicate")
    note = clean_line(values.get("note") or None, 200)
    store.submit(
        participant, activity.id,
        [AnswerInput(item, "source", value_text=source), AnswerInput(item, "target", value_text=target),
         AnswerInput(item, "type", value_text=kind), AnswerInput(item, "note", value_text=note)],
        submission_id=submission_id,
    )
    return item


def remove_own(store: SessionStore, participant: Participant, activity: NetworkMap, item: str, *, submission_id: str) -> None:
    """Take back one's own actor or tie (while the map is open); its words are erased from the store."""
    from ...privacy import scrub_items

    net = load_network(store, participant.session_id, activity)
    owner = next((x.participant_id for x in [*net.actors, *net.ties] if x.id == item), None)
    if owner != participant.id:
        raise VertaisetInputError("only the one who added it can take it back", code="not_yours")
    layer = "name" if item.startswith("a") else "source"
    store.submit(participant, activity.id, [AnswerInput(item, layer, value_text=None)], submission_id=submission_id)
    scrub_items(store, participant, activity.id, [item])


# ---------------------------------------------------------------------- exports
def _labels(activity: NetworkMap, tr: Translator) -> dict[str, dict[str, str]]:
    return {
        "sector": {s.id: tr.label(s) for s in activity.sectors},
        "side": {s.id: tr.label(s) for s in activity.sides},
        "role": {r.id: tr.label(r) for r in activity.roles},
        "type": {t.id: tr.label(t) for t in activity.ties},
    }


def to_graphml(net: Network, tr: Translator) -> str:
    """The map as GraphML (opens in Gephi, yEd, networkx): node and edge attributes translated."""
    labels = _labels(net.activity, tr)
    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    keys = [
        ("label", "node"), ("organisation", "node"), ("sector", "node"), ("side", "node"), ("role", "node"),
        ("type", "edge"), ("strength", "edge"), ("missing", "edge"), ("weight", "edge"), ("note", "edge"),
    ]
    for name, scope in keys:
        kind = "int" if name == "weight" else "boolean" if name == "missing" else "string"
        ET.SubElement(root, f"{{{ns}}}key", {"id": name, "for": scope, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, f"{{{ns}}}graph", {"id": net.activity.id, "edgedefault": "undirected"})

    # ElementTree writes any character it is given; one that XML 1.0 forbids (from a row stored
    # before the store cleaned its input) would make the whole file unreadable in Gephi
    def data(parent: ET.Element, key: str, value: str) -> None:
        ET.SubElement(parent, f"{{{ns}}}data", {"key": key}).text = clean(value)

    for actor in net.visible_actors:
        node = ET.SubElement(graph, f"{{{ns}}}node", {"id": clean(actor.id)})
        data(node, "label", actor.name)
        data(node, "organisation", actor.organisation)
        for key in ("sector", "side", "role"):
            data(node, key, labels[key].get(getattr(actor, key), ""))
    missing = {t.id for t in net.activity.ties if t.missing}
    for edge in net.edges():
        ends = {k: clean(edge[k]) for k in ("id", "source", "target")}
        el = ET.SubElement(graph, f"{{{ns}}}edge", ends)
        data(el, "type", edge["type"])
        data(el, "strength", labels["type"].get(edge["type"], edge["type"]))
        data(el, "missing", "true" if edge["type"] in missing else "false")
        data(el, "weight", str(edge["count"]))
        data(el, "note", " / ".join(edge["notes"]))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def to_kumu(net: Network, tr: Translator) -> str:
    """The map as Kumu's JSON import (``elements`` and ``connections``, joined by label)."""
    labels = _labels(net.activity, tr)
    names: dict[str, str] = {}
    elements = []
    for actor in net.visible_actors:
        label = clean(actor.name)  # before the uniqueness check: two names may differ only by a removed character
        if label in names.values():  # Kumu joins by label: keep labels unique
            label = f"{label} ({actor.id[:6]})"
        names[actor.id] = label
        elements.append(
            {
                "label": label,
                "type": labels["role"].get(actor.role, ""),
                "description": actor.organisation,
                "tags": [x for x in (labels["sector"].get(actor.sector), labels["side"].get(actor.side)) if x],
                # any other key becomes a field of the element in Kumu
                "organisation": actor.organisation,
                "sector": labels["sector"].get(actor.sector, ""),
                "side": labels["side"].get(actor.side, ""),
                "role": labels["role"].get(actor.role, ""),
            }
        )
    connections = [
        {
            "from": names[e["source"]],
            "to": names[e["target"]],
            "type": labels["type"].get(e["type"], e["type"]),
            "direction": "undirected",
            "description": " / ".join(e["notes"]),
            "weight": e["count"],
        }
        for e in net.edges()
    ]
    # cleaned: a lone surrogate from an old row could not be written as UTF-8 at all
    return json.dumps(clean_tree({"elements": elements, "connections": connections}), ensure_ascii=False, indent=2)
