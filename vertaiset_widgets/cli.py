"""The ``vertaiset`` command: sessions, serving, reports, exports, demo data, template checks,
a trainer's own copy of the workbooks and templates (``init``, ``--root``) and their schema.

Every subcommand reads the database from ``--db-url``, else ``VERTAISET_DB_URL``, else
the default SQLite file (see :mod:`vertaiset_widgets.config`).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from .config import data_home, resolve_db_url
from .errors import VertaisetError, VertaisetInputError
from .limits import DEFAULT_MAX_PER_ADDRESS

__all__ = ["main", "build_parser"]

DEFAULT_PORT = 8866


def _store(args: argparse.Namespace):
    from .store import SessionStore

    return SessionStore(resolve_db_url(args.db_url))


def _links(code: str, key: str, args: argparse.Namespace, lang: str = "fi"):
    from .links import SessionLinks

    base = getattr(args, "base_url", None) or os.environ.get("VERTAISET_PUBLIC_URL") or f"http://127.0.0.1:{DEFAULT_PORT}"
    return SessionLinks(code, key=key, base_url=base, lang=lang)


def _print_session(session, key: str, args: argparse.Namespace, store=None, puimala: dict | None = None) -> int:
    from .links import qr_svg, qr_terminal

    links = _links(session.code, key, args, session.lang)
    calendar = ""
    if store is not None:  # the session's read-only calendar feed (no key in it)
        from .calendar import feed_path

        calendar = links.base_url.rstrip("/") + feed_path(store, session.code, session.lang)
    qr_dir = Path(getattr(args, "qr_dir", None) or data_home() / "qr")
    qr_dir.mkdir(parents=True, exist_ok=True)
    import segno

    png = qr_dir / f"{session.code}.png"
    svg = qr_dir / f"{session.code}.svg"
    segno.make(links.participant, error="m").save(str(png), scale=10, border=2)
    svg.write_text(qr_svg(links.participant), encoding="utf-8")
    record = {
        "code": session.code,
        "facilitator_key": key,
        "title": session.title,
        "network": session.network_name,
        "date": session.held_on.isoformat(),
        **links.as_dict(),
        **({"calendar": calendar} if calendar else {}),
        "qr_png": str(png),
        "qr_svg": str(svg),
        **({"puimala": puimala} if puimala else {}),
    }
    if args.json:
        print(json.dumps(record, ensure_ascii=False))
        return 0
    print(f"Työpaja / Workshop:   {session.title} ({session.held_on:%-d.%-m.%Y})")
    print(f"Liittymiskoodi / Join code:  {session.code}")
    print(f"Ohjaajan avain / Facilitator key:  {key}   (näytetään vain nyt / shown only now)")
    print()
    print(f"Osallistujat / Participants:  {links.participant}")
    print(f"Ohjaaja / Facilitator:        {links.facilitator}")
    print(f"Salin näyttö / Room screen:   {links.screen}")
    if calendar:
        print(f"Kalenteri / Calendar feed:    {calendar}")
    print(f"QR: {png}  {svg}")
    if puimala:  # the demo's Puimala beside the day
        print(f"\nPuimala ({puimala['code']}), ohjaajan avain / facilitator key:  {puimala['facilitator_key']}")
        for name, label in (("facilitator_url", "Ohjaaja / Facilitator:"), ("screen_url", "Salin näyttö / Room screen:"),
                            ("notes_url", "Muistiinpanija / Note-taker:"), ("feedback_url", "Palaute / Feedback:")):
            print(f"  {label:<29} {puimala[name]}")
    print()
    print(qr_terminal(links.participant))
    return 0



def _use_root(args: argparse.Namespace) -> None:
    """Make ``--root`` (else ``VERTAISET_ROOT``) the root of this command and all it starts."""
    from .roots import use_root

    use_root(args.root)


# ---------------------------------------------------------------------- commands
def cmd_session_new(args: argparse.Namespace) -> int:
    """Create a session and print its code, key, links and QR code."""
    store = _store(args)
    held_on = date.fromisoformat(args.date) if args.date else None
    agenda = None
    if args.agenda:
        from .content import load_agenda

        agenda = load_agenda(args.agenda)  # checked before the session exists
    session, key = store.create_session(args.title, network=args.network, held_on=held_on, lang=args.lang,
                                        follows=args.follows)
    from .content import load_content, templates_snapshot

    store.record_templates(session.id, templates_snapshot(load_content()))  # old rounds keep their labels
    if agenda is not None:
        store.set_agenda(session.id, [(i.workbook, i.activity, i.time) for i in agenda.items])
    return _print_session(session, key, args, store)


def cmd_session_state(args: argparse.Namespace) -> int:
    """Close a session to participants, or open it again."""
    store = _store(args)
    session = store.get_session(args.code)
    store.set_session_open(session.id, args.session_command == "open")
    state = "open" if args.session_command == "open" else "closed"
    print(f"{session.code}: {state}")
    return 0


def _warn_if_not_compacted(done) -> None:
    if not done.compacted:
        # the rows are gone, but old copies may stay in the database files until the next clean-up
        print("vertaiset: the database files could not be cleaned completely now (a page was reading); "
              "run the command again later", file=sys.stderr)


def _days(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("DAYS must be 0 or more")
    return value


def cmd_participant_forget(args: argparse.Namespace) -> int:
    """Erase one participant's texts and profile from a session (a tombstone keeps the counts)."""
    from .privacy import forget_participant

    done = forget_participant(_store(args), args.code, args.participant)
    print(f"{done.sessions[0]}: participant {args.participant} forgotten ({done.answers} texts erased)")
    _warn_if_not_compacted(done)
    return 0


