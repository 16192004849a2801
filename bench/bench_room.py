#!/usr/bin/env python
"""A full room: N simulated phones and one facilitator against ONE real `vertaiset serve`.

Run::

    .venv/bin/python bench/bench_room.py --participants 60 [--out bench/RESULTS.md] [--compare-preheat 4]
    .venv/bin/python bench/bench_room.py --participants 200 --burst 30 [--servers 2 --db postgresql] --out FILE

With ``--burst S`` (the QR burst) the phones arrive at seeded uniform random moments within S
seconds, each sending its GET at once; the server runs ``--room N`` and the run waits until its
pools are full (``/vertaiset/api/limits``) before the first arrival. Then the same arrivals meet
the bare slider (bench/bare_slider.ipynb) from a pool of the same size, as the baseline. The
section written has the issue's figures with their targets and "met"/"not met" computed. With
``--servers K --db postgresql`` K servers share one PostgreSQL (``--db-url``, or a throwaway
cluster started here) behind nginx rendered from deploy/nginx (tests/nginx_proxy.py); each phone
keeps the proxy's sticky cookie. Its section shows the one-server figures of the same room from
the ``--out`` file beside its own.

Nothing here is a mock and nothing goes through the store on the participants' behalf:
every participant is a real Voila page with its own real kernel, driven through Voila's own
HTTP and websocket endpoints exactly as the browser's JavaScript would drive it.

1. Setup: a temporary folder with copies of ``workbooks/osallistu.ipynb`` and
   ``workbooks/04_arviointi.ipynb``, a temporary SQLite database, one session
   (``SessionStore(url).create_session``) whose highlights activity ``unelmaverkosto`` is
   open; the facilitator key is kept.
2. ONE ``python -m vertaiset_widgets.cli serve --root TMP --port P --db-url URL
   --cull-idle-timeout 600 --cull-interval 60 [--preheat N]`` on 127.0.0.1, in its own
   process group (stopped at the end even on error; its kernels are stopped by pid).
3. The facilitator: ``GET /voila/render/04_arviointi.ipynb?session=CODE&key=KEY`` (the kernel
   id is read from ``<script id="jupyter-config-data">``), a websocket to
   ``/api/kernels/<id>/channels`` (plain JSON Jupyter messages, protocol 5.3), comm_open
   ``jupyter.widget.control`` + ``request_states``; then every widget update is watched: the
   counts HTML (``data-vt-highlights='N'``) and the moderation wall's items.
4. N participants, at most ``--get-concurrency`` (default 8) page GETs in flight at once
   (an ``asyncio.Semaphore``): ``GET /voila/render/osallistu.ipynb?session=CODE``, websocket,
   ``request_states``, then the invisible ``BrowserToken`` widget (anywidget, ``scope`` ==
   the code) gets ``{"method": "update", "state": {"token": <32 hex>}}`` as static/token.js
   sends it. The kernel joins the participant and opens the highlights post form
   (``form == "fields"`` with a field ``text``): the participant has joined.
   (With a preheated kernel the page was executed without the query string and shows the
   join-code form instead; the bench then types the code into it, as a phone would have to.)
5. When all have joined (or failed), each participant posts ``--posts`` (default 2)
   highlights with unique texts, spread over ``--post-spread`` seconds, by sending the form's
   comm ``{"method": "custom", "content": {"type": "submit", "value": {"text", "tag"}}}``
   (static/forms.js) and waiting for the acknowledgement.
6. The bench reveals the wall (``store.set_activity_state(..., is_revealed=True)``, as the
   facilitator's "reveal" button does); each participant waits until its wall (WallView, mode
   "participant") lists every posted highlight, then +1s ``--votes`` (default 3) highlights
   of others: ``{"type": "vote", "item": ID, "on": true}`` (the wall in static/forms.js), waiting for each ack.
7. Afterwards the store is read (``kinds.highlights.wall.read_wall``) and compared with the
   acknowledgements: every acknowledged highlight and +1 must be there exactly once.

Acknowledgement: every message a kernel sends while it handles our comm message carries that
message as its parent, and the kernel reports ``status: idle`` for it when done. The ack is
the first update on the same comm, with our message as parent, that sets ``status_kind``
("ok" or "error"). ipywidgets only sends traits whose value changed, so a second "saved"
status identical to the first is not sent again: then the success side effect is the ack --
``cleared`` incremented (post form) or the item shown as voted (the wall's ``voted``; inside
its ``items`` in runs from before the +1s were sent apart). Both kinds are counted and reported. No reply before ``--ack-timeout`` = no ack.

Latency to the facilitator: the k-th acknowledged highlight (in ack order) counts as shown
when the facilitator's count first reads >= k (the count only grows in this run). As a
cross-check, the exact time each highlight's text first appears in the facilitator's wall
items is reported too.

Exit status: 0 all good; 1 an acknowledged answer is missing from the store or stored twice;
2 the run did not complete (a participant failed to join, an ack timed out, the facilitator
never showed everything).
"""
from __future__ import annotations

import argparse
import asyncio
import atexit
import json
import os
import platform
import random
import re
import secrets
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode

import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from benchlib import (HOST, ROOM_TARGETS, ServeProcess, ThrowawayPostgres, burst_arrivals, free_port, section_head,  # noqa: E402
                      pools_full, pools_text, preheated_takes, room_target_column, server_limits, verdict)
BARE_NB = "bare_slider.ipynb"
ACTIVITY = "unelmaverkosto"
PARTICIPANT_NB = "osallistu.ipynb"
FACILITATOR_NB = "04_arviointi.ipynb"
CULL_IDLE = 600
CULL_INTERVAL = 60
MIB = 1024 * 1024
CONFIG_RE = re.compile(r'<script id="jupyter-config-data" type="application/json">\s*(.*?)\s*</script>', re.S)
HIGHLIGHTS_RE = re.compile(r"data-vt-highlights='(\d+)'")
VIEW_RE = re.compile(r'application/vnd\.jupyter\.widget-view\+json"\s*:\s*\{\s*"model_id"\s*:\s*"([0-9a-f]+)"')


#: IPython startup file for the ``--workaround`` variant (kernels only; the repository is not touched).
#: In vertaiset_widgets/forms.py the widgets' custom-message callback is a method named
#: ``_handle_msg(self, widget, content, buffers)``, which shadows ipywidgets' own
#: ``Widget._handle_msg(self, msg)`` -- the handler the comm calls for EVERY message from the
#: browser. Each submit, +1 or state update from a browser then dies in the kernel with
#: "TypeError: ..._handle_msg() missing 2 required positional arguments". This file wraps
#: such a method so that the comm's one-argument call reaches ipywidgets again and the
#: three-argument custom-message call reaches the app's handler unchanged. It does nothing
#: when the method is not shadowed (i.e. once the app is fixed), and logs what it did.
WORKAROUND_STARTUP = r"""
import inspect, os
try:
    import ipywidgets
    from vertaiset_widgets import forms as _vt_forms
    _done = []
    for _name in dir(_vt_forms):
        _cls = getattr(_vt_forms, _name)
        if not (isinstance(_cls, type) and issubclass(_cls, ipywidgets.Widget)):
            continue
        _own = _cls.__dict__.get("_handle_msg")
        if _own is None or len(inspect.signature(_own).parameters) != 4:
            continue
        def _make(own):
            def _handle_msg(self, *args):
                if len(args) == 1:  # the comm: every message from the browser
                    return ipywidgets.Widget._handle_msg(self, args[0])
                return own(self, *args)  # on_msg: (widget, content, buffers)
            return _handle_msg
        _cls._handle_msg = _make(_own)
        _done.append(_name)
    with open(os.environ["VT_BENCH_WORKAROUND_LOG"], "a") as _fh:
        _fh.write(f"{os.getpid()} {','.join(_done) or '-'}\n")
except Exception as _exc:
    with open(os.environ.get("VT_BENCH_WORKAROUND_LOG", "/dev/null"), "a") as _fh:
        _fh.write(f"{os.getpid()} failed {_exc!r}\n")
"""


#: Run in a fresh process after a room's server has stopped, on that room's final database:
#: what one redraw costs the facilitator's kernel and a phone's kernel, with a full room's data.
REDRAW_PROBE = r"""
import json, os, sys, time
os.environ.pop("QUERY_STRING", None)
url, code, key = sys.argv[1:4]
from vertaiset_widgets.store import SessionStore
from vertaiset_widgets.workbook import Workbook
from vertaiset_widgets.kinds.highlights.panel import HighlightsPanel
from vertaiset_widgets.content import load_content
from vertaiset_widgets.i18n import Translator

def med(fn, n=5):
    xs = []
    for _ in range(n):
        t = time.perf_counter(); fn(); xs.append(time.perf_counter() - t)
    return sorted(xs)[len(xs) // 2]

store = SessionStore(url)
wb = Workbook.open(session=code, key=key, role="facilitator", db_url=url)
c360 = wb.activity("arviointi_360")
chl = wb.activity("unelmaverkosto")
out = {"fac_360": med(c360.redraw, 3), "fac_hl": med(chl.redraw, 3),
       "fac_hl_counts": med(lambda: chl.redraw(with_charts=False))}
session = store.get_session(code)
participant = store.participants(session.id)[0]
content = load_content()
tr = Translator.create(content, "fi")
panel = HighlightsPanel(store, participant, content.activity("unelmaverkosto"), tr)
state = store.activity_state(session.id, "unelmaverkosto")
out["phone_update"] = med(lambda: panel.update(state))
# what a phone does when only +1s changed: read the votes alone and send the counts
out["phone_votes"] = med(lambda: panel.update_part("votes"))
# a poll that finds a change: the session's revision, what changed since, the activities' states
out["phone_poll"] = med(lambda: (store.revision(session.id), store.changes_since(session.id, 0), store.activity_states(session.id)))
print("PROBE " + json.dumps(out))
"""


def now() -> float:
    return time.monotonic()


