"""``vertaiset network list|show``: the networks and their rounds (sessions in date order)."""
from __future__ import annotations

import argparse
import json

__all__ = ["add_network_parsers"]


def _round_record(store, session, number: int) -> dict:
    previous = store.previous_round(session)
    return {
        "round": number,
        "code": session.code,
        "title": session.title,
        "date": session.held_on.isoformat(),
        "follows": previous.code if previous else None,
        "promoted_steps": [s.text for s in store.promoted_steps(session.id)],
        "open": session.is_open,
    }


def cmd_network_list(args: argparse.Namespace) -> int:
    """Print every network with its sessions' codes in round order."""
    from .cli import _store

    store = _store(args)
    nets = store.networks()
    if args.json:
        print(json.dumps([{"name": n.name, "sessions": [s.code for s in n.sessions]} for n in nets], ensure_ascii=False))
        return 0
    if not nets:
        print("Ei verkostoja / No networks yet: `vertaiset session new --network NAME` makes one.")
    for net in nets:
        rounds = " → ".join(f"{s.code} ({s.held_on:%-d.%-m.%Y})" for s in net.sessions) or "-"
        print(f"{net.name}: {len(net.sessions)} kierrosta / rounds: {rounds}")
    return 0


def cmd_network_show(args: argparse.Namespace) -> int:
    """Print one network's rounds: date, code, title, the round each follows and the steps it promoted."""
    from .cli import _store

    store = _store(args)
    session = store.find_session(args.name) if len(args.name) <= 16 else None
    net = store.network(session.network_name if session else args.name)
    rounds = [_round_record(store, s, n) for n, s in enumerate(net.sessions, start=1)]
    if args.json:
        print(json.dumps({"name": net.name, "created": net.created_at.isoformat(), "rounds": rounds}, ensure_ascii=False))
        return 0
    print(f"Verkosto / Network: {net.name}")
    for r in rounds:
        follows = f"  ← {r['follows']}" if r["follows"] else ""
        state = "" if r["open"] else "  (suljettu / closed)"
        print(f"  {r['round']}. {r['date']}  {r['code']}  {r['title']}{follows}{state}")
        for step in r["promoted_steps"]:
            print(f"       → {step}")
    return 0


def add_network_parsers(sub: argparse._SubParsersAction, db: argparse.ArgumentParser) -> None:
    """Add ``network list`` and ``network show`` to the command's subparsers."""
    network = sub.add_parser(
        "network", help="list networks and show their rounds",
        description="A network runs the continuum round after round: its sessions, in date order, are its rounds. "
        "`vertaiset session new --network NAME --follows CODE` starts the next round.",
    )
    network_sub = network.add_subparsers(dest="network_command", required=True, metavar="SUBCOMMAND")
    listing = network_sub.add_parser("list", parents=[db], help="every network and its sessions in round order",
                                     description="Print every network with its sessions' codes in round order.")
    listing.add_argument("--json", action="store_true", help="print one JSON list: name and sessions (codes in round order)")
    listing.set_defaults(func=cmd_network_list)
    show = network_sub.add_parser(
        "show", parents=[db], help="one network's rounds",
        description="Print one network's rounds: their date, code and title, the round each follows, and the "
        "steps each promoted for the next round.",
    )
    show.add_argument("name", metavar="NAME", help="the network's name, or the join code of one of its sessions")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(func=cmd_network_show)