def cmd_session_purge(args: argparse.Namespace) -> int:
    """Delete a session and everything of it."""
    from .privacy import purge_session

    done = purge_session(_store(args), args.code)
    print(f"{done.sessions[0]}: deleted ({done.participants} participants, {done.answers} answers)")
    _warn_if_not_compacted(done)
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    """Delete every session held (and created) more than --older-than days ago."""
    from .privacy import purge_older_than

    done = purge_older_than(_store(args), args.older_than, dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    print(f"{verb} {len(done.sessions)} sessions{': ' if done.sessions else ''}{' '.join(done.sessions)}")
    if done.sessions and not args.dry_run:
        _warn_if_not_compacted(done)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Seed the demo session (once) and print its code (and, with --json, its links)."""
    from .demo import seed_demo

    store = _store(args)
    session, key = seed_demo(store)
    if args.json or args.links:
        from .demo_puimala import puimala_links

        return _print_session(session, key, args, store, puimala_links(store, _links(session.code, key, args).base_url))
    print(session.code)
    return 0


def _port_in_use(ip: str, port: int) -> bool:
    """Whether another process listens on ``port`` of ``ip`` (bound as the server would bind it)."""
    import socket

    host = "" if ip in ("0.0.0.0", "::") else ip
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the workbooks with Voila, our template, kernel culling and the database."""
    from .content import load_content, templates_dir
    from .content_kept import load_plain_content
    from .roots import workbooks_dir
    from .store import SessionStore

    # Voila would move to another port on its own, while the QR code, the links and the pool
    # kernels (which ask the server for their request on this port) keep this one: say so instead
    if _port_in_use(args.ip, args.port):
        raise VertaisetInputError(f"port {args.port} on {args.ip} is in use (is another `vertaiset serve` running?): "
                                  "stop it, or choose another port with --port")
    _use_root(args)
    url = resolve_db_url(args.db_url)
    SessionStore(url).close()  # create or migrate the schema before any kernel starts
    load_content()  # a broken template stops here, with its file and field named
    load_plain_content()  # and the phones' pool kernels find the plain copy kept (no pydantic in any)
    env = dict(os.environ)
    env["VERTAISET_DB_URL"] = url
    public = args.public_url or f"http://{'127.0.0.1' if args.ip in ('0.0.0.0', '::') else args.ip}:{args.port}"
    env["VERTAISET_PUBLIC_URL"] = public
    paths = [str(templates_dir())] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    cmd = [
        sys.executable,
        "-m",
        "vertaiset_widgets.server",  # Voila with kernel caps, error pages and a CSP
        str(workbooks_dir()),
        "--no-browser",
        f"--port={args.port}",
        "--Voila.port_retries=0",  # this port or none (see above): links and pool kernels use it
        f"--Voila.ip={args.ip}",
        "--template=vertaiset",
        "--theme=light",
        # Voila never stops the kernel of a closed page: cull the idle ones. Open pages keep
        # their websocket, so cull_connected stays False and a page in use is never culled.
        f"--MappingKernelManager.cull_idle_timeout={args.cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={args.cull_interval}",
        "--MappingKernelManager.cull_connected=False",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--VertaisetVoila.max_kernels={args.max_kernels}",
        f"--VertaisetVoila.max_kernels_per_address={args.max_kernels_per_address}",
    ]
    if args.room or args.preheat:
        # Voila's pools, filled a few kernels at a time by the server (vertaiset_widgets.preheat)
        cmd += ["--preheat_kernel=True", "--pool_size=0", f"--VertaisetVoila.room={max(0, args.room)}",
                f"--VertaisetVoila.preheat={max(0, args.preheat)}"]
        env.pop("QUERY_STRING", None)  # a pool kernel waits until its request brings one
        if args.ip not in ("0.0.0.0", "::", "127.0.0.1", "localhost"):
            env["VOILA_APP_IP"] = args.ip  # where a pool kernel asks the server for its request
    print(f"Vertaiset: {public}/  (tietokanta / database: {url})", flush=True)
    os.execve(sys.executable, cmd, env)
    return 0  # pragma: no cover - execve does not return


def cmd_export(args: argparse.Namespace) -> int:
    """Write a session's answers as CSV, XLSX or JSON, or a network map as GraphML or Kumu JSON."""
    from .config import normalize_code
    from .export import activity_formats, export_activity, export_session

    store = _store(args)
    per_activity = activity_formats()
    out = args.out or f"vertaiset-{normalize_code(args.code)}.{per_activity.get(args.format, args.format)}"
    if args.format == "ics" and not args.activity:  # every calendar of the session in one file
        from .calendar import write_session_calendar

        print(write_session_calendar(store, args.code, out, args.lang))
    elif args.format in per_activity:
        print(export_activity(store, args.code, args.format, out, activity_id=args.activity, lang=args.lang))
    else:
        print(export_session(store, args.code, args.format, out))
    return 0


# ---------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    """The argument parser (its help texts are the command's documentation)."""
    parser = argparse.ArgumentParser(
        prog="vertaiset",
        description="Vertaiset workbooks: live workshops on network collaboration (verkostotyö).",
    )
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db-url", help="SQLAlchemy URL of the store (default: $VERTAISET_DB_URL or the SQLite file in $VERTAISET_HOME)")
    root = argparse.ArgumentParser(add_help=False)
    root.add_argument(
        "--root", metavar="DIR",
        help="a trainer's copy made by `vertaiset init DIR`: its workbooks/ and templates/ are used (default: "
        "$VERTAISET_ROOT, else the package's own). A folder without workbooks/ in it is the folder of notebooks itself",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    session = sub.add_parser(
        "session", help="create, close, open and purge sessions", description="Create, close, open and purge sessions."
    )
    session_sub = session.add_subparsers(dest="session_command", required=True, metavar="SUBCOMMAND")
    new = session_sub.add_parser(
        "new",
        parents=[db],
        help="create a session: join code, facilitator key, links and QR code",
        description="Create a session and print its join code, facilitator key (shown only now), "
        "the participant, facilitator and screen links, and a QR code (PNG and SVG files, and in the terminal).",
    )
    new.add_argument("--title", default="Verkostotyöpaja", help="the session's name, shown on every page and the report")
    new.add_argument("--network", help="the network this session belongs to (default: the title)")
    new.add_argument("--follows", metavar="CODE", help="the join code of the round this session continues: "
                     "it joins that round's network and starts from what the round promoted")
    new.add_argument("--date", help="the day of the session, YYYY-MM-DD (default: today)")
    new.add_argument("--lang", default="fi", choices=["fi", "sv", "en"], help="language of the links (default fi)")
    new.add_argument("--base-url", help="address of the server as phones see it (default: $VERTAISET_PUBLIC_URL or http://127.0.0.1:8866)")
    new.add_argument("--qr-dir", help="where to write the QR code PNG and SVG (default: $VERTAISET_HOME/qr)")
    new.add_argument("--agenda", help="the day's plan: a name from templates/agendas (e.g. yee) or a YAML file")
    new.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    new.set_defaults(func=cmd_session_new)
    for verb, text in (("close", "close a session: participants can no longer answer"), ("open", "open a closed session again")):
        sp = session_sub.add_parser(verb, parents=[db], help=text, description=text[0].upper() + text[1:] + ".")
        sp.add_argument("code", help="the session's join code")
        sp.set_defaults(func=cmd_session_state)
    purge_one = session_sub.add_parser(
        "purge",
        parents=[db],
        help="delete a session and everything of it",
        description="Delete the session and all its data for good: participants, answers, highlights, "
        "canvases, network maps, boards, moderation, plan and states (and its network, when no other session "
        "has it), then clean the database files. There is no undo.",
    )
    purge_one.add_argument("code", help="the session's join code")
    purge_one.set_defaults(func=cmd_session_purge)

    participant = sub.add_parser(
        "participant", help="erase a participant's data", description="Erase a participant's data (GDPR)."
    )
    participant_sub = participant.add_subparsers(dest="participant_command", required=True, metavar="SUBCOMMAND")
    forget = participant_sub.add_parser(
        "forget",
        parents=[db],
        help="erase one participant's texts, nickname, group and check-in",
        description="Erase everything one participant wrote in a session (highlights and their edits, check-in "
        "and canvas texts, network-map actors and ties) and their nickname and group, from the database and so "
        "from every export and report. Their numeric answers (ratings, choices, +1s) stay, without any text, so "
        "the counts stay right; the participant stays counted as a participant with no data. There is no undo.",
    )
    forget.add_argument("code", help="the session's join code")
    forget.add_argument(
        "participant",
        help="the participant's number: the 'participant' column of `vertaiset export`, also shown on the "
        "participant's own page under the privacy notice; or a nickname that only they have",
    )
    forget.set_defaults(func=cmd_participant_forget)

    purge = sub.add_parser(
        "purge",
        parents=[db],
        help="delete old sessions (the retention rule)",
        description="Delete every session held more than DAYS days ago (and created more than DAYS days ago), "
        "with all its data, then clean the database files. Meant to run daily from cron or a systemd timer.",
    )
    purge.add_argument("--older-than", type=_days, required=True, metavar="DAYS", help="keep sessions of the last DAYS days")
    purge.add_argument("--dry-run", action="store_true", help="only print which sessions would be deleted")
    purge.set_defaults(func=cmd_purge)

    serve = sub.add_parser(
        "serve",
        parents=[db, root],
        help="serve the workbooks with Voila",
        description="Serve the workbooks with Voila and the Vertaiset template, culling idle kernels.",
    )
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    serve.add_argument("--ip", default="127.0.0.1", help="address to listen on; 0.0.0.0 lets phones in the room connect (default 127.0.0.1)")
    serve.add_argument("--public-url", help="the address phones use, for links and QR codes (default http://IP:PORT)")
    serve.add_argument("--cull-idle-timeout", type=int, default=600, help="stop a closed page's kernel after this many idle seconds (default 600)")
    serve.add_argument("--cull-interval", type=int, default=60, help="how often to look for idle kernels, seconds (default 60)")
    serve.add_argument(
        "--room", type=int, default=0, metavar="N",
        help="phones the room holds: N plus a tenth participant pages are started in advance (their modules "
        "loaded, waiting for their phone), and past N phones refilled to keep a tenth ready; every console "
        "workbook keeps 2 ready (1 under 10 phones). Memory (measured USS): (N + max(2, N/10)) x 41 MiB "
        "for the phones, 6 workbooks x 2 x 165 MiB for the consoles' pools, about 210 MiB per open console or "
        "screen: about 6 GiB for 60 phones, 12 GiB for 200 (default 0: no pools, each page starts its "
        "kernel when asked)",
    )
    serve.add_argument("--preheat", type=int, default=0, metavar="N",
                       help="keep N kernels started in advance per console workbook (with --room), or per "
                       "notebook without --room (default 0: off, or the room's default)")
    serve.add_argument(
        "--max-kernels", type=int, default=0, metavar="N",
        help="pages (kernels, ~90 MiB each) the server runs at once; over it a page says 'the room is full, "
        "try again in a moment' (HTTP 503) instead of starting a kernel (default 0: available memory / 90 MiB, "
        "at most 250, lowered to what the open-files limit allows)",
    )
    serve.add_argument(
        "--max-kernels-per-address", type=int, default=DEFAULT_MAX_PER_ADDRESS, metavar="N",
        help=f"pages one client address may hold at once (default {DEFAULT_MAX_PER_ADDRESS}: one client cannot take "
        "the whole server, yet a room of phones behind one NAT address still gets in). Phones on a room's own wifi "
        "each have their address, but phones behind one NAT (a server on the internet) or every page behind a "
        "reverse proxy share one: for a bigger room raise it to the room's size, or 0 for no per-address cap",
    )
    serve.set_defaults(func=cmd_serve)


    export = sub.add_parser(
        "export",
        parents=[db],
        help="export a session's answers",
        description="Write every answer of the session (superseded ones marked counts=false) as CSV, XLSX or JSON.",
    )
    export.add_argument("code", help="the session's join code")
    from .export import EXPORT_FORMATS, activity_formats

    per_activity = sorted(activity_formats())
    export.add_argument(
        "--format", choices=[*EXPORT_FORMATS, *per_activity], default="csv",
        help=f"file format (default csv); {', '.join(per_activity)} write one activity (a network map for Gephi, Kumu); "
        "ics without --activity writes every calendar of the session (the year clock, the day's plan)",
    )
    export.add_argument("--activity", help=f"the activity to export as {', '.join(per_activity)} (default: the first that can be)")
    export.add_argument("--lang", default="fi", help=f"language of the labels ({', '.join(per_activity)})")
    export.add_argument("--out", help="file to write (default ./vertaiset-CODE.FORMAT)")
    export.set_defaults(func=cmd_export)

    demo = sub.add_parser(
        "demo",
        parents=[db],
        help="seed the demo session and print its code",
        description="Seed a realistic demo session (the YEE training day, 25 participants, a 360 assessment) "
        "once, give it a fresh facilitator key, and print its code.",
    )
    demo.add_argument("--json", action="store_true", help="print code, key and links as one JSON object")
    demo.add_argument("--links", action="store_true", help="print the links and QR code as text")
    demo.add_argument("--base-url", help="address of the server as phones see it")
    demo.add_argument("--qr-dir", help="where to write the QR code files")
    demo.set_defaults(func=cmd_demo)

    from .cli_bank import add_bank_parsers
    from .cli_network import add_network_parsers
    from .cli_report import add_report_parser
    from .cli_templates import add_template_parsers

    add_network_parsers(sub, db)
    add_bank_parsers(sub, db)
    add_report_parser(sub, db, root)
    add_template_parsers(sub, root)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; problems are printed as one line, never as a traceback."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except VertaisetError as exc:
        print(f"vertaiset: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"vertaiset: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