def pct(values: list[float], q: float) -> float | None:
    """Percentile by linear interpolation (q in 0..100); None for no values."""
    if not values:
        return None
    xs = sorted(values)
    if len(xs) == 1:
        return xs[0]
    pos = (len(xs) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def fmt_s(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def p50_p95_max(values: list[float], digits: int = 2) -> str:
    if not values:
        return "–"
    return f"{fmt_s(pct(values, 50), digits)} / {fmt_s(pct(values, 95), digits)} / {fmt_s(max(values), digits)}"


# --------------------------------------------------------------------------- the server
class Server(ServeProcess):
    """The room's server: culling as in production, optionally preheated kernels."""

    def __init__(self, root: Path, db_url: str, port: int, log_path: Path, preheat: int,
                 extra_env: dict[str, str] | None = None, room: int = 0):
        env = {k: v for k, v in os.environ.items() if k not in ("QUERY_STRING", "VERTAISET_DB_URL")}
        env["PYTHONUNBUFFERED"] = "1"
        env.update(extra_env or {})
        extra = ["--cull-idle-timeout", str(CULL_IDLE), "--cull-interval", str(CULL_INTERVAL),
                 # every simulated phone comes from 127.0.0.1: the per-address cap would stop the room at 60
                 "--max-kernels-per-address", "0"]
        if room:
            extra += ["--room", str(room)]
        if preheat:
            extra += ["--preheat", str(preheat)]
        super().__init__(root, db_url, port, log_path, env, extra)
        self.ws_url = f"ws://{HOST}:{port}"


class Sampler(threading.Thread):
    """RSS of the server and its kernels every ``interval`` s; keeps the peak."""

    def __init__(self, servers: list[Server], interval: float = 1.0):
        super().__init__(daemon=True)
        self.servers = servers
        self.interval = interval
        self.stop_event = threading.Event()
        self.peak_total = 0
        self.peak = (0, 0, 0)  # server rss, kernels rss sum, kernel count at the peak
        self.max_kernels = 0
        self.samples: list[tuple[float, int, int, int]] = []
        self.lock = threading.Lock()

    def sample(self) -> tuple[int, int, int]:
        srv = 0
        for server in self.servers:
            try:
                srv += server.ps.memory_info().rss
            except psutil.Error:
                pass
        total_k = 0
        kernels = [k for server in self.servers for k in server.kernels()]
        for k in kernels:
            try:
                total_k += k.memory_info().rss
            except psutil.Error:
                pass
        return srv, total_k, len(kernels)

    def run(self) -> None:
        while not self.stop_event.is_set():
            srv, ks, n = self.sample()
            with self.lock:
                self.samples.append((now(), srv, ks, n))
                if srv + ks > self.peak_total:
                    self.peak_total = srv + ks
                    self.peak = (srv, ks, n)
                self.max_kernels = max(self.max_kernels, n)
            self.stop_event.wait(self.interval)

    def cpu_snapshot(self, facilitator_kernel: str | None) -> dict[str, float]:
        """CPU seconds used so far: the server process, all its kernels, the facilitator's kernel."""
        out = {"server": 0.0, "kernels": 0.0, "facilitator": 0.0}
        for server in self.servers:
            try:
                t = server.ps.cpu_times()
                out["server"] += t.user + t.system
            except psutil.Error:
                pass
        for k in [k for server in self.servers for k in server.kernels()]:
            try:
                t = k.cpu_times()
                c = t.user + t.system
                out["kernels"] += c
                if facilitator_kernel and facilitator_kernel in " ".join(k.cmdline()):
                    out["facilitator"] = c
            except psutil.Error:
                pass
        return out


# --------------------------------------------------------------------------- one page = one kernel connection
def parse_ws_message(data: str | bytes) -> dict:
    if isinstance(data, bytes):  # legacy binary framing: nbufs, offsets, json, buffers
        nbufs = struct.unpack("!I", data[:4])[0]
        offsets = list(struct.unpack(f"!{nbufs}I", data[4:4 + 4 * nbufs]))
        offsets.append(len(data))
        msg = json.loads(data[offsets[0]:offsets[1]].decode("utf-8"))
        msg["buffers"] = [data[offsets[i]:offsets[i + 1]] for i in range(1, nbufs)]
        return msg
    return json.loads(data)


@dataclass
class Reply:
    """Everything a kernel sent with one of our messages as parent, until it was idle for it."""

    msg_id: str
    sent: float
    updates: list[tuple[float, str, dict]] = field(default_factory=list)  # (t, comm_id, state delta)
    opens: list[tuple[float, str, dict]] = field(default_factory=list)
    idle: float | None = None
    stderr: list[str] = field(default_factory=list)
    future: asyncio.Future | None = None


class PageConn:
    """A websocket to one page's kernel, with the widget models as the browser would hold them."""

    def __init__(self, server: Any, kernel_id: str, label: str, cookie: str = ""):
        self.server = server  # what the page was loaded through: a Server or the Front (nginx)
        self.cookie = cookie
        self.kernel_id = kernel_id
        self.label = label
        self.session = uuid.uuid4().hex
        self.ws = None
        self.models: dict[str, dict] = {}
        self.model_names: dict[str, str] = {}
        self.opened_at: dict[str, float] = {}
        self.replies: dict[str, Reply] = {}
        self.hooks: list[Callable[[float, str, dict], None]] = []
        self.closed = False
        self.error: str | None = None
        self.control_id = uuid.uuid4().hex
        self._changed = asyncio.Event()
        self._reader: asyncio.Task | None = None
        self.messages = 0
        self.bytes = 0
        self.stderr: list[tuple[float, str]] = []  # what the kernel printed to stderr / error replies
        self.sent_what: dict[str, str] = {}  # msg_id -> what we sent (to name the cause of a kernel error)

    async def connect(self, timeout: float) -> None:
        url = f"{self.server.ws_url}/api/kernels/{self.kernel_id}/channels?session_id={self.session}"
        req = HTTPRequest(url, connect_timeout=timeout, validate_cert=getattr(self.server, "validate_cert", True),
                          headers={"Cookie": self.cookie} if self.cookie else None)
        self.ws = await asyncio.wait_for(websocket_connect(req, max_message_size=256 * MIB), timeout)
        self._reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        try:
            while True:
                data = await self.ws.read_message()
                if data is None:
                    break
                t = now()
                self.messages += 1
                self.bytes += len(data)
                try:
                    self._handle(parse_ws_message(data), t)
                except Exception as exc:  # a bench bug must not stop reading
                    self.error = f"handling a message failed: {exc!r}"
                self._notify()
        except Exception as exc:
            self.error = f"websocket: {exc!r}"
        finally:
            self.closed = True
            for r in self.replies.values():
                if r.future is not None and not r.future.done():
                    r.future.set_result(r)
            self._notify()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _handle(self, msg: dict, t: float) -> None:
        if msg.get("channel") != "iopub":
            return
        mtype = msg.get("header", {}).get("msg_type") or msg.get("msg_type")
        content = msg.get("content") or {}
        parent = (msg.get("parent_header") or {}).get("msg_id")
        reply = self.replies.get(parent) if parent else None
        if mtype == "comm_open" and content.get("target_name") == "jupyter.widget":
            cid = content["comm_id"]
            state = decoded((content.get("data") or {}).get("state") or {})
            self.models[cid] = state
            self.model_names[cid] = state.get("_model_name", "")
            self.opened_at[cid] = t
            if reply is not None:
                reply.opens.append((t, cid, state))
            for hook in list(self.hooks):
                hook(t, cid, state)
        elif mtype == "comm_msg":
            cid = content.get("comm_id")
            data = content.get("data") or {}
            method = data.get("method")
            if cid == self.control_id and method == "update_states":
                for mid, info in (data.get("states") or {}).items():
                    state = decoded(info.get("state") or {})
                    self.models[mid] = state
                    self.model_names[mid] = info.get("model_name", "")
                    self.opened_at.setdefault(mid, t)
                    for hook in list(self.hooks):
                        hook(t, mid, state)
                if reply is not None:
                    reply.updates.append((t, cid, {"update_states": True}))
            elif method in ("update", "echo_update") and cid in self.models:
                delta = decoded(data.get("state") or {})
                self.models[cid].update(delta)
                if method == "update":
                    if reply is not None:
                        reply.updates.append((t, cid, delta))
                    for hook in list(self.hooks):
                        hook(t, cid, delta)
        elif mtype == "comm_close":
            self.models.pop(content.get("comm_id"), None)
        elif mtype == "stream" and content.get("name") == "stderr":
            ph = msg.get("parent_header") or {}
            if self.control_id in content.get("text", ""):
                content = dict(content, text=content.get("text", "") + "\n[own control comm]")
            self.stderr.append((t, content.get("text", "") + f"\n[while handling: {self.sent_what.get(parent) or 'not ours: ' + str(ph.get('msg_type')) + ' from session ' + str(ph.get('session', ''))[:8]}]"))
            if reply is not None:
                reply.stderr.append(content.get("text", ""))
        elif mtype == "error":
            text = "\n".join(content.get("traceback") or []) or f"{content.get('ename')}: {content.get('evalue')}"
            self.stderr.append((t, text + f"\n[while handling: {self.sent_what.get(parent, 'no message of ours')}]"))
            if reply is not None:
                reply.stderr.append(text)
        elif mtype == "status" and content.get("execution_state") == "idle" and reply is not None:
            reply.idle = t
            if reply.future is not None and not reply.future.done():
                reply.future.set_result(reply)

    def _send(self, msg_type: str, content: dict, metadata: dict | None = None) -> Reply:
        if self.closed or self.ws is None:
            raise ConnectionError(f"{self.label}: websocket closed ({self.error})")
        msg_id = uuid.uuid4().hex
        msg = {
            "header": {
                "msg_id": msg_id,
                "username": "bench",
                "session": self.session,
                "date": datetime.now(timezone.utc).isoformat(),
                "msg_type": msg_type,
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": "shell",
        }
        data = content.get("data") or {}
        model = self.models.get(content.get("comm_id"), {})
        self.sent_what[msg_id] = (
            f"{msg_type} {data.get('method', content.get('target_name', ''))} "
            f"{json.dumps(data.get('content') or data.get('state') or {}, ensure_ascii=False)[:80]} to "
            f"{model.get('_anywidget_id') or self.model_names.get(content.get('comm_id')) or content.get('comm_id')}"
        )
        reply = Reply(msg_id, now(), future=asyncio.get_running_loop().create_future())
        self.replies[msg_id] = reply
        self.ws.write_message(json.dumps(msg))
        return reply

    async def wait_reply(self, reply: Reply, timeout: float) -> Reply:
        try:
            await asyncio.wait_for(asyncio.shield(reply.future), timeout)
        except asyncio.TimeoutError:
            pass
        return reply

    async def request_states(self, timeout: float) -> None:
        self._send("comm_open", {"comm_id": self.control_id, "target_name": "jupyter.widget.control", "data": {}},
                   metadata={"version": "1.0.0"})
        reply = self._send("comm_msg", {"comm_id": self.control_id, "data": {"method": "request_states"}})
        await self.wait_reply(reply, timeout)
        if not any(d.get("update_states") for _t, _c, d in reply.updates):
            raise TimeoutError(f"{self.label}: no update_states within {timeout:.0f} s ({self.error or 'no error'})")

    def update(self, comm_id: str, state: dict) -> Reply:
        """What ``model.set(...); model.save_changes()`` sends."""
        return self._send("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state, "buffer_paths": []}})

    def custom(self, comm_id: str, content: dict) -> Reply:
        """What ``model.send(content)`` sends."""
        return self._send("comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": content}})

    async def wait_for(self, pred: Callable[[], Any], timeout: float, what: str) -> Any:
        deadline = now() + timeout
        while True:
            result = pred()
            if result:
                return result
            if self.closed:
                raise ConnectionError(f"{self.label}: websocket closed while waiting for {what} ({self.error})")
            left = deadline - now()
            if left <= 0:
                raise TimeoutError(f"{self.label}: no {what} within {timeout:.0f} s")
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), min(left, 5.0))
            except asyncio.TimeoutError:
                pass

    def find(self, pred: Callable[[dict], bool]) -> str | None:
        for cid, state in self.models.items():
            try:
                if pred(state):
                    return cid
            except Exception:
                continue
        return None

    async def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
        if self._reader is not None:
            try:
                await asyncio.wait_for(self._reader, 5)
            except Exception:
                pass


def has_field(state: dict, name: str) -> bool:
    return state.get("form") == "fields" and any(f.get("name") == name for f in state.get("fields") or [])


def decoded(state: dict) -> dict:
    """A widget state as the browser reads it: a wall's ``items`` come as one JSON text."""
    state = dict(state)
    if isinstance(state.get("items"), str):
        try:
            state["items"] = json.loads(state["items"])
        except ValueError:
            pass
    return state


def is_token(state: dict, code: str) -> bool:
    return state.get("scope") == code and "token" in state


def is_wall(state: dict, mode: str) -> bool:
    return state.get("mode") == mode and "items" in state and "votes_shown" in state


def wall_votes(state: dict) -> int:
    """Every +1 a wall shows: its ``votes`` counts (or, from walls that sent them inside the items, those)."""
    if isinstance(state.get("votes"), dict):
        return sum(int(n or 0) for n in state["votes"].values())
    return sum(int(it.get("votes") or 0) for it in state.get("items") or [])


def shows_voted(delta: dict, item: str) -> bool:
    """True when a wall's update shows ``item`` as +1'd by this viewer (``voted``, or inside the items)."""
    if isinstance(delta.get("voted"), list) and item in delta["voted"]:
        return True
    return isinstance(delta.get("items"), list) and any(it.get("id") == item and it.get("voted") for it in delta["items"])


# --------------------------------------------------------------------------- records
@dataclass
class Submission:
    kind: str  # "post" or "vote"
    who: int
    text: str = ""
    item: str = ""
    sent: float = 0.0
    ack: float | None = None
    outcome: str | None = None  # "ok", "error" or None (no ack)
    signal: str = ""  # "status", "cleared", "items"
    status_text: str = ""
    idle: float | None = None
    kernel_error: str = ""


@dataclass
class ParticipantRun:
    idx: int
    token: str
    launched: float = 0.0
    get_start: float | None = None
    get_done: float | None = None
    get_bytes: int = 0
    views: int = 0  # widget views in the page's HTML (0: a browser would show an empty page)
    ws_open: float | None = None
    states: float | None = None
    token_sent: float | None = None
    form_open: float | None = None
    code_typed: bool = False
    kernel_id: str = ""
    cookie: str = ""  # the proxy's sticky cookie (vertaiset_server=HOST:PORT), with several servers
    conn: PageConn | None = None
    form_id: str | None = None
    wall_id: str | None = None
    posts: list[Submission] = field(default_factory=list)
    votes: list[Submission] = field(default_factory=list)
    error: str | None = None
    wall_complete: float | None = None

    @property
    def joined(self) -> bool:
        return self.form_open is not None


@dataclass
class FacilitatorView:
    conn: PageConn | None = None
    kernel_id: str = ""
    get_seconds: float | None = None
    cookie: str = ""
    counts: list[tuple[float, int]] = field(default_factory=list)  # (t, highlights) on each change
    text_seen: dict[str, float] = field(default_factory=dict)
    wall_votes: list[tuple[float, int]] = field(default_factory=list)
    counts_updates: int = 0

    def hook(self, t: float, cid: str, delta: dict) -> None:
        value = delta.get("value")
        if isinstance(value, str):
            m = HIGHLIGHTS_RE.search(value)
            if m:
                self.counts_updates += 1
                n = int(m.group(1))
                if not self.counts or self.counts[-1][1] != n:
                    self.counts.append((t, n))
        items = delta.get("items")
        if self.conn is None or self.conn.models.get(cid, {}).get("mode") != "facilitator":
            return
        if isinstance(items, list):
            for it in items:
                text = it.get("text")
                if text and text not in self.text_seen:
                    self.text_seen[text] = t
        if isinstance(items, list) or isinstance(delta.get("votes"), dict):
            votes = wall_votes(self.conn.models[cid])
            if not self.wall_votes or self.wall_votes[-1][1] != votes:
                self.wall_votes.append((t, votes))

    @property
    def count(self) -> int:
        return self.counts[-1][1] if self.counts else -1

    def first_at_least(self, k: int, after: float = float("-inf")) -> float | None:
        for t, n in self.counts:
            if n >= k and t >= after:
                return t
        return None


# --------------------------------------------------------------------------- one run
@dataclass
class Front:
    """Where the phones load pages and open websockets: one server, or nginx in front of several."""

    base_url: str
    ws_url: str
    validate_cert: bool = True


