"""The network map's results for the console, the screen and the report: the merged map
drawn on Arnkil's 360 ring, counts by role and sector, the missing links, the actors, and
the GraphML and Kumu downloads for the facilitator."""
from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...chart_render import to_svg
from ...html_blocks import esc, svg_img
from ...results import _Results, _table, clip
from ...store import ActivityState, SessionInfo
from .charts import network_chart
from .model import NetworkMap
from .network import Network, load_network, to_graphml, to_kumu

if TYPE_CHECKING:
    from ...store import SessionStore

__all__ = ["NetworkResults"]


class NetworkResults(_Results):
    """The merged network map: drawn, counted by sector and role, missing links listed."""

    #: the projector's map sets its own sizes (see :meth:`presenter_labels`): no further scaling
    PRESENTER_TEXT_SCALE = 1.0
    #: the projector's map: text size, the plot's height and width (the legend is beside it)
    SCREEN_TEXT, SCREEN_HEIGHT, SCREEN_WIDTH = 29, 440, 880

    activity: NetworkMap

    def _more(self, store: SessionStore, session: SessionInfo, state: ActivityState) -> None:
        self.network: Network = load_network(store, session.id, self.activity, round=state.round)
        self.extra["marks"] = sorted((a.id, a.hidden, a.merged_into) for a in self.network.actors)
        self.extra["ties"] = sorted((t.id, t.hidden) for t in self.network.ties)

    def _has_content(self) -> bool:
        return bool(self.network.visible_actors)

    def summary(self) -> str | None:
        """Actors, ties and the missing links: how many, and the first two by the actors' names."""
        actors = len(self.network.visible_actors)
        if not actors:
            return None
        missing = self.network.missing_links()
        text = self.tr("sum_map", actors=actors, ties=len(self.network.edges()), missing=len(missing))
        if not missing:
            return text
        links = ", ".join(f"{clip(self.network.name_of(e['source']), 40)} – {clip(self.network.name_of(e['target']), 40)}"
                          for e in missing[:2])
        if len(missing) > 2:
            links = self.tr("sum_and_more", items=links)
        return self.tr("sum_listed", text=text, items=links)

    def counts_html(self) -> str:
        actors = len(self.network.visible_actors)
        ties = len(self.network.edges())
        return (
            f"<p class='vt-stat' data-vt-respondents='{self.respondents}' data-vt-actors='{actors}' data-vt-ties='{ties}'>"
            f"{esc(self.tr('map_counts', actors=actors, ties=ties, n=self.respondents))}</p>"
        )

    #: radius of the inner (internal network) and outer (external network) ring
    RINGS = (0.58, 1.0)

    def layout(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Node, edge and guide frames with coordinates in about [-1.5, 1.5].

        Arnkil's 360 ring: every role gets a slice of the circle (wider for more actors),
        internal actors sit on the inner ring and external ones on the outer. Inside a slice
        actors follow the order of a spring layout (networkx), so tied actors sit close
        and lines cross less. The same map is always drawn the same way.
        """
        import math

        import networkx as nx

        act = self.activity
        actors = self.network.visible_actors
        edges = self.network.edges()
        graph = nx.Graph()
        graph.add_nodes_from(a.id for a in actors)
        for e in edges:
            graph.add_edge(e["source"], e["target"])
        spring = nx.spring_layout(graph, seed=16112022, iterations=200) if actors else {}
        role_ids = [r.id for r in act.roles]
        groups: dict[str, list[Any]] = {r: [] for r in role_ids}
        for a in actors:
            groups.setdefault(a.role if a.role in groups else "", []).append(a)
        groups = {k: v for k, v in groups.items() if v or k in role_ids}
        weights = {k: max(len(v), 1.2) for k, v in groups.items()}
        total = sum(weights.values()) or 1
        inner_side = act.sides[0].id if act.sides else ""
        pos: dict[str, tuple[float, float]] = {}
        guides = []
        role_labels = {r.id: self.tr.label(r) for r in act.roles} | {"": self.tr("unknown")}
        start = 0.0
        for role, members in groups.items():
            span = 2 * math.pi * weights[role] / total
            members = sorted(members, key=lambda a: math.atan2(*spring[a.id][::-1]) if a.id in spring else 0)
            for i, a in enumerate(members):
                angle = start + (i + 0.5) * span / len(members)
                r = self.RINGS[0] if a.side == inner_side else self.RINGS[1]
                r += 0.07 * (i % 2)  # neighbours alternate a little, so their names do not collide
                pos[a.id] = (r * math.sin(angle), r * math.cos(angle))
            mid = start + span / 2
            guides.append({"x": 1.28 * math.sin(mid), "y": 1.28 * math.cos(mid), "text": role_labels.get(role, role),
                           "align": "left" if math.sin(mid) > 0.25 else "right" if math.sin(mid) < -0.25 else "center"})
            start += span
        sectors = {s.id: self.tr.label(s) for s in act.sectors}
        sides = {s.id: self.tr.label(s) for s in act.sides}
        nodes = pd.DataFrame(
            [{"id": a.id, "x": pos[a.id][0], "y": pos[a.id][1], "label": a.name,
              "sector": sectors.get(a.sector, self.tr("unknown")), "side": sides.get(a.side, self.tr("unknown"))} for a in actors],
            columns=["id", "x", "y", "label", "sector", "side"],
        )
        types = {t.id: self.tr.label(t) for t in act.ties}
        edge_rows = [
            {"x": pos[e["source"]][0], "y": pos[e["source"]][1], "x2": pos[e["target"]][0], "y2": pos[e["target"]][1],
             "type": types.get(e["type"], e["type"])}
            for e in edges
        ]
        return nodes, pd.DataFrame(edge_rows, columns=["x", "y", "x2", "y2", "type"]), pd.DataFrame(guides, columns=["x", "y", "text", "align"])

    def presenter_labels(self, nodes: pd.DataFrame) -> pd.DataFrame:
        """The projector's names: in a column on each side of the ring, evenly spaced in the
        nodes' order from top to bottom, each cut with "…" to fit its column; a leader line joins
        a name to its node. As many names as the column holds (the rest stay dots).

        Returns ``x, y, label, align, nx, ny`` (the name's anchor and its node)."""
        size, height, width = self.SCREEN_TEXT, self.SCREEN_HEIGHT, self.SCREEN_WIDTH
        half_y = 1.15
        half_x = half_y * width / height
        edge = self.RINGS[1] + 0.2
        chars = max(6, int((half_x - edge) * height / (2 * half_y) / (0.56 * size)))
        rows = []
        fits = max(1, int(height / (size * 1.25)))
        for align, part in (("right", nodes[nodes["x"] < 0]), ("left", nodes[nodes["x"] >= 0])):
            part = part.sort_values("y", ascending=False).head(fits)
            n = len(part)
            for i, node in enumerate(part.itertuples()):
                y = half_y - (i + 0.5) * 2 * half_y / n if n > 1 else node.y
                name = str(node.label)
                rows.append({"x": -edge if align == "right" else edge, "y": y, "align": align,
                             "label": name if len(name) <= chars else name[: chars - 1].rstrip() + "…",
                             "nx": node.x, "ny": node.y})
        return pd.DataFrame(rows, columns=["x", "y", "label", "align", "nx", "ny"])

    def map_html(self, *, size: int = 640, presenting: bool = False) -> str:
        nodes, edges, guides = self.layout()
        act = self.activity
        sectors = [self.tr.label(s) for s in act.sectors]
        if (nodes["sector"] == self.tr("unknown")).any():
            sectors.append(self.tr("unknown"))
        screen = {}
        if presenting:  # the roles' guides would crowd the names: the projector leaves them out
            screen = {"labels": self.presenter_labels(nodes), "text_size": self.SCREEN_TEXT,
                      "height": self.SCREEN_HEIGHT, "size": self.SCREEN_WIDTH}
            guides = None
        chart = network_chart(
            nodes, edges, sectors=sectors, tie_types=[self.tr.label(t) for t in act.ties],
            tie_styles=[t.style for t in act.ties], size=screen.pop("size", size), guides=guides, rings=self.RINGS,
            side_order=[self.tr.label(s) for s in act.sides], **screen,
        )
        alt_text = self.tr("map_alt", actors=len(nodes), ties=len(edges),
                           strong=sum(1 for e in self.network.edges() if self._style(e["type"]) == "solid"),
                           weak=sum(1 for e in self.network.edges() if self._style(e["type"]) == "dashed"),
                           missing=len(self.network.missing_links()))
        return svg_img(to_svg(chart), alt_text, css="vt-chart vt-map")

    def _style(self, tie_type: str) -> str:
        return next((t.style for t in self.activity.ties if t.id == tie_type), "solid")

    def counts_table_html(self) -> str:
        act = self.activity
        actors = self.network.visible_actors
        sectors = {s.id: self.tr.label(s) for s in act.sectors}
        rows = []
        for role in act.roles:
            mine = [a for a in actors if a.role == role.id]
            rows.append([esc(self.tr.label(role))] + [str(sum(1 for a in mine if a.sector == s)) for s in sectors] + [str(len(mine))])
        totals = [str(sum(1 for a in actors if a.sector == s)) for s in sectors]
        rows.append([esc(self.tr("total"))] + totals + [str(len(actors))])
        table = _table(self.tr("map_by_role_sector"), [esc(self.tr("map_role"))] + [esc(v) for v in sectors.values()] + [esc(self.tr("total"))], rows)
        side_counts = " · ".join(f"{esc(self.tr.label(s))}: {sum(1 for a in actors if a.side == s.id)}" for s in act.sides)
        return table + f"<p class='vt-muted'>{side_counts}</p>"

    def missing_html(self) -> str:
        missing = self.network.missing_links()
        if not missing:
            return f"<h4>{esc(self.tr('map_missing'))}</h4><p class='vt-muted'>{esc(self.tr('map_no_missing'))}</p>"
        items = "".join(
            f"<li><strong>{esc(self.network.name_of(e['source']))}</strong> – <strong>{esc(self.network.name_of(e['target']))}</strong>"
            + (f": {esc(' / '.join(e['notes']))}" if e["notes"] else "")
            + (f" <span class='vt-muted'>×{e['count']}</span>" if e["count"] > 1 else "")
            + "</li>"
            for e in missing
        )
        return f"<h4>{esc(self.tr('map_missing'))}</h4><ul class='vt-list'>{items}</ul>"

    def actors_html(self) -> str:
        act = self.activity
        labels = {k: {i.id: self.tr.label(i) for i in getattr(act, k)} for k in ("sectors", "sides", "roles")}
        rows = [
            [esc(a.name), esc(a.organisation), esc(labels["sectors"].get(a.sector, "")), esc(labels["sides"].get(a.side, "")),
             esc(labels["roles"].get(a.role, ""))]
            for a in sorted(self.network.visible_actors, key=lambda a: a.name.casefold())
        ]
        head = [self.tr(k) for k in ("map_name", "map_organisation", "map_sector", "map_side", "map_role")]
        return _table(self.tr("map_actors"), [esc(h) for h in head], rows)

    def exports_html(self) -> str:
        def link(data: str, mime: str, name: str, label: str) -> str:
            b64 = base64.b64encode(data.encode("utf-8")).decode("ascii")
            return f"<a class='vt-download' download='{name}' href='data:{mime};base64,{b64}'>{esc(label)}</a>"

        return (
            f"<p class='vt-exports'>{link(to_graphml(self.network, self.tr), 'application/graphml+xml', f'{self.activity.id}.graphml', self.tr('map_export_graphml'))} "
            f"{link(to_kumu(self.network, self.tr), 'application/json', f'{self.activity.id}-kumu.json', self.tr('map_export_kumu'))}</p>"
        )

    def _blocks(self, role: str) -> list[tuple[str, str]]:
        if role == "screen":
            return [("map", self.map_html(presenting=True))]
        blocks = [("map", self.map_html()), ("counts", self.counts_table_html()), ("missing", self.missing_html())]
        if role == "facilitator":
            blocks.append(("exports", self.exports_html()))
        else:
            blocks.append(("actors", self.actors_html()))
        return blocks
