"""Activity kinds: one folder each, found through one registry.

A kind is a folder ``kinds/<kind>/`` whose ``__init__.py`` registers a :class:`Kind`: by
``"module:attribute"`` path, its template model (a pydantic record, which only the pages that
check templates import: a phone reads plain copies, :mod:`vertaiset_widgets.plain`) and
the other parts — the participant's panel, the console and screen view, the results,
the report, the exports and the demo data — imported only when a page asks for them. The
pages, the report, the export and the CLI ask the registry and never name a kind, the way
papermill finds its engines. See ``kinds/README.md`` for what a kind implements.

Kinds outside this package arrive through the ``vertaiset.kinds`` entry-point group: an
entry point names a module whose import registers its kinds.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from ..plain import import_path

__all__ = ["Kind", "all_kinds", "for_activity", "get", "register", "style_element", "stylesheet", "summary_line"]

#: The kinds this package ships, in the order the schema and the docs list them.
BUILTIN = (
    "rating_matrix",
    "highlights",
    "choice",
    "allocation",
    "position",
    "canvas",
    "agreement_board",
    "network_map",
    "year_clock",
    "practice_profile",
    "multi_time",
    "meeting_planner",
    "contacts",
    "progress",
    # ---- phase 4 exercises
    "peer_360",
    "profile_reading",
    "maturity_ladder",
    "fragmentation_risks",
    # ---- phase 4 reflection and the next round
    "step_vote",
    "round_start",
    # ---- history across rounds
    "history",
)


@dataclass(frozen=True)
class Kind:
    """One activity kind and where its parts live.

    Parameters
    ----------
    name : str
        The ``kind:`` a template names.
    model : str
        ``"module:Class"`` of the template model (a frozen pydantic record with
        ``kind: Literal[name]``); see :meth:`model_class`.
    panel : str, optional
        ``"module:Class"`` of the participant's panel (light: no pandas or altair).
    console : str
        ``"module:Class"`` of the facilitator's and the screen's live view, or of a function
        ``(activity) -> class`` when the view depends on the template (a radar or a heatmap).
    results : str, optional
        ``"module:Class"`` of the results (their ``blocks(role)`` draw the console, the screen
        and the report), or of a function ``(activity) -> class or None``.
    report : str, optional
        ``"module:function"`` ``(workbook, activity) -> None`` drawing the static report, for
        a kind whose report is not its results' blocks.
    tables : str, optional
        ``"module:function"`` ``(store, session_id, activity) -> list of dicts``: rows a kind keeps
        outside the answers (an agreement board), for the session's JSON and XLSX export.
    files : mapping of str to (str, str)
        Export formats of one activity: format name to (``"module:function"``
        ``(store, session, activity, tr) -> str``, file suffix), e.g. the network map's
        GraphML and Kumu JSON.
    tools : str, optional
        ``"module:Class"`` of the facilitator's own tools on the console (edit a board, merge
        actors); built as ``Class(console)``, with ``widgets()`` and ``update(results)``.
    demo : str, optional
        ``"module"`` with the kind's examples: ``EXAMPLE`` (a minimal template entry),
        ``BROKEN`` (``(field, value)`` that makes ``EXAMPLE`` invalid) and ``answer(form)``
        (what a phone sends to the panel's form); the contract test runs every kind with them.
    history : str, optional
        ``"module:function"`` drawing this kind's activity across a network's rounds (the
        ``history`` kind asks it; see ``kinds/history``).
    summary : str, optional
        ``"module:function"`` ``(store, session, activity, tr) -> str or None``: the activity's
        key result as one line for the report's summary, for a kind whose line does not come
        from its results' ``summary()`` (see :func:`summary_line`).
    report_weight : float
        What drawing one activity of this kind in a report costs, relative to a bar chart's
        1.0: the report shares its workbooks among its kernels by these weights until it has
        timed them once on the machine (a kind of several radars weighs more).
    """

    name: str
    model: str
    panel: str | None = None
    console: str = "vertaiset_widgets.consoles:BlocksConsole"
    results: str | None = None
    report: str | None = None
    tables: str | None = None
    files: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    tools: str | None = None
    demo: str | None = None
    history: str | None = None
    summary: str | None = None
    report_weight: float = 1.0

    # the parts, imported when first asked for ----------------------------------------
    def model_class(self) -> type:
        """The template model (imported now: it brings pydantic)."""
        return self.model if isinstance(self.model, type) else import_path(self.model)

    def panel_class(self) -> type | None:
        """The participant's panel class (None: participants see nothing of this kind)."""
        return import_path(self.panel) if self.panel else None

    def console_class(self, activity: Any) -> type:
        """The console class for ``activity`` (facilitator and screen)."""
        return _pick(import_path(self.console), activity)

    def results_class(self, activity: Any) -> type | None:
        """The results class for ``activity``, or None when the kind draws itself."""
        return _pick(import_path(self.results), activity) if self.results else None

    def report_function(self) -> Callable[[Any, Any], None] | None:
        """The kind's own report function, or None (the report shows the results' blocks)."""
        return import_path(self.report) if self.report else None

    def table_rows(self, store: Any, session_id: int, activity: Any) -> list[dict]:
        """Rows the kind keeps outside the answers, for the session export (often none)."""
        return import_path(self.tables)(store, session_id, activity) if self.tables else []

    def history_function(self) -> Callable[..., Any] | None:
        """The kind's drawing across a network's rounds (``history``), or None."""
        return import_path(self.history) if self.history else None

    def summary_function(self) -> Callable[..., str | None] | None:
        """The kind's own summary line (``summary``), or None (the results' ``summary()`` says it)."""
        return import_path(self.summary) if self.summary else None

    def tools_class(self) -> type | None:
        """The facilitator's tools for this kind, or None."""
        return import_path(self.tools) if self.tools else None

    def demo_module(self) -> Any:
        """The kind's examples (see ``demo``), or None."""
        return importlib.import_module(self.demo) if self.demo else None

    def stylesheet(self) -> str:
        """The kind's own stylesheet block (``style.css`` in its folder), or an empty string."""
        from importlib.resources import files

        module = self.model.partition(":")[0] if isinstance(self.model, str) else self.model.__module__
        path = files(module.rpartition(".")[0]).joinpath("style.css")
        return path.read_text(encoding="utf-8") if path.is_file() else ""

    def file_export(self, fmt: str) -> Callable[..., str]:
        """The function writing ``fmt`` for one activity of this kind."""
        return import_path(self.files[fmt][0])


def _pick(target: Any, activity: Any) -> Any:
    """A class as it is; a function chooses the class for the activity."""
    return target if isinstance(target, type) else target(activity)


_REGISTRY: dict[str, Kind] = {}
_discovered = False


def register(kind: Kind) -> Kind:
    """Add a kind (a kind's ``__init__`` calls this once); the same name twice is an error."""
    known = _REGISTRY.get(kind.name)
    if known is not None and known != kind:
        raise ValueError(f"activity kind {kind.name!r} is registered twice")
    _REGISTRY[kind.name] = kind
    return kind


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    _discovered = True
    for name in BUILTIN:
        importlib.import_module(f"{__name__}.{name}")
    from importlib.metadata import entry_points

    for entry in entry_points(group="vertaiset.kinds"):
        entry.load()


def all_kinds() -> Iterator[Kind]:
    """Every registered kind: the built-in ones in :data:`BUILTIN` order, then the others as
    they registered (whichever kind a page happened to import first changes nothing)."""
    _discover()
    order = {name: i for i, name in enumerate(BUILTIN)}
    return iter(sorted(_REGISTRY.values(), key=lambda k: order.get(k.name, len(order))))


def get(name: str) -> Kind:
    """The kind called ``name``; :class:`KeyError` naming the known kinds otherwise."""
    _discover()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown activity kind {name!r}; known kinds: {', '.join(_REGISTRY)}") from None


def stylesheet() -> str:
    """The kinds' shared block (``shared.css``), then every kind's stylesheet block in registry
    order: the Voila page and the report inline it."""
    from importlib.resources import files

    shared = files(__name__).joinpath("shared.css").read_text(encoding="utf-8")
    return "\n".join(css for css in (shared, *(k.stylesheet() for k in all_kinds())) if css)


def style_element() -> str:
    """:func:`stylesheet` as one ``<style data-vt-kinds>`` element, for a live page to show once.

    An output of the page's first cell rather than a file the template links: a kind from
    another package brings its look with it, and the report inlines the same text.
    """
    return f"<style data-vt-kinds>\n{stylesheet()}\n</style>"


def for_activity(activity: Any) -> Kind:
    """The kind of an activity record."""
    return get(activity.kind)


def summary_line(store: Any, session: Any, activity: Any, tr: Any) -> str | None:
    """``activity``'s key result in ``tr``'s language as one line of plain text, for the report's
    summary: the kind's ``summary`` function, else its results' ``summary()``; None when there is
    nothing to say yet or the kind has neither. Participants' words may be in it (unescaped: the
    caller escapes it for HTML), never who wrote them."""
    kind = for_activity(activity)
    own = kind.summary_function()
    if own is not None:
        return own(store, session, activity, tr)
    results = kind.results_class(activity)
    if results is None:
        return None
    return results.load(store, session, activity, tr).summary()