class Room:
    bare = False

    def __init__(self, args: argparse.Namespace, tmp: Path, preheat: int, label: str, workaround: bool = False,
                 room: int = 0, db_url: str = ""):
        self.args = args
        self.tmp = tmp
        self.preheat = preheat
        self.room = room  # serve --room N (preheated pools sized for the room)
        self.shared_db_url = db_url  # PostgreSQL for every room of the run; "" = a SQLite file per room
        self.servers: list[Server] = []
        self.nginx = None
        self.front: Front | None = None
        self.pool_fill: float | None = None
        self.pool_state = ""
        self.label = label
        self.slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        self.workaround = workaround
        self.workaround_log = tmp / f"workaround-{self.slug}.log"
        self.rng = random.Random(args.seed + preheat)
        self.notes: list[str] = []
        self.server: Server | None = None
        self.sampler: Sampler | None = None
        self.fac = FacilitatorView()
        self.people: list[ParticipantRun] = []
        self.phase_cpu: dict[str, dict[str, float]] = {}
        self.phase_time: dict[str, float] = {}
        self.result: dict[str, Any] = {}

    def say(self, text: str) -> None:
        print(f"[{self.label} {now() - self.t0:7.1f}s] {text}", flush=True)

    # ---------------------------------------------------------------- setup
    def setup(self) -> None:
        from vertaiset_widgets.store import SessionStore

        root = self.tmp / f"root-{self.slug}"
        root.mkdir(parents=True)
        for nb in (PARTICIPANT_NB, FACILITATOR_NB):
            shutil.copy(ROOT / "workbooks" / nb, root / nb)
        self.root = root
        self.db_url = self.shared_db_url or f"sqlite:///{self.tmp / f'room-{self.slug}.sqlite'}"
        store = SessionStore(self.db_url)
        try:
            session, key = store.create_session(f"Kuormitustesti {self.args.participants}", network="Bench")
            store.set_activity_state(session.id, ACTIVITY, is_open=True)
        finally:
            store.close()
        self.session_id = session.id
        self.code = session.code
        self.key = key

    def page_url(self, notebook: str, query: dict[str, str]) -> str:
        return f"{self.front.base_url}/voila/render/{notebook}?{urlencode(query)}"

    async def get_page(self, url: str, holder: Any = None) -> tuple[str, int, float, float, int]:
        """GET a page; with several servers ``holder.cookie`` gets the proxy's sticky cookie."""
        http = AsyncHTTPClient()
        req = HTTPRequest(url, method="GET", request_timeout=self.args.get_timeout, connect_timeout=30,
                          headers={"Accept": "text/html"}, validate_cert=self.front.validate_cert)
        start = now()
        resp = await http.fetch(req, raise_error=False)
        done = now()
        if holder is not None:
            for value in resp.headers.get_list("Set-Cookie") if resp.headers else []:
                if value.startswith("vertaiset_server="):
                    holder.cookie = value.split(";", 1)[0]
        if resp.code != 200:
            body = (resp.body or b"")[:300].decode("utf-8", "replace")
            raise RuntimeError(f"GET {url} -> {resp.code} {resp.error!r} {body}")
        html = resp.body.decode("utf-8", "replace")
        m = CONFIG_RE.search(html)
        if not m:
            raise RuntimeError(f"GET {url}: no jupyter-config-data in the page ({len(html)} bytes)")
        kid = json.loads(m.group(1)).get("kernelId")
        if not kid:
            raise RuntimeError(f"GET {url}: no kernelId in jupyter-config-data")
        views = len(VIEW_RE.findall(html))
        return kid, len(resp.body), start, done, views

    # ---------------------------------------------------------------- facilitator
    async def open_facilitator(self) -> None:
        query = {"session": self.code, "key": self.key}
        if self.preheat and not self.room:
            # A preheated kernel has run the notebook without the query (no session, no key: the
            # demo session's report). A theme that differs from the preheated one makes Voila
            # start a fresh kernel for this request, so the facilitator sees the right session.
            query["theme"] = "dark"
        url = self.page_url(FACILITATOR_NB, query)
        kid, _size, start, done, self.fac_views = await self.get_page(url, self.fac)
        self.fac.get_seconds = done - start
        self.fac.kernel_id = kid
        conn = PageConn(self.front, kid, "facilitator", self.fac.cookie)
        self.fac.conn = conn
        conn.hooks.append(self.fac.hook)
        await conn.connect(60)
        await conn.request_states(self.args.ack_timeout)
        await conn.wait_for(lambda: self.fac.counts, self.args.ack_timeout, "the facilitator's highlights count")
        self.say(f"facilitator page up: GET {self.fac.get_seconds:.1f} s, kernel {kid[:8]}, count {self.fac.count}")

    # ---------------------------------------------------------------- participants
    async def join(self, p: ParticipantRun, sem: asyncio.Semaphore) -> None:
        a = self.args
        p.launched = now()
        try:
            async with sem:
                kid, size, p.get_start, p.get_done, p.views = await self.get_page(
                    self.page_url(PARTICIPANT_NB, {"session": self.code}), p)
            p.kernel_id, p.get_bytes = kid, size
            conn = p.conn = PageConn(self.front, kid, f"participant {p.idx}", p.cookie)
            await conn.connect(60)
            p.ws_open = now()
            await conn.request_states(a.ack_timeout)
            p.states = now()
            token_id = conn.find(lambda s: is_token(s, self.code))
            if token_id is None:
                code_form = conn.find(lambda s: has_field(s, "code"))
                if code_form is None:
                    raise RuntimeError("neither the token widget nor the join-code form is on the page: "
                                       + ", ".join(sorted(set(conn.model_names.values()))))
                p.code_typed = True
                conn.custom(code_form, {"type": "submit", "value": {"code": self.code}})
                token_id = await conn.wait_for(lambda: conn.find(lambda s: is_token(s, self.code)), a.ack_timeout,
                                               "token widget after typing the code")
            p.token_sent = now()
            conn.update(token_id, {"token": p.token})
            p.form_id = await conn.wait_for(lambda: conn.find(lambda s: has_field(s, "text")), a.ack_timeout,
                                            "highlights post form")
            p.form_open = conn.opened_at.get(p.form_id, now())
            p.wall_id = conn.find(lambda s: is_wall(s, "participant"))
        except Exception as exc:
            p.error = f"join: {exc}"
            self.say(f"participant {p.idx} FAILED to join: {exc}")

    async def post(self, p: ParticipantRun) -> None:
        a = self.args
        conn = p.conn
        try:
            await asyncio.sleep(self.rng.uniform(0, a.post_spread))
            for i in range(a.posts):
                if i:
                    await asyncio.sleep(self.rng.uniform(1.0, 4.0))
                text = (f"Nosto {p.idx:03d}.{i + 1} [{secrets.token_hex(4)}]: yhteinen tilannekuva ja "
                        f"selkeä työnjako verkoston kumppaneiden kesken")
                tag = self.rng.choice(["", "unelma", "askel"])
                sub = Submission("post", p.idx, text=text)
                p.posts.append(sub)
                reply = conn.custom(p.form_id, {"type": "submit", "value": {"text": text, "tag": tag}})
                sub.sent = reply.sent
                await conn.wait_reply(reply, a.ack_timeout)
                self._resolve(sub, reply, p.form_id, cleared=True)
                if sub.outcome is None:
                    why = f"kernel error: {sub.kernel_error}" if sub.kernel_error else f"nothing within {a.ack_timeout:.0f} s"
                    self.say(f"participant {p.idx}: no ack for post {i + 1} ({why})")
        except Exception as exc:
            p.error = (p.error or "") + f" post: {exc}"
            self.say(f"participant {p.idx} post FAILED: {exc}")

    def _resolve(self, sub: Submission, reply: Reply, comm_id: str, *, cleared: bool = False, item: str = "") -> None:
        sub.idle = reply.idle
        if reply.stderr:
            sub.kernel_error = last_line(reply.stderr[-1])
        for t, cid, delta in reply.updates:
            if cid != comm_id:
                continue
            if "status_kind" in delta:
                sub.ack, sub.outcome, sub.signal = t, delta["status_kind"] or None, "status"
                sub.status_text = delta.get("status", "")
                return
        for t, cid, delta in reply.updates:
            if cid != comm_id:
                continue
            if cleared and "cleared" in delta:
                sub.ack, sub.outcome, sub.signal = t, "ok", "cleared"
                return
            if item and shows_voted(delta, item):
                sub.ack, sub.outcome, sub.signal = t, "ok", "items"
                return

    async def vote(self, p: ParticipantRun, expected: int) -> None:
        a = self.args
        conn = p.conn
        try:
            if p.wall_id is None:
                p.wall_id = conn.find(lambda s: is_wall(s, "participant"))
            if p.wall_id is None:
                raise RuntimeError("no wall widget on the page")
            try:
                await conn.wait_for(lambda: len(conn.models[p.wall_id].get("items") or []) >= expected,
                                    a.ack_timeout, f"the revealed wall with {expected} highlights")
                p.wall_complete = now()
            except TimeoutError as exc:
                self.say(f"participant {p.idx}: {exc} (has {len(conn.models[p.wall_id].get('items') or [])}); votes on what it shows")
            await asyncio.sleep(self.rng.uniform(0, a.vote_spread))
            others = [it["id"] for it in conn.models[p.wall_id].get("items") or [] if not it.get("mine")]
            chosen = self.rng.sample(others, min(a.votes, len(others)))
            for j, item in enumerate(chosen):
                if j:
                    await asyncio.sleep(self.rng.uniform(0.5, 2.0))
                sub = Submission("vote", p.idx, item=item)
                p.votes.append(sub)
                reply = conn.custom(p.wall_id, {"type": "vote", "item": item, "on": True})
                sub.sent = reply.sent
                await conn.wait_reply(reply, a.ack_timeout)
                self._resolve(sub, reply, p.wall_id, item=item)
                if sub.outcome is None:
                    why = f"kernel error: {sub.kernel_error}" if sub.kernel_error else f"nothing within {a.ack_timeout:.0f} s"
                    self.say(f"participant {p.idx}: no ack for a vote ({why})")
        except Exception as exc:
            p.error = (p.error or "") + f" vote: {exc}"
            self.say(f"participant {p.idx} vote FAILED: {exc}")

    # ---------------------------------------------------------------- servers, pools, arrivals
    async def start_servers(self, extra_env: dict[str, str], notebooks_root: Path | None = None) -> None:
        """``--servers`` servers on the room's database; with more than one, nginx (deploy/nginx) in front."""
        count = max(1, getattr(self.args, "servers", 1)) if not getattr(self, "bare", False) else 1
        env = dict(extra_env)
        if count > 1:
            env["VERTAISET_TRUSTED_PROXIES"] = "127.0.0.1 ::1"  # nginx's X-Forwarded-For is believed
        room_each = -(-self.room // count)  # the room is spread over the servers: each pools its share
        for i in range(count):
            name = f"server-{self.slug}" + (f"-{i + 1}" if count > 1 else "") + ".log"
            server = Server(notebooks_root or self.root, self.db_url, free_port(), self.tmp / name, self.preheat, env,
                            room=room_each)
            self.servers.append(server)
            atexit.register(server.stop)
        self.server = self.servers[0]
        self.server_start = max(await asyncio.gather(*(asyncio.to_thread(s.wait_ready) for s in self.servers)))
        if count > 1:
            sys.path.insert(0, str(ROOT / "tests"))
            from nginx_proxy import Nginx, find_nginx

            binary = find_nginx()
            if binary is None:
                raise RuntimeError("--servers needs nginx (Debian: apt-get install nginx; or set VERTAISET_NGINX)")
            self.nginx = Nginx(binary, self.tmp / f"nginx-{self.slug}", [f"{HOST}:{s.port}" for s in self.servers])
            atexit.register(self.nginx.stop)
            self.front = Front(self.nginx.base_url, self.nginx.base_url.replace("https://", "wss://"), False)
        else:
            self.front = Front(self.server.base_url, self.server.ws_url)

    async def wait_pools(self, waits_for_request: bool) -> None:
        """Until every server's pools hold their targets (``/vertaiset/api/limits``), then until the
        kernels are quiet (below 20 % of one CPU): the pools a room finds when it arrives."""
        start = now()
        deadline = start + self.args.preheat_wait
        limits: list[dict] = []
        while now() < deadline:
            try:
                limits = [await asyncio.to_thread(server_limits, s.base_url) for s in self.servers]
            except Exception as exc:  # noqa: BLE001 - the server may be busy starting kernels
                limits = [{"error": repr(exc)}]
            if limits and all(pools_full(lim, waits_for_request) for lim in limits):
                break
            await asyncio.sleep(1)
        else:
            self.notes.append(f"the pools were not full after {self.args.preheat_wait:.0f} s: "
                              + "; ".join(pools_text(lim) for lim in limits))
        last = self.sampler.cpu_snapshot(None)["kernels"]
        while now() < deadline:
            await asyncio.sleep(2)
            cur = self.sampler.cpu_snapshot(None)["kernels"]
            if cur - last < 0.4:
                break
            last = cur
        self.pool_fill = now() - start
        self.pool_state = "; ".join(pools_text(lim) for lim in limits)
        self.say(f"pools full after {self.pool_fill:.0f} s (ready/pool/target): {self.pool_state}")

    async def arrive(self, join: Callable[[ParticipantRun], Any]) -> None:
        """Start each phone's join at its arrival: with ``--burst S`` at seeded uniform random moments
        within S seconds (the first at 0), else ``--arrival-gap`` apart; wait for all."""
        a = self.args
        offsets = (burst_arrivals(len(self.people), a.burst, a.seed) if a.burst
                   else [i * a.arrival_gap for i in range(len(self.people))])
        start = now()
        tasks = []
        for p, offset in zip(self.people, offsets):
            delay = start + offset - now()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.ensure_future(join(p)))
        await asyncio.wait_for(asyncio.gather(*tasks), a.phase_timeout)

    # ---------------------------------------------------------------- phases
    def mark(self, phase: str) -> None:
        self.phase_cpu[phase] = self.sampler.cpu_snapshot(self.fac.kernel_id or None)
        conns = [p.conn for p in self.people if p.conn]
        self.phase_cpu[phase]["phone_msgs"] = float(sum(c.messages for c in conns))
        self.phase_cpu[phase]["phone_bytes"] = float(sum(c.bytes for c in conns))
        self.phase_time[phase] = now()

    async def run(self) -> None:
        from vertaiset_widgets.store import SessionStore

        a = self.args
        self.t0 = now()
        self.load_start = os.getloadavg()
        self.code_start = (git_head(), code_fingerprint())
        self.setup()
        extra_env = {}
        if self.workaround:
            ipdir = self.tmp / f"ipython-{self.slug}"
            startup = ipdir / "profile_default" / "startup"
            startup.mkdir(parents=True)
            (startup / "00-vt-bench-workaround.py").write_text(WORKAROUND_STARTUP, encoding="utf-8")
            extra_env = {"IPYTHONDIR": str(ipdir), "VT_BENCH_WORKAROUND_LOG": str(self.workaround_log)}
        await self.start_servers(extra_env)
        self.say(f"server(s) up on {self.front.base_url} after {self.server_start:.1f} s; session {self.code}")
        self.sampler = Sampler(self.servers)
        self.sampler.start()
        if self.room:
            await self.wait_pools(waits_for_request=True)
        elif self.preheat:
            # let the pools fill before the room arrives (as they would before a workshop starts)
            deadline = now() + a.preheat_wait
            want = 2 * self.preheat
            while now() < deadline and len(self.server.kernels()) < want:
                await asyncio.sleep(1)
            # ... and until they have finished running their notebooks (kernels' CPU below 20 % of one CPU)
            last = self.sampler.cpu_snapshot(None)["kernels"]
            while now() < deadline:
                await asyncio.sleep(2)
                cur = self.sampler.cpu_snapshot(None)["kernels"]
                if cur - last < 0.4:
                    break
                last = cur
            self.say(f"preheat pools: {len(self.server.kernels())} kernels after {now() - self.t0:.0f} s")
        self.mark("start")
        await self.open_facilitator()
        self.mark("facilitator")

        # --- join
        sem = asyncio.Semaphore(a.get_concurrency)
        self.people = [ParticipantRun(i + 1, secrets.token_hex(16)) for i in range(a.participants)]
        self.join_start = now()
        await self.arrive(lambda p: self.join(p, sem))
        self.join_end = now()
        joined = [p for p in self.people if p.joined]
        self.say(f"{len(joined)}/{len(self.people)} joined in {self.join_end - self.join_start:.1f} s")
        self.mark("joined")

        # --- post
        await asyncio.wait_for(asyncio.gather(*(self.post(p) for p in joined)), a.phase_timeout)
        self.post_end = now()
        acked = [s for p in joined for s in p.posts if s.outcome == "ok"]
        self.say(f"posts acked ok: {len(acked)} of {sum(len(p.posts) for p in joined)}; facilitator count {self.fac.count}")
        self.mark("posted")
        try:
            await self.fac.conn.wait_for(lambda: self.fac.count >= len(acked), a.ack_timeout,
                                         f"facilitator count {len(acked)}")
        except (TimeoutError, ConnectionError) as exc:
            self.say(f"facilitator: {exc} (shows {self.fac.count})")
        self.fac_all_shown = now()

        # --- reveal and vote
        store = SessionStore(self.db_url)
        try:
            store.set_activity_state(self.session_id, ACTIVITY, is_revealed=True)
        finally:
            store.close()
        self.reveal_at = now()
        self.say("wall revealed")
        await asyncio.wait_for(asyncio.gather(*(self.vote(p, len(acked)) for p in joined)), a.phase_timeout)
        self.vote_end = now()
        self.mark("voted")
        votes_ok = [s for p in joined for s in p.votes if s.outcome == "ok"]
        self.say(f"votes acked ok: {len(votes_ok)} of {sum(len(p.votes) for p in joined)}")
        try:
            await self.fac.conn.wait_for(
                lambda: self.fac.wall_votes and self.fac.wall_votes[-1][1] >= len(votes_ok), a.ack_timeout,
                "the facilitator's wall to show every +1")
        except (TimeoutError, ConnectionError) as exc:
            self.say(f"facilitator: {exc}")
        self.sampler.stop_event.set()
        self.sampler.join(5)
        self.load_end = os.getloadavg()
        self.code_end = (git_head(), code_fingerprint())
        # --- close the pages (the browser tabs), then check the store
        await asyncio.gather(*(p.conn.close() for p in self.people if p.conn), return_exceptions=True)
        if self.fac.conn:
            await self.fac.conn.close()
        self.check_store()

    # ---------------------------------------------------------------- the store afterwards
    def check_store(self) -> None:
        from vertaiset_widgets.kinds.highlights.wall import read_wall
        from vertaiset_widgets.store import SessionStore, hash_token

        store = SessionStore(self.db_url)
        try:
            highlights = read_wall(store, self.session_id, ACTIVITY)
            rows = store.answers(self.session_id, ACTIVITY, latest=False)
            participants = store.participants(self.session_id)
        finally:
            store.close()
        by_token = {pp.token: pp.id for pp in participants}  # the store keeps the tokens' hashes
        pid_of = {p.idx: by_token.get(hash_token(p.token)) for p in self.people}
        posts = [s for p in self.people for s in p.posts]
        votes = [s for p in self.people for s in p.votes]
        sent_texts = {s.text for s in posts}
        ok_texts = {s.text for s in posts if s.outcome == "ok"}
        stored = Counter(h.text for h in highlights)
        text_rows = Counter(r.item for r in rows if r.layer == "text")
        item_of_text = {h.text: h.item for h in highlights}
        lost_posts = sorted(t for t in ok_texts if t not in stored)
        doubled_posts = sorted(t for t, n in stored.items() if n > 1 or text_rows.get(item_of_text.get(t), 0) > 1)
        stray_posts = sorted(t for t in stored if t not in sent_texts)
        unacked_but_stored = sorted(t for t in stored if t in sent_texts and t not in ok_texts)
        expected_votes = {(pid_of[s.who], s.item) for s in votes if s.outcome == "ok"}
        stored_votes = {(v, h.item) for h in highlights for v in h.voters}
        vote_rows = Counter((r.participant_id, r.item) for r in rows if r.layer == "vote")
        lost_votes = sorted(expected_votes - stored_votes)
        extra_votes = sorted(stored_votes - {(pid_of[s.who], s.item) for s in votes})
        doubled_votes = sorted(k for k, n in vote_rows.items() if n > 1)
        self.result.update(
            participants_in_store=len(participants),
            highlights_in_store=len(highlights),
            votes_in_store=len(stored_votes),
            lost_posts=lost_posts,
            doubled_posts=doubled_posts,
            stray_posts=stray_posts,
            unacked_but_stored=unacked_but_stored,
            lost_votes=lost_votes,
            extra_votes=extra_votes,
            doubled_votes=doubled_votes,
        )

    # ---------------------------------------------------------------- numbers
    def numbers(self) -> dict[str, Any]:
        r = self.result
        joined = [p for p in self.people if p.joined]
        posts = [s for p in self.people for s in p.posts]
        votes = [s for p in self.people for s in p.votes]
        ok_posts = sorted((s for s in posts if s.outcome == "ok"), key=lambda s: s.ack)
        r["joined"] = len(joined)
        r["failed"] = [(p.idx, p.error) for p in self.people if p.error]
        r["code_typed"] = sum(1 for p in joined if p.code_typed)
        r["join_all"] = (max(p.form_open for p in joined) - min(p.get_start for p in joined)) if joined else None
        r["join_each"] = [p.form_open - p.get_start for p in joined]
        r["join_from_arrival"] = [p.form_open - p.launched for p in joined]
        r["queue"] = [p.get_start - p.launched for p in joined]
        r["get"] = [p.get_done - p.get_start for p in joined]
        r["ws_states"] = [p.states - p.get_done for p in joined]
        r["token_form"] = [p.form_open - p.token_sent for p in joined]
        r["get_bytes"] = [p.get_bytes for p in joined]
        r["blank_pages"] = sum(1 for p in self.people if p.get_done is not None and p.views == 0)
        r["fac_views"] = getattr(self, "fac_views", None)
        r["posts_sent"] = len(posts)
        r["posts_ok"] = len(ok_posts)
        r["posts_error"] = [(s.who, s.status_text) for s in posts if s.outcome == "error"]
        r["posts_noack"] = sum(1 for s in posts if s.outcome is None)
        r["post_ack"] = [s.ack - s.sent for s in ok_posts]
        r["post_signals"] = Counter(s.signal for s in ok_posts)
        r["votes_sent"] = len(votes)
        ok_votes = [s for s in votes if s.outcome == "ok"]
        r["votes_ok"] = len(ok_votes)
        r["votes_error"] = [(s.who, s.status_text) for s in votes if s.outcome == "error"]
        r["votes_noack"] = sum(1 for s in votes if s.outcome is None)
        r["vote_ack"] = [s.ack - s.sent for s in ok_votes]
        r["vote_signals"] = Counter(s.signal for s in ok_votes)
        lat, missing = [], 0
        for k, s in enumerate(ok_posts, start=1):
            t = self.fac.first_at_least(k)
            if t is None:
                missing += 1
            else:
                lat.append(t - s.sent)
        r["fac_latency"] = lat
        r["fac_missing"] = missing
        exact = [self.fac.text_seen[s.text] - s.sent for s in ok_posts if s.text in self.fac.text_seen]
        r["fac_exact"] = exact
        r["fac_exact_missing"] = sum(1 for s in ok_posts if s.text not in self.fac.text_seen)
        r["fac_final_count"] = self.fac.count
        r["fac_final_votes"] = self.fac.wall_votes[-1][1] if self.fac.wall_votes else None
        r["fac_counts_changes"] = len(self.fac.counts)
        r["fac_counts_updates"] = self.fac.counts_updates
        r["fac_get"] = self.fac.get_seconds
        r["wall_complete"] = [p.wall_complete - self.reveal_at for p in joined if p.wall_complete]
        srv, ks, n = self.sampler.peak
        r["peak_total"] = self.sampler.peak_total / MIB
        r["peak_server"] = srv / MIB
        r["peak_kernels"] = ks / MIB
        r["peak_kernel_count"] = n
        r["max_kernels"] = self.sampler.max_kernels
        r["server_start"] = self.server_start
        r["durations"] = {
            "join": self.join_end - self.join_start,
            "post": self.post_end - self.phase_time["joined"],
            "vote": self.vote_end - self.reveal_at,
        }
        cpu = {}
        order = ["start", "facilitator", "joined", "posted", "voted"]
        for a_, b_ in zip(order, order[1:]):
            if a_ in self.phase_cpu and b_ in self.phase_cpu:
                wall = self.phase_time[b_] - self.phase_time[a_]
                cpu[b_] = {k: (self.phase_cpu[b_][k] - self.phase_cpu[a_][k], wall) for k in self.phase_cpu[b_]}
        r["cpu"] = cpu
        log = self.log_text()
        r["log_problems"] = log_problems(self.log_text(before_stop=True))
        r["iopub_timeouts"] = log.count("Timeout waiting for IOPub output")
        r["port_clashes"] = log.count("Address already in use")
        r["code"] = (f"git {self.code_start[0]}, files {self.code_start[1]}"
                     + ("" if self.code_start[1] == self.code_end[1] else
                        f" → **changed during the run** to git {self.code_end[0]}, files {self.code_end[1]}")
                     + (f" (HEAD moved to {self.code_end[0]} during the run; these files did not change)"
                        if self.code_start[0] != self.code_end[0] and self.code_start[1] == self.code_end[1] else ""))
        r["load_start"] = self.load_start
        r["load_end"] = self.load_end
        r["serve_cmd"] = " ".join(shlex.quote(x) for x in self.server.cmd[3:]).replace(str(self.tmp), "TMP")
        r["kernel_errors"] = Counter(
            error_kind(text) for p in self.people if p.conn for _t, text in p.conn.stderr
        ) + Counter(error_kind(text) for _t, text in (self.fac.conn.stderr if self.fac.conn else []))
        all_err = [text for p in self.people if p.conn for _t, text in p.conn.stderr] + [
            text for _t, text in (self.fac.conn.stderr if self.fac.conn else [])]
        top = next((k for k, _n in r["kernel_errors"].most_common() if "own `jupyter.widget.control`" not in k), None)
        r["kernel_error_sample"] = next((text for text in all_err if error_kind(text) == top), None)
        r["posts_kernel_error"] = Counter(s.kernel_error for s in posts if s.kernel_error)
        r["votes_kernel_error"] = Counter(s.kernel_error for s in votes if s.kernel_error)
        if self.workaround:
            try:
                lines = self.workaround_log.read_text().splitlines()
            except OSError:
                lines = []
            r["workaround"] = Counter(line.split(" ", 1)[1] if " " in line else line for line in lines)
        else:
            r["workaround"] = None
        self.burst_numbers(r, joined, ok_posts, ok_votes)
        return r

    def log_text(self, before_stop: bool = False) -> str:
        """The servers' logs; ``before_stop``: each only up to its stop (kernels dying then log noise)."""
        logs = [s.log_text() for s in self.servers]
        if before_stop:
            logs = [t.split("] Handle signal", 1)[0] for t in logs]
        return "\n".join(logs)

    def burst_numbers(self, r: dict, joined: list[ParticipantRun], ok_posts: list, ok_votes: list) -> None:
        """The issue's figures (``figures``: key -> (value, complete)), pools and the servers' shares."""
        everyone = len(joined) == len(self.people)
        first = min(p.launched for p in self.people)
        r["join_all_arrival"] = (max(p.form_open for p in joined) - first) if joined else None
        complete_walls = [p for p in joined if p.wall_complete]
        r["reveal_all"] = max(r["wall_complete"]) if r["wall_complete"] else None
        lost = len(r["lost_posts"]) + len(r["lost_votes"])
        doubled = len(r["doubled_posts"]) + len(r["doubled_votes"])
        r["figures"] = {
            "join_all_s": (r["join_all_arrival"], everyone),
            "join_p95_s": (pct(r["join_from_arrival"], 95), everyone),
            "post_ack_p95_s": (pct(r["post_ack"], 95), r["posts_ok"] == r["posts_sent"] > 0),
            "post_fac_p95_s": (pct(r["fac_latency"], 95), r["fac_missing"] == 0 and bool(r["fac_latency"])),
            "vote_ack_p95_s": (pct(r["vote_ack"], 95), r["votes_ok"] == r["votes_sent"] > 0),
            "reveal_all_s": (r["reveal_all"], everyone and len(complete_walls) == len(joined)),
            "lost_doubled": ((lost, doubled), True),
        }
        r["spread"] = dict(Counter(p.cookie.split("=", 1)[1] for p in joined if p.cookie))
        r["pool_fill"] = self.pool_fill
        r["pool_state"] = self.pool_state
        r["preheated"] = preheated_takes(self.log_text())
        r["servers"] = len(self.servers)


class BareRoom(Room):
    """The baseline: the bare one-slider notebook served from a pool of the room's size, the phones
    arriving at the same moments. The server's root holds only that notebook, under the participant
    page's name, and serves with the same ``--room N``: its pool is sized, filled and refilled exactly
    as the participant page's. Joined = the slider's model has reached the phone (``request_states``)."""

    bare = True

    def setup(self) -> None:
        self.root = self.tmp / f"root-{self.slug}"
        self.root.mkdir(parents=True)
        shutil.copy(ROOT / "bench" / BARE_NB, self.root / PARTICIPANT_NB)
        self.db_url = f"sqlite:///{self.tmp / f'room-{self.slug}.sqlite'}"  # the slider never opens it
        self.code = self.key = self.session_id = ""

    async def run(self) -> None:
        a = self.args
        self.t0 = now()
        self.load_start = os.getloadavg()
        self.code_start = (git_head(), code_fingerprint())
        self.setup()
        await self.start_servers({})
        self.say(f"bare server up on {self.front.base_url} after {self.server_start:.1f} s")
        self.sampler = Sampler(self.servers)
        self.sampler.start()
        await self.wait_pools(waits_for_request=False)
        self.mark("start")
        self.mark("facilitator")
        sem = asyncio.Semaphore(a.get_concurrency)
        self.people = [ParticipantRun(i + 1, "") for i in range(a.participants)]
        self.join_start = now()
        await self.arrive(lambda p: self.join_bare(p, sem))
        self.join_end = now()
        self.say(f"{sum(p.joined for p in self.people)}/{len(self.people)} bare pages up in {self.join_end - self.join_start:.1f} s")
        self.mark("joined")
        self.sampler.stop_event.set()
        self.sampler.join(5)
        self.load_end = os.getloadavg()
        self.code_end = (git_head(), code_fingerprint())
        await asyncio.gather(*(p.conn.close() for p in self.people if p.conn), return_exceptions=True)

    async def join_bare(self, p: ParticipantRun, sem: asyncio.Semaphore) -> None:
        p.launched = now()
        try:
            async with sem:
                kid, p.get_bytes, p.get_start, p.get_done, p.views = await self.get_page(self.page_url(PARTICIPANT_NB, {}), p)
            conn = p.conn = PageConn(self.front, kid, f"bare {p.idx}", p.cookie)
            await conn.connect(60)
            p.ws_open = now()
            await conn.request_states(self.args.ack_timeout)
            p.states = now()
            slider = await conn.wait_for(
                lambda: next((c for c, name in conn.model_names.items() if name == "IntSliderModel"), None),
                self.args.ack_timeout, "the slider's model")
            p.form_open = conn.opened_at.get(slider, now())
        except Exception as exc:
            p.error = f"join: {exc}"
            self.say(f"bare page {p.idx} FAILED: {exc}")

    def numbers(self) -> dict[str, Any]:
        r = self.result
        joined = [p for p in self.people if p.joined]
        r.update({k: [] for k in ("posts_error", "votes_error", "lost_posts", "doubled_posts", "lost_votes",
                                  "doubled_votes", "unacked_but_stored", "stray_posts", "extra_votes")})
        r.update(posts_kernel_error=Counter(), votes_kernel_error=Counter(), kernel_errors=Counter(),
                 kernel_error_sample=None, workaround=None)
        r["joined"] = len(joined)
        r["failed"] = [(p.idx, p.error) for p in self.people if p.error]
        r["join_from_arrival"] = [p.form_open - p.launched for p in joined]
        r["get"] = [p.get_done - p.get_start for p in joined]
        r["join_all_arrival"] = (max(p.form_open for p in joined) - min(p.launched for p in self.people)) if joined else None
        srv, ks, n = self.sampler.peak
        r.update(peak_total=self.sampler.peak_total / MIB, peak_server=srv / MIB, peak_kernels=ks / MIB,
                 peak_kernel_count=n, max_kernels=self.sampler.max_kernels, server_start=self.server_start)
        wall = self.phase_time["joined"] - self.phase_time["facilitator"]
        r["cpu"] = {"joined": {k: (self.phase_cpu["joined"][k] - self.phase_cpu["facilitator"][k], wall)
                               for k in self.phase_cpu["joined"]}}
        r["log_problems"] = log_problems(self.log_text(before_stop=True))
        r["load_start"], r["load_end"] = self.load_start, self.load_end
        r["serve_cmd"] = " ".join(shlex.quote(x) for x in self.server.cmd[3:]).replace(str(self.tmp), "TMP")
        r["pool_fill"], r["pool_state"] = self.pool_fill, self.pool_state
        r["preheated"] = preheated_takes(self.log_text())
        return r


def redraw_probe(room: "Room") -> dict | None:
    """Time one facilitator redraw and one phone wall update on the room's final data (fresh process)."""
    env = {k: v for k, v in os.environ.items() if k != "QUERY_STRING"}
    try:
        proc = subprocess.run([sys.executable, "-c", REDRAW_PROBE, room.db_url, room.code, room.key], env=env,
                              cwd=str(room.tmp), capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        room.notes.append("the redraw probe timed out")
        return None
    for line in proc.stdout.splitlines():
        if line.startswith("PROBE "):
            return json.loads(line[6:])
    room.notes.append(f"the redraw probe failed: {proc.stderr[-500:]}")
    return None


def last_line(text: str) -> str:
    lines = [x for x in text.strip().splitlines()
             if x.strip() and not x.startswith("[while handling:") and not x.startswith("[own control comm]")]
    return lines[-1].strip()[:300] if lines else ""


def error_kind(text: str) -> str:
    """The last line of a kernel error with ids replaced, so that the same error counts once."""
    line = re.sub(r"\b[0-9a-f]{32}\b", "<id>", last_line(text))
    if "No such comm" in line and "[own control comm]" in text:
        line += " (the id is this page's own `jupyter.widget.control` comm, whose request_states was answered)"
    return line


BENIGN = ("is not trusted", "running over TCP without encryption", "websocket_ping_timeout", "Setting websocket_ping_timeout")


def log_problems(text: str, limit: int = 40) -> list[str]:
    """Lines of the server (and kernel) log that say something went wrong."""
    keys = ("Traceback", "ERROR", "Error", "[E ", "exceeded", "Exception", "failed", "WARNING", "[W ")
    out = []
    for line in text.splitlines():
        if any(k in line for k in keys) and not any(b in line for b in BENIGN):
            out.append(line.rstrip()[:300])
    return out if len(out) <= limit else out[:limit] + [f"... {len(out) - limit} more lines"]


# --------------------------------------------------------------------------- report
def machine_lines() -> list[str]:
    from importlib.metadata import version

    def v(d: str) -> str:
        try:
            return version(d)
        except Exception:
            return "?"

    mem = psutil.virtual_memory().total / 1024 ** 3
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return [
        f"- CPUs: {os.cpu_count()} ({cpu}); memory {mem:.1f} GiB; {platform.platform()}",
        f"- Python {platform.python_version()}, voila {v('voila')}, jupyter_server {v('jupyter_server')}, "
        f"ipykernel {v('ipykernel')}, ipywidgets {v('ipywidgets')}, anywidget {v('anywidget')}, "
        f"tornado {v('tornado')}, SQLAlchemy {v('sqlalchemy')}",
    ]


def code_fingerprint() -> str:
    """sha256 (12 hex) over the files a kernel runs: vertaiset_widgets/, templates/, workbooks/."""
    import hashlib

    h = hashlib.sha256()
    for folder in ("vertaiset_widgets", "templates", "workbooks"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                h.update(str(path.relative_to(ROOT)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:12]


def git_head() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip() or "?"
    except Exception:
        return "?"


def git_state() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "vertaiset_widgets", "workbooks", "templates"],
                               cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        return f"{head}" + (" with uncommitted changes in vertaiset_widgets/, workbooks/ or templates/" if dirty else " (clean)")
    except Exception:
        return "?"


def row(label: str, runs: list[dict], fn: Callable[[dict], str]) -> str:
    return f"| {label} | " + " | ".join(fn(r) for r in runs) + " |"


def cpu_text(r: dict, phase: str) -> str:
    c = r["cpu"].get(phase)
    if not c:
        return "–"
    wall = c["server"][1]
    return (f"{wall:.0f} s wall: server {c['server'][0]:.0f} s CPU ({100 * c['server'][0] / wall:.0f} %), "
            f"kernels {c['kernels'][0]:.0f} s ({100 * c['kernels'][0] / wall:.0f} %), "
            f"of which facilitator {c['facilitator'][0]:.0f} s ({100 * c['facilitator'][0] / wall:.0f} %)")


def write_section(args, rooms: list[Room], meta: dict) -> str:
    runs = [r.result for r in rooms]
    n = args.participants
    heads = [r.label for r in rooms]
    L: list[str] = [
        *section_head(f"## A full room: {n} participants", meta["date"], "bench_room.py", meta["command"],
                      scope=f"that one invocation ({' and '.join(heads)})", code=f"Code: git {meta['git']}."),
        "### Machine",
        "",
        *meta["machine"],
        "- Load average (1, 5, 15 min): " + "; ".join(
            f"{r.label} start {', '.join(f'{x:.2f}' for x in r.result['load_start'])}, end {', '.join(f'{x:.2f}' for x in r.result['load_end'])}"
            for r in rooms) + ". The bench does not stop other jobs: the load average says what else the 2 CPUs had to do (a room's own kernels keep it high for a minute after a run).",
        "",
        "### Serve settings",
        "",
    ]
    for r in rooms:
        L.append(f"- {r.label}: `python -m vertaiset_widgets.cli {r.result['serve_cmd']}` (TMP: a temporary folder with "
                 f"copies of `{PARTICIPANT_NB}` and `{FACILITATOR_NB}`; URL: a temporary SQLite file); it answered after "
                 f"{r.result['server_start']:.1f} s.")
    L += [
        f"- Culling: `--cull-idle-timeout {CULL_IDLE} --cull-interval {CULL_INTERVAL}`, and `cli.py` always adds "
        "`--MappingKernelManager.cull_connected=False`: a kernel with an open websocket (an open page) is never "
        "culled, however long the phone sits idle; a closed page's kernel is stopped after 10 minutes without "
        "activity (checked every minute). Voila itself never stops the kernel of a closed page, so without culling "
        "a day of workshops would pile up kernels.",
        "- Preheat: off by default (`--preheat 0`). Preheated kernels execute the notebook *before* the request, "
        "so the page cannot see `?session=CODE` (or `key=`) unless the notebook reads it with "
        "`voila.utils.get_query_string()`, which these notebooks do not; and `--preheat N` keeps N idle kernels "
        "for *every* notebook in the root: here also N facilitator kernels (the heaviest page: pandas, altair), "
        "which run the notebook with no session and so open the demo session's report, seeding the demo "
        "session into the database.",
        "",
        "### Method",
        "",
        f"- One facilitator page first: `GET /voila/render/{FACILITATOR_NB}?session=CODE&key=KEY`, websocket to "
        "`/api/kernels/<kernelId>/channels` (kernel id from `<script id=\"jupyter-config-data\">`), comm_open "
        "`jupyter.widget.control` + `request_states`; from then on every widget update it receives is watched.",
        *(["- With preheat the facilitator's URL also gets `&theme=dark`: a theme other than the preheated one makes "
           "Voila start a fresh kernel for that request (a preheated kernel has run without session and key)."]
          if any(r.preheat for r in rooms) else []),
        f"- {n} participants, started {args.arrival_gap:g} s apart, with at most {args.get_concurrency} page GETs in "
        f"flight at once (`asyncio.Semaphore({args.get_concurrency})`, like a room whose phones do not all press at "
        "the same instant; the semaphore wait is reported separately). Each: "
        f"`GET /voila/render/{PARTICIPANT_NB}?session=CODE` (Voila starts a kernel and executes the notebook "
        "during this request), websocket, `request_states`, then the `BrowserToken` widget gets "
        "`{\"method\": \"update\", \"state\": {\"token\": <32 hex>}}` exactly as `static/token.js` sends it. "
        "Joined = the kernel has opened the highlights post form (`form == \"fields\"`, a field `text`).",
        "- Per-participant join time: from sending its GET to its post form's comm_open; time for all: from the "
        "first GET to the last post form.",
        f"- Then each participant posts {args.posts} highlights with unique texts (first one at a random moment in "
        f"{args.post_spread:g} s, then 1–4 s apart) as `static/forms.js` does: custom "
        "`{\"type\": \"submit\", \"value\": {\"text\", \"tag\"}}` on the form's comm. After all posts the bench "
        "reveals the wall in the store (as the facilitator's button does); each participant waits until its "
        f"wall lists every highlight, then +1s {args.votes} highlights of others (random, within {args.vote_spread:g} s, "
        "0.5–2 s apart): custom `{\"type\": \"vote\", \"item\": ID, \"on\": true}` on the wall's comm.",
        "- Ack: the first update on that comm that the kernel sends *while handling our message* (its parent "
        "header is our message) and that sets `status_kind` (\"ok\"/\"error\"). ipywidgets sends only changed "
        "traits, so the second identical \"saved\" status is never sent; then the ack is the success side effect "
        "sent in the same handler: `cleared` incremented (post) or the item shown `voted` in `items` (vote). "
        f"No reply within {args.ack_timeout:g} s = no ack.",
        "- Submit → facilitator view: the k-th acknowledged highlight (in order of acks) counts as shown when the "
        "facilitator's `data-vt-highlights` count first reads ≥ k (the count only grows here). Cross-check: "
        "the time each exact text first appears in the facilitator's moderation wall (`items` of its WallView).",
        "- Memory: every 1 s, psutil RSS of the Voila server process and the sum of RSS of its "
        "`ipykernel_launcher` children; the peak of the sum is reported (RSS counts shared library pages in "
        "each kernel, so the sum overstates what the machine really used). CPU: psutil CPU time of the server "
        "and of all kernels between phases.",
        "- Afterwards the store is read (`SessionStore(url).highlights(...)`, plus every raw answer row) and "
        "compared with the acks: lost = acked but not stored, doubled = stored twice (or two rows for one post/+1).",
        "",
        "### Results",
        "",
        "| | " + " | ".join(heads) + " |",
        "|---|" + "---|" * len(runs),
        row("code measured (HEAD, sha256 of vertaiset_widgets/ templates/ workbooks/)", runs, lambda r: r["code"]),
        row("workaround for the shadowed `_handle_msg` (kernels patched)", runs, lambda r: "no" if r["workaround"] is None else ("yes: " + ", ".join(f"{k} ({n})" for k, n in r["workaround"].items()))),
        row("participants joined", runs, lambda r: f"{r['joined']} / {n}" + (f" ({r['code_typed']} had to type the code)" if r['code_typed'] else "")),
        row("participant pages whose HTML has no widget view (a browser would show them empty)", runs, lambda r: f"{r['blank_pages']}"),
        row("time for all to join (first GET → last post form), s", runs, lambda r: fmt_s(r["join_all"], 1)),
        row("join time per participant, p50 / p95 / max, s", runs, lambda r: p50_p95_max(r["join_each"], 1)),
        row("… of which page GET (kernel start + notebook run)", runs, lambda r: p50_p95_max(r["get"], 1)),
        row("… websocket + request_states", runs, lambda r: p50_p95_max(r["ws_states"], 2)),
        row("… token sent → post form open (join in the store, first poll)", runs, lambda r: p50_p95_max(r["token_form"], 2)),
        row(f"wait for a GET slot (semaphore {args.get_concurrency}), p50 / p95 / max, s", runs, lambda r: p50_p95_max(r["queue"], 1)),
        row("join time counted from arrival (incl. the slot wait), p50 / p95 / max, s", runs, lambda r: p50_p95_max(r["join_from_arrival"], 1)),
        row("highlights: sent / ack ok / ack error / no ack", runs, lambda r: f"{r['posts_sent']} / {r['posts_ok']} / {len(r['posts_error'])} / {r['posts_noack']}"),
        row("post submit → ack, p50 / p95 / max, s", runs, lambda r: p50_p95_max(r["post_ack"], 2)),
        row("post ack signal (status / cleared)", runs, lambda r: f"{r['post_signals'].get('status', 0)} / {r['post_signals'].get('cleared', 0)}"),
        row("post submit → facilitator count, p50 / p95 / max, s", runs, lambda r: p50_p95_max(r["fac_latency"], 2) + (f" ({r['fac_missing']} never shown)" if r["fac_missing"] else "")),
        row("post submit → text on facilitator wall, p50 / p95 / max, s", runs, lambda r: p50_p95_max(r["fac_exact"], 2) + (f" ({r['fac_exact_missing']} never shown)" if r["fac_exact_missing"] else "")),
        row("+1s: sent / ack ok / ack error / no ack", runs, lambda r: f"{r['votes_sent']} / {r['votes_ok']} / {len(r['votes_error'])} / {r['votes_noack']}"),
        row("+1 → ack, p50 / p95 / max, s", runs, lambda r: p50_p95_max(r["vote_ack"], 2)),
        row("+1 ack signal (status / items)", runs, lambda r: f"{r['vote_signals'].get('status', 0)} / {r['vote_signals'].get('items', 0)}"),
        row("reveal → a phone's wall lists every highlight, p50 / p95 / max, s", runs, lambda r: p50_p95_max(r["wall_complete"], 1)),
        row("in the store: participants / highlights / +1s", runs, lambda r: f"{r['participants_in_store']} / {r['highlights_in_store']} / {r['votes_in_store']}"),
        row("**lost** (acked, not stored): highlights / +1s", runs, lambda r: f"**{len(r['lost_posts'])} / {len(r['lost_votes'])}**"),
        row("**doubled**: highlights / +1s", runs, lambda r: f"**{len(r['doubled_posts'])} / {len(r['doubled_votes'])}**"),
        row("stored without an ok ack / stored but never sent", runs, lambda r: f"{len(r['unacked_but_stored'])} / {len(r['stray_posts']) + len(r['extra_votes'])}"),
        row("facilitator's final count / +1s on its wall", runs, lambda r: f"{r['fac_final_count']} / {r['fac_final_votes']}"),
        row("facilitator count widget: updates received / changes of the count", runs, lambda r: f"{r['fac_counts_updates']} / {r['fac_counts_changes']}"),
        row("facilitator page GET, s", runs, lambda r: fmt_s(r["fac_get"], 1)),
        row("kernels (max seen)", runs, lambda r: f"{r['max_kernels']}"),
        row("peak RSS: server + kernels = total, MiB", runs, lambda r: f"{r['peak_server']:.0f} + {r['peak_kernels']:.0f} = {r['peak_total']:.0f} ({r['peak_kernel_count']} kernels)"),
        row("RSS per kernel at the peak (mean), MiB", runs, lambda r: f"{r['peak_kernels'] / max(r['peak_kernel_count'], 1):.0f}"),
        row("widget messages received by all phones: join / post / reveal + vote (MiB)", runs, lambda r: " / ".join(
            f"{int(r['cpu'][k]['phone_msgs'][0])} ({r['cpu'][k]['phone_bytes'][0] / MIB:.1f})" if k in r["cpu"] else "–" for k in ("joined", "posted", "voted"))),
        row("phase durations: join / post / vote, s", runs, lambda r: " / ".join(f"{r['durations'][k]:.0f}" for k in ("join", "post", "vote"))),
        "",
        "CPU by phase (CPU seconds used ÷ wall seconds of the phase; 200 % = both CPUs):",
        "",
    ]
    for r in rooms:
        for phase, name in (("joined", "join"), ("posted", "post"), ("voted", "reveal + vote")):
            L.append(f"- {r.label}, {name}: {cpu_text(r.result, phase)}")
    L += ["", "### Problems seen", "", *problems_lines(rooms)]
    L += ["", "### Reading", "", *meta["reading"], ""]
    return "\n".join(L)


def problems_lines(rooms: list[Room]) -> list[str]:
    """What went wrong in each run: failed phones, errors, lost/doubled answers, kernel and log errors."""
    L: list[str] = []
    any_problem = False
    for r in rooms:
        res = r.result
        items = []
        if res["failed"]:
            items.append("participants that failed: " + "; ".join(f"#{i}: {e}" for i, e in res["failed"][:10]))
        if res["posts_error"]:
            items.append("highlights answered with an error: " + "; ".join(f"#{w}: {t!r}" for w, t in res["posts_error"][:10]))
        if res["votes_error"]:
            items.append("+1s answered with an error: " + "; ".join(f"#{w}: {t!r}" for w, t in res["votes_error"][:10]))
        for key, what in (("lost_posts", "LOST highlights"), ("doubled_posts", "DOUBLED highlights"),
                          ("lost_votes", "LOST +1s"), ("doubled_votes", "DOUBLED +1s"),
                          ("unacked_but_stored", "stored without an ok ack"), ("stray_posts", "stored but never sent"),
                          ("extra_votes", "+1s stored but never sent")):
            if res[key]:
                items.append(f"{what}: {len(res[key])}: " + "; ".join(map(str, res[key][:5])))
        for note in r.notes:
            items.append(note)
        if res["posts_kernel_error"] or res["votes_kernel_error"]:
            what = "; ".join(f"{n}× `{e}`" for e, n in (res["posts_kernel_error"] + res["votes_kernel_error"]).most_common(5))
            items.append(f"submissions that died in the kernel (the kernel printed to stderr while handling them, and "
                         f"sent no status): {what}")
        if res["kernel_errors"]:
            items.append("all kernel stderr seen on the pages' iopub (last line with ids as <id>, count): "
                         + "; ".join(f"{n}× `{e}`" for e, n in res["kernel_errors"].most_common(8)))
        if res["kernel_error_sample"]:
            items.append("the most frequent kernel error (other than the control-comm notice), as the page received it (iopub stderr; it is not in the server "
                         "log):\n\n```\n" + res["kernel_error_sample"].strip()[:3000] + "\n```")
        if res["workaround"] is not None:
            items.append("runtime workaround in the kernels (IPython startup file): "
                         + ("; ".join(f"{n} kernels: {k}" for k, n in res["workaround"].items()) or "no kernel reported"))
        if res["log_problems"]:
            items.append("server/kernel log lines with an error or warning word:\n\n```\n" + "\n".join(res["log_problems"]) + "\n```")
        if items:
            any_problem = True
            L.append(f"- {r.label}:")
            L += [f"  - {x}" if "\n" not in x else "  - " + x.replace("\n", "\n    ") for x in items]
    if not any_problem:
        L.append("- None: every participant joined, every submission got an ok ack, nothing was lost or doubled, "
                 "and the server log has no error or warning line.")
    return L


def reading(args, rooms: list[Room]) -> list[str]:
    out: list[str] = []
    n = args.participants
    med = lambda xs: pct(xs, 50)  # noqa: E731
    broken = [r for r in rooms if r.result["posts_kernel_error"] or r.result["votes_kernel_error"]]
    for r in broken:
        res = r.result
        errs = res["posts_kernel_error"] + res["votes_kernel_error"]
        out.append(
            f"- **{r.label}: no phone could post.** {res['posts_ok']} of {res['posts_sent']} highlights were "
            f"acknowledged; every submit died in the kernel with `{errs.most_common(1)[0][0]}` and nothing reached "
            "the store. Cause (vertaiset_widgets/forms.py): the widgets register their custom-message callback "
            "with `self.on_msg(self._handle_msg)`, and the method's name shadows ipywidgets' own "
            "`Widget._handle_msg(self, msg)`, which is the handler the comm calls for *every* message from the "
            "browser. So every message a browser sends to a `FieldsForm`, `RatingForm` or `WallView` -- submit, "
            "+1, edit, withdraw, moderation, and the radio buttons' `value` updates -- fails in the kernel; only "
            "`BrowserToken` (no override) works, which is why joining works. The traceback goes to the page's "
            "iopub stderr, not to the server log, and the page shows no error. Python-side tests do not see it "
            "because they call `form.submit()` / `wall.act()` directly. Fix: give the callback another name "
            "(e.g. `_on_custom_msg`) in `_MessagingWidget`, `_SubmittingForm` and `WallView`."
        )
    good = [r for r in rooms if r.result["posts_ok"]]
    base_room = next((r for r in good if not r.preheat), good[0] if good else rooms[0])
    base = base_room.result
    if broken and base_room.workaround:
        out.append(
            f"- The numbers below the join times are from the \"{base_room.label}\" run: the same app with only "
            "that shadowing undone at run time in each kernel (an IPython startup file from the bench, see "
            "`WORKAROUND_STARTUP` in bench_room.py; the repository is not changed)."
        )
    parts = {
        "page GET (kernel start + notebook run)": med(base["get"]),
        "websocket + request_states": med(base["ws_states"]),
        "token → post form": med(base["token_form"]),
    }
    top = max(parts, key=lambda k: parts[k] or 0)
    out.append(
        f"- Joining: all {base['joined']} of {n} phones were in {fmt_s(base['join_all'], 1)} s after the first GET; per "
        f"phone the join took {fmt_s(med(base['join_each']), 1)} s median (p95 {fmt_s(pct(base['join_each'], 95), 1)} s), "
        f"of which the {top} was {fmt_s(parts[top], 1)} s median (websocket + request_states "
        f"{fmt_s(med(base['ws_states']), 2)} s, token → form {fmt_s(med(base['token_form']), 2)} s; and, before "
        f"the GET, {fmt_s(med(base['queue']), 1)} s median waiting for one of the {args.get_concurrency} GET slots). "
        f"With {args.get_concurrency} page GETs in flight on {os.cpu_count()} CPUs the kernels start, import and run "
        f"the notebook side by side, so one GET takes {fmt_s(med(base['get']), 1)} s instead of the few seconds of a "
        f"page alone (bench_pages); the server process itself used {cpu_text(base, 'joined').split('server ')[1].split(',')[0]} "
        f"during the join, the kernels {cpu_text(base, 'joined').split('kernels ')[1].split(',')[0]}: the CPU spent "
        "starting kernels is what limits how fast a room gets in."
    )
    probe = base.get("redraw")
    if base["posts_ok"]:
        out.append(
            f"- Posting: a highlight is acknowledged in {fmt_s(med(base['post_ack']), 2)} s median (p95 "
            f"{fmt_s(pct(base['post_ack'], 95), 2)} s, max {fmt_s(max(base['post_ack']), 2)} s): the phone's own "
            "kernel writes to SQLite and answers at once. The facilitator's count shows it "
            f"{fmt_s(med(base['fac_latency']), 1)} s after the submit (p95 {fmt_s(pct(base['fac_latency'], 95), 1)} s, "
            f"max {fmt_s(max(base['fac_latency']) if base['fac_latency'] else None, 1)} s; the exact text on its "
            f"wall: {fmt_s(med(base['fac_exact']), 1)} s median, p95 {fmt_s(pct(base['fac_exact'], 95), 1)} s). "
            "The facilitator page learns of a change only by polling the session's revision every 0.5 s (`workbook.CONSOLE_POLL`); then "
            "`Workbook._redraw_changed` reads which activities changed and redraws their consoles (here the "
            "highlights: state, counts, wall; every console when someone joins, for the counts), and a 5 s "
            "ticker refreshes the count of who is present alone. Facilitator kernel "
            f"during posting: {cpu_text(base, 'posted').split('of which facilitator ')[-1]} of one CPU, while "
            f"{n} phone kernels and the server share the same {os.cpu_count()} CPUs."
            + (f" Measured afterwards on this run's final data in a fresh process (server stopped), one redraw "
               f"takes {probe['fac_360']:.2f} s for the 360 console (it has no answers in this run) and "
               f"{probe['fac_hl']:.2f} s for the highlights console, of which its counts alone "
               f"{probe['fac_hl_counts'] * 1000:.0f} ms -- so on an idle machine the delay would be about the "
               "0.5 s poll; in the full room it is the CPU contention that stretches it."
               if probe else "")
        )
    if base["votes_sent"]:
        per_change = (probe["phone_votes"] + probe["phone_poll"]) * n if probe else None
        slow = (med(base["vote_ack"]) or 0) > max(0.5, 3 * (med(base["post_ack"]) or 0))
        saturates = per_change is not None and per_change > 0.5 * (os.cpu_count() or 1)
        out.append(
            f"- +1s: acknowledged in {fmt_s(med(base['vote_ack']), 2)} s median (p95 {fmt_s(pct(base['vote_ack'], 95), 2)} s, "
            f"max {fmt_s(max(base['vote_ack']) if base['vote_ack'] else None, 2)} s)"
            + (f" -- much slower than a post ({fmt_s(med(base['post_ack']), 2)} s), because of what the reveal starts"
               if slow else f" (a post: {fmt_s(med(base['post_ack']), 2)} s). What the reveal starts")
            + f": every one of the {n} phone pages follows the revealed wall. A +1 changes only the wall's "
            "+1s (its change key `unelmaverkosto#votes`), so each phone's next poll re-reads the votes alone "
            "and sends the counts (`HighlightsPanel.update_part`), not the wall; a new or edited highlight "
            "or a moderation redraws the wall (`HighlightsPanel.update`). The phones received "
            f"{int(base['cpu']['voted']['phone_msgs'][0])} widget messages "
            f"({base['cpu']['voted']['phone_bytes'][0] / MIB:.1f} MiB) in the reveal + vote phase for "
            f"{base['votes_sent']} +1s; CPU in that phase: {cpu_text(base, 'voted')}."
            + (f" On the final data (fresh process, idle machine) a phone's +1s re-read costs "
               f"{probe['phone_votes'] * 1000:.1f} ms and a full wall redraw {probe['phone_update'] * 1000:.0f} ms, plus "
               f"{probe['phone_poll'] * 1000:.1f} ms for the poll's reads, so while +1s keep coming the {n} phone "
               f"kernels want ~{per_change:.2f} CPU-s every second (each polls once a second)"
               + (f" -- on {os.cpu_count()} CPUs that nearly saturates the machine." if saturates
                  else "; the cost grows with the square of the room's size.")
               if probe else "")
        )
    if base["posts_ok"]:
        out.append(
            f"- Acks as the bench reads them: of {base['posts_ok']} posts {base['post_signals'].get('status', 0)} "
            f"came with a new status text, and of {base['votes_ok']} +1s {base['vote_signals'].get('status', 0)}: "
            "ipywidgets sends only traits that changed, so a second identical \"saved\" text is not sent again "
            "and the bench then times the other change sent in the same handler (the form emptied, the item "
            "shown +1'd). A phone hears every save: each one raises `status_seq` (the status line is announced "
            "again) and carries the submission's own `ack` message with its id (static/saving.js)."
        )
    out.append(
        f"- Memory: peak {base['peak_total']:.0f} MiB RSS = server {base['peak_server']:.0f} MiB + "
        f"{base['peak_kernel_count']} kernels {base['peak_kernels']:.0f} MiB (mean "
        f"{base['peak_kernels'] / max(base['peak_kernel_count'], 1):.0f} MiB per kernel, the facilitator's included; "
        "RSS double-counts shared pages). One kernel per open phone is the cost of this design."
    )
    blank = [(r.label, r.result["blank_pages"]) for r in rooms if r.result["blank_pages"]]
    timeouts = [(r.label, r.result["iopub_timeouts"]) for r in rooms]
    if blank or any(n_ for _l, n_ in timeouts):
        out.append(
            "- Under this load Voila logged `Timeout waiting for IOPub output` ("
            + ", ".join(f"{lab}: {n_}×" for lab, n_ in timeouts)
            + "): nbclient gave up waiting for a cell's output while rendering a page. Participant pages whose HTML "
            "came without a widget view (a browser would show them empty, although the kernel has the widgets): "
            + (", ".join(f"{lab}: {n_}" for lab, n_ in blank) if blank else "none")
            + "."
        )
    clashes = [(r.label, r.result["port_clashes"]) for r in rooms if r.result["port_clashes"]]
    if clashes:
        out.append(
            "- `zmq.error.ZMQError: Address already in use` in the log ("
            + ", ".join(f"{lab}: {n_}×" for lab, n_ in clashes)
            + "): with many kernels starting at once, a TCP port that jupyter_client picked for one kernel was "
            "taken before the kernel bound it. `--KernelManager.transport=ipc` would avoid TCP ports altogether."
        )
    for r in rooms:
        res = r.result
        lost = len(res["lost_posts"]) + len(res["lost_votes"])
        doubled = len(res["doubled_posts"]) + len(res["doubled_votes"])
        out.append(f"- Answers, {r.label}: {lost} lost and {doubled} doubled against {res['posts_ok']} acknowledged "
                   f"highlights and {res['votes_ok']} acknowledged +1s (store: {res['highlights_in_store']} highlights, "
                   f"{res['votes_in_store']} +1s).")
    pre_room = next((r for r in rooms if r.preheat and r.result["joined"]), None)
    if pre_room is not None:
        pre = pre_room.result
        out.append(
            f"- Preheat {pre_room.preheat} vs none: all joined after {fmt_s(pre['join_all'], 1)} s vs "
            f"{fmt_s(base['join_all'], 1)} s; per phone p50 {fmt_s(med(pre['join_each']), 1)} s vs "
            f"{fmt_s(med(base['join_each']), 1)} s, p95 {fmt_s(pct(pre['join_each'], 95), 1)} s vs "
            f"{fmt_s(pct(base['join_each'], 95), 1)} s; page GET p50 {fmt_s(med(pre['get']), 1)} s vs "
            f"{fmt_s(med(base['get']), 1)} s, p95 {fmt_s(pct(pre['get'], 95), 1)} s vs {fmt_s(pct(base['get'], 95), 1)} s. "
            f"{pre['code_typed']} of {pre['joined']} phones got a preheated page: Voila hands a request a pool "
            "kernel whenever the pool list is not empty -- even one still starting -- and refills after each, so "
            "in a room almost every phone gets one; such a page had run without `?session=` and asked for the "
            "join code (the bench typed it; a person would have to, despite the QR link). Kernel CPU during the "
            f"join: {pre['cpu']['joined']['kernels'][0]:.0f} s vs {base['cpu']['joined']['kernels'][0]:.0f} s. "
            f"Peak RSS {pre['peak_total']:.0f} MiB with {pre['max_kernels']} kernels vs "
            f"{base['peak_total']:.0f} MiB with {base['max_kernels']} (the pool also keeps {pre_room.preheat} idle "
            "facilitator kernels, each having run the notebook with no session, i.e. the demo session's report)."
        )
        faster = (pre["join_all"] or 0) < (base["join_all"] or 0)
        out.append(
            "- So preheat stays off by default. Timing: "
            + (f"it shortened the room's join by {base['join_all'] - pre['join_all']:.0f} s of {base['join_all']:.0f} s"
               if faster else "it did not shorten the room's join")
            + f" and moved the per-phone p95 from {fmt_s(pct(base['join_each'], 95), 1)} s to "
            f"{fmt_s(pct(pre['join_each'], 95), 1)} s -- no clear gain, as the CPU work per phone is the same. "
            "Function: it breaks the QR-code link (the session in the URL is ignored) unless the participant "
            "notebook reads the query with `get_query_string()`, and it costs idle facilitator kernels. Culling "
            "stays at 600 s / 60 s with `cull_connected=False`, so no open phone loses its kernel during a workshop."
        )
    else:
        out.append(
            "- Preheat stays off by default (not measured in this invocation): it cannot pass `?session=` to the "
            "page, and would keep idle kernels for every notebook; culling stays at 600 s / 60 s with "
            "`cull_connected=False`, so no open phone loses its kernel during a workshop."
        )
    return out


# --------------------------------------------------------------------------- the QR burst's report
FIGURES_TAG = "<!-- bench-room-figures "


def burst_heading(args) -> str:
    where = (f"{args.servers} servers on PostgreSQL behind nginx" if args.servers > 1
             else f"one server on {'PostgreSQL' if args.db == 'postgresql' else 'SQLite'}")
    return f"## QR burst: {args.participants} phones within {args.burst:g} s, {where}"


def figure_text(key: str, value: Any) -> str:
    if value is None:
        return "–"
    if key == "lost_doubled":
        return f"{value[0]} / {value[1]}"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def target_text(key: str, target: float) -> str:
    return "0 / 0" if key == "lost_doubled" else f"≤ {target:g}"


def previous_one_server(path: Path | None, args) -> tuple[str, dict] | None:
    """The one-server figures of the same room and burst from ``--out`` (its hidden figures line)."""
    if path is None or not path.exists():
        return None
    want = f"## QR burst: {args.participants} phones within {args.burst:g} s, one server on "
    heading = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading = line
        elif heading and heading.startswith(want) and line.startswith(FIGURES_TAG):
            data = json.loads(line[len(FIGURES_TAG):].rsplit("-->", 1)[0])
            return heading[3:].split(", ", 1)[1], data
    return None


def write_burst_section(args, room: Room, bare: Room | None, meta: dict, previous: tuple[str, dict] | None) -> str:
    r = room.result
    n = args.participants
    col = room_target_column(n)
    size = "60" if col == 2 else "200"
    heads = ["measure", f"target ({size}-phone room)", "this run", "met?"]
    if previous:
        heads += [f"{previous[0]} ({previous[1].get('date', '?')})", "met?"]
    if bare is not None:
        heads.append(f"bare slider from a pool of {n}, same arrivals")
    b = bare.result if bare is not None else {}
    bare_fig = {"join_all_s": b.get("join_all_arrival"), "join_p95_s": pct(b.get("join_from_arrival") or [], 95)}
    L = [
        *section_head(burst_heading(args), meta["date"], "bench_room.py", meta["command"],
                      code=f"Code: git {meta['git']} ({r['code']})."),
        "### Machine",
        "",
        *meta["machine"],
        *(f"- Load average (1, 5, 15 min), {x.label}: at start {', '.join(f'{v:.2f}' for v in x.result['load_start'])}, "
          f"at end {', '.join(f'{v:.2f}' for v in x.result['load_end'])}" for x in [room] + ([bare] if bare else [])),
        "",
        "### Setup",
        "",
        *(f"- Server {i + 1}: `python -m vertaiset_widgets.cli "
          + " ".join(shlex.quote(x) for x in s_.cmd[3:]).replace(str(room.tmp), "TMP") + "`"
          for i, s_ in enumerate(room.servers)),
        f"- Database: {meta['db']}.",
        *([f"- The room of {room.room} is spread over {len(room.servers)} servers: each serves with `--room "
           f"{-(-room.room // len(room.servers))}` (its share of the phones)."] if len(room.servers) > 1 else []),
        *([f"- nginx ({meta.get('nginx', 'nginx')}) in front, configured from deploy/nginx by tests/nginx_proxy.py "
           "(TLS on loopback, sticky cookie `vertaiset_server`); every phone keeps its own cookie, so its websocket "
           "reaches the server that served its page. Phones per server: "
           + ", ".join(f"{k}: {v}" for k, v in sorted(r["spread"].items())) + "."] if room.nginx else []),
        f"- Arrivals: {n} phones at seeded uniform random moments within {args.burst:g} s (seed {args.seed}; sorted, "
        f"the first at 0), each sending its page GET at its arrival ({args.get_concurrency} GETs in flight at most). "
        "Joined = the participant page's post form has opened (token sent, joined in the store, first poll).",
        f"- Pools: the run waited until `/vertaiset/api/limits` showed every pool at its target with its kernels "
        f"waiting for their request, and the kernels were quiet: {fmt_s(r['pool_fill'], 0)} s after the server "
        f"answered (ready/pool/target: {r['pool_state']}). Pages taken from a pool (server log, \"Using pre-heated "
        "kernel\"): " + (", ".join(f"{k} {v}" for k, v in sorted(r["preheated"].items())) or "none") + ".",
    ]
    if bare is not None:
        L.append(
            f"- Baseline: `bench/{BARE_NB}` alone in a server's root, copied there as `{PARTICIPANT_NB}` so that the "
            f"same `serve --room {bare.room}` sizes, fills and refills its pool as the participant page's (filled in "
            f"{fmt_s(b['pool_fill'], 0)} s: {b['pool_state']}), the same {n} arrival moments; joined = the "
            "slider's widget model has reached the phone (comm open, `request_states` answered). Pages from its pool: "
            + (", ".join(f"{k} {v}" for k, v in sorted(b["preheated"].items())) or "none") + "."
        )
    L += [
        "- Afterwards: posts, the reveal and +1s as in the section \"A full room\" (method there): "
        f"{args.posts} highlight(s) per phone, then {args.votes} +1(s) each.",
        "",
        "### Results",
        "",
        "| " + " | ".join(heads) + " |",
        "|" + "---|" * len(heads),
    ]
    for key, label, *targets in ROOM_TARGETS:
        target = targets[col - 2]
        value, complete = r["figures"][key]
        met = verdict(value, target) if complete else "not met"
        cells = [label, target_text(key, target), figure_text(key, value) + ("" if complete else " (incomplete)"), met]
        if previous:
            pv = previous[1]["figures"].get(key)
            if pv is None:
                cells += ["–", "–"]
            else:
                pval = tuple(pv[0]) if key == "lost_doubled" and pv[0] is not None else pv[0]
                cells += [figure_text(key, pval) + ("" if pv[1] else " (incomplete)"),
                          verdict(pval, target) if pv[1] else "not met"]
        if bare is not None:
            cells.append(figure_text(key, bare_fig[key]) if key in bare_fig else "")
        L.append("| " + " | ".join(cells) + " |")
    extra = [
        ("phones joined", f"{r['joined']} / {n}", previous[1].get("joined") if previous else None,
         f"{b.get('joined')} / {n}" if bare else ""),
        ("peak RSS: server(s) + kernels = total, MiB",
         f"{r['peak_server']:.0f} + {r['peak_kernels']:.0f} = {r['peak_total']:.0f} ({r['peak_kernel_count']} kernels)",
         previous[1].get("peak") if previous else None,
         f"{b['peak_server']:.0f} + {b['peak_kernels']:.0f} = {b['peak_total']:.0f} ({b['peak_kernel_count']} kernels)" if bare else ""),
        ("CPU, join", cpu_text(r, "joined"), None, cpu_text(b, "joined") if bare else ""),
        ("CPU, post", cpu_text(r, "posted"), None, ""),
        ("CPU, reveal + vote", cpu_text(r, "voted"), None, ""),
    ]
    for label, value, prev, bare_value in extra:
        cells = [label, "recorded", value, ""]
        if previous:
            cells += [str(prev) if prev is not None else "–", ""]
        if bare is not None:
            cells.append(bare_value)
        L.append("| " + " | ".join(cells) + " |")
    details = [
        ("join per phone from arrival, p50 / p95 / max, s", p50_p95_max(r["join_from_arrival"], 2),
         p50_p95_max(b.get("join_from_arrival") or [], 2) if bare else ""),
        ("… of which the page GET, p50 / p95 / max, s", p50_p95_max(r["get"], 2), p50_p95_max(b.get("get") or [], 2) if bare else ""),
        ("post → ack, p50 / p95 / max, s", p50_p95_max(r["post_ack"], 2), ""),
        ("post → facilitator count, p50 / p95 / max, s", p50_p95_max(r["fac_latency"], 2), ""),
        ("+1 → ack, p50 / p95 / max, s", p50_p95_max(r["vote_ack"], 2), ""),
        ("reveal → a phone's wall complete, p50 / p95 / max, s", p50_p95_max(r["wall_complete"], 2), ""),
        ("highlights sent / ok / error / no ack", f"{r['posts_sent']} / {r['posts_ok']} / {len(r['posts_error'])} / {r['posts_noack']}", ""),
        ("+1s sent / ok / error / no ack", f"{r['votes_sent']} / {r['votes_ok']} / {len(r['votes_error'])} / {r['votes_noack']}", ""),
    ]
    L += ["", "Spread of the figures:", "", "| | this run |" + (" bare slider |" if bare else ""),
          "|---|---|" + ("---|" if bare else "")]
    for label, value, bare_value in details:
        L.append(f"| {label} | {value} |" + (f" {bare_value} |" if bare else ""))
    L += ["", "Met/not met is computed from the figures (`ROOM_TARGETS` in bench/benchlib.py): a figure counts "
          "only when the run is complete (every phone joined, every submission acknowledged, the facilitator "
          "and every wall showed everything); an incomplete one is \"not met\".", ""]
    L += ["### Problems seen", "", *problems_lines([room] + ([bare] if bare else [])), ""]
    figures = {k: [v[0], v[1]] for k, v in r["figures"].items()}
    L.append(FIGURES_TAG + json.dumps({"date": meta["date"], "figures": figures, "joined": f"{r['joined']} / {n}",
                                       "peak": f"{r['peak_total']:.0f} MiB RSS"}) + " -->")
    return "\n".join(L) + "\n"


def replace_section(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = text.splitlines()
    heading = section.splitlines()[0].strip()  # "## A full room: N participants": each room size has its own
    start = next((i for i, line in enumerate(lines) if line.strip() == heading), None)
    if start is None:
        body = text.rstrip("\n")
        new = (body + "\n\n" if body else "") + section.rstrip("\n") + "\n"
    else:
        end = next((j for j in range(start + 1, len(lines)) if lines[j].startswith("## ")), len(lines))
        new_lines = lines[:start] + section.rstrip("\n").splitlines() + ([""] + lines[end:] if end < len(lines) else [])
        new = "\n".join(new_lines).rstrip("\n") + "\n"
    path.write_text(new, encoding="utf-8")


# --------------------------------------------------------------------------- main
async def run_room(room: Room) -> None:
    AsyncHTTPClient.configure(None, max_clients=max(16, room.args.get_concurrency * 2))
    await room.run()


def run_one(room: Room) -> None:
    """Run one room in its own event loop; its servers stop afterwards, even on error."""
    try:
        asyncio.run(run_room(room))
    finally:
        if room.sampler is not None:
            room.sampler.stop_event.set()
        for server in room.servers:
            server.stop()
        if room.nginx is not None:
            room.nginx.stop()
        if room.servers:
            room.say(f"server(s) stopped; logs {', '.join(str(s.log_path) for s in room.servers)}")


def burst_main(args, tmp: Path, meta: dict, db_url: str, rooms: list[Room]) -> int:
    """The QR burst: the room against ``--room N`` pools, then the bare slider from a pool of N."""
    where = f"{args.servers} servers" if args.servers > 1 else "one server"
    room = Room(args, tmp, 0, f"room of {args.participants}, {where}", args.workaround == "only",
                room=args.room, db_url=db_url)
    rooms.append(room)
    run_one(room)
    room.numbers()
    bare = None
    if not args.no_baseline:
        bare = BareRoom(args, tmp, 0, f"bare slider, pool of {args.participants}", room=args.room)
        rooms.append(bare)
        run_one(bare)
        bare.numbers()
    out = Path(args.out) if args.out else None
    previous = previous_one_server(out, args) if args.servers > 1 else None
    section = write_burst_section(args, room, bare, meta, previous)
    print()
    print(section)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        replace_section(out, section)
        print(f"wrote the section into {out}")
    r = room.result
    if r["lost_posts"] or r["lost_votes"] or r["doubled_posts"] or r["doubled_votes"]:
        return 1
    if not all(complete for _v, complete in r["figures"].values()) or (bare and bare.result["joined"] < args.participants):
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--participants", type=int, default=60, help="simulated phones (default 60)")
    ap.add_argument("--posts", type=int, default=2, help="highlights per participant (default 2)")
    ap.add_argument("--votes", type=int, default=3, help="+1s per participant (default 3)")
    ap.add_argument("--get-concurrency", type=int, default=0,
                    help="page GETs in flight at once (default 8; with --burst: every phone, as a room scans)")
    ap.add_argument("--burst", type=float, default=0.0, metavar="SECONDS",
                    help="QR burst: the phones arrive at seeded uniform random moments within SECONDS (e.g. 60 phones "
                         "in 10, 200 in 30), against a server started with --room N whose pools are full first; "
                         "the bare slider from a pool of N with the same arrivals is the baseline")
    ap.add_argument("--room", type=int, default=0, metavar="N",
                    help="serve --room N (default: --participants with --burst, else 0)")
    ap.add_argument("--no-baseline", action="store_true", help="with --burst: leave out the bare slider's run")
    ap.add_argument("--servers", type=int, default=1,
                    help="vertaiset serve processes on one database behind nginx (deploy/nginx; default 1)")
    ap.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite",
                    help="sqlite (default: a file per run) or postgresql (--db-url, or a throwaway cluster started here)")
    ap.add_argument("--db-url", default="", help="with --db postgresql: this database instead of a throwaway one")
    ap.add_argument("--arrival-gap", type=float, default=0.1, help="seconds between participants' arrivals (default 0.1)")
    ap.add_argument("--post-spread", type=float, default=20.0, help="first posts spread over this many seconds (default 20)")
    ap.add_argument("--vote-spread", type=float, default=15.0, help="first +1s spread over this many seconds (default 15)")
    ap.add_argument("--get-timeout", type=float, default=600.0, help="seconds one page GET may take (default 600)")
    ap.add_argument("--ack-timeout", type=float, default=180.0, help="seconds to wait for one ack or widget (default 180)")
    ap.add_argument("--phase-timeout", type=float, default=1800.0, help="seconds one phase may take (default 1800)")
    ap.add_argument("--preheat", type=int, default=0, help="serve with --preheat N (default 0)")
    ap.add_argument("--compare-preheat", type=int, default=0, metavar="N",
                    help="after the run, run everything again with --preheat N and compare (default: no)")
    ap.add_argument("--preheat-wait", type=float, default=900.0, help="max seconds to let the preheat pools fill (default 900)")
    ap.add_argument("--workaround", choices=["auto", "no", "only"], default="auto",
                    help="auto (default): run the app as it is and, if a submission dies in the kernel, run the room "
                         "again with the runtime workaround for the shadowed ipywidgets message handler (see "
                         "WORKAROUND_STARTUP); no: never; only: only with the workaround")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", help="replace (or add) the section '## A full room: N participants' (this N) in this file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (server logs, databases)")
    args = ap.parse_args(argv)
    if args.participants < 2:
        ap.error("--participants must be >= 2")
    if args.servers > 1 and args.db != "postgresql":
        ap.error("--servers 2 or more needs --db postgresql (the servers share one database)")
    if args.burst and not args.room:
        args.room = args.participants
    if not args.get_concurrency:
        args.get_concurrency = args.participants if args.burst else 8

    from bench_pages import _shown_python  # the same way of showing the command

    command = " ".join(shlex.quote(a) for a in [_shown_python(), *sys.argv])
    tmp = Path(tempfile.mkdtemp(prefix="vertaiset-room-"))
    os.environ["VERTAISET_HOME"] = str(tmp / "home")
    os.environ.pop("VERTAISET_DB_URL", None)
    os.environ.pop("QUERY_STRING", None)

    def _on_signal(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "command": command,
            "machine": machine_lines(), "git": git_state()}
    rooms: list[Room] = []
    status = 0
    finished = False
    pg = None
    db_url = ""
    if args.db == "postgresql":
        if args.db_url:
            db_url, meta["db"] = args.db_url, "PostgreSQL at the URL given with `--db-url`"
        else:
            pg = ThrowawayPostgres()
            atexit.register(pg.stop)
            db_url, meta["db"] = pg.url, f"a throwaway PostgreSQL cluster on loopback ({pg.settings})"
        from vertaiset_widgets.store import SessionStore

        SessionStore(db_url).close()  # migrate once, before the servers
    else:
        meta["db"] = "a temporary SQLite file"
    if args.servers > 1:
        try:
            meta["nginx"] = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
        except OSError:
            meta["nginx"] = "nginx"
    if args.burst:
        try:
            return burst_main(args, tmp, meta, db_url, rooms)
        finally:
            for room in rooms:
                for server in room.servers:
                    server.stop()
                if room.nginx is not None:
                    room.nginx.stop()
            if pg is not None:
                pg.stop()
            print(f"kept {tmp}" if args.keep else f"removed {tmp}")
            if not args.keep:
                shutil.rmtree(tmp, ignore_errors=True)

    def label_of(preheat: int, workaround: bool) -> str:
        return (f"preheat {preheat}" if preheat else "no preheat") + (", workaround" if workaround else ", app as is")

    try:
        plan = [(args.preheat, args.workaround == "only")]
        while plan:
            preheat, workaround = plan.pop(0)
            room = Room(args, tmp, preheat, label_of(preheat, workaround), workaround, room=args.room, db_url=db_url)
            rooms.append(room)
            try:
                asyncio.run(run_room(room))
            finally:
                if room.server is not None:
                    if room.sampler is not None:
                        room.sampler.stop_event.set()
                    room.server.stop()
                    room.say(f"server stopped; log {room.server.log_path}")
            room.numbers()
            r = room.result
            if r["lost_posts"] or r["lost_votes"] or r["doubled_posts"] or r["doubled_votes"]:
                status = 1
            elif status == 0 and (r["joined"] < args.participants or r["posts_noack"] or r["votes_noack"]
                                  or r["fac_missing"] or r["posts_ok"] < args.participants * args.posts):
                status = 2
            broken = bool(r["posts_kernel_error"] or r["votes_kernel_error"])
            if broken and not workaround and args.workaround == "auto" and len(rooms) == 1:
                room.say("submissions died in the kernel: running the room again with the runtime workaround")
                plan.append((preheat, True))
            if not plan and args.compare_preheat and not any(x.preheat for x in rooms):
                plan.append((args.compare_preheat, rooms[-1].workaround))
        probe_room = next((x for x in rooms if x.result.get("posts_ok") and not x.preheat), None)
        if probe_room is not None:
            probe_room.result["redraw"] = redraw_probe(probe_room)
        meta["reading"] = reading(args, rooms)
        section = write_section(args, rooms, meta)
        print()
        print(section)
        if args.out:
            out = Path(args.out)
            out.parent.mkdir(parents=True, exist_ok=True)
            replace_section(out, section)
            print(f"wrote the section into {out}")
        finished = True
        return status
    finally:
        for room in rooms:
            if room.server is not None:
                room.server.stop()
        if args.keep or status or not finished:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
