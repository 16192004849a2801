"""``vertaiset bank export|import|list``: the active practice bank's files and a quick look at it."""
from __future__ import annotations

import argparse
import json

__all__ = ["add_bank_parsers"]


def cmd_bank_export(args: argparse.Namespace) -> int:
    """Write the bank as CSV, JSON (every version), Innokylä-shaped JSON or XLSX."""
    from .bank_io import export_bank
    from .cli import _store

    out = args.out or f"vertaiset-bank.{'json' if args.format == 'innokyla' else args.format}"
    print(export_bank(_store(args), args.format, out, lang=args.lang))
    return 0


def cmd_bank_import(args: argparse.Namespace) -> int:
    """Import a bank export (JSON) or an Innokylä-shaped list; print what was added."""
    from .bank_io import _tr, import_bank
    from .cli import _store

    practices, versions = import_bank(_store(args), args.file, lang=args.lang)
    print(_tr(args.lang)("bank_import_done", practices=practices, versions=versions))
    return 0


def cmd_bank_list(args: argparse.Namespace) -> int:
    """Print the practices now (their latest versions), or those a search finds."""
    from .cli import _store

    found = _store(args).practices(query=args.query or "", limit=args.limit)
    if args.json:
        print(json.dumps([
            {"uid": p.uid, "version": p.version, "name": p.name, "maturity": p.maturity, "network": p.network,
             "sector": p.sector, "area": p.area, "changed": p.created_at.isoformat()} for p in found
        ], ensure_ascii=False))
        return 0
    if not found:
        print("Ei käytäntöjä / No practices")
    for p in found:
        where = " · ".join(v for v in (p.network, p.sector, p.area) if v)
        print(f"{p.uid}  v{p.version}  [{p.maturity}]  {p.name}" + (f"  ({where})" if where else ""))
    return 0


def add_bank_parsers(sub: argparse._SubParsersAction, db: argparse.ArgumentParser) -> None:
    """Add ``bank export``, ``bank import`` and ``bank list`` to the command's subparsers."""
    from .bank_io import BANK_FORMATS

    bank = sub.add_parser(
        "bank", help="export, import and list the active practice bank",
        description="The active practice bank (aktiivinen käytäntöpankki): practices with their versions, kept "
        "across networks and sessions.",
    )
    bank_sub = bank.add_subparsers(dest="bank_command", required=True, metavar="SUBCOMMAND")
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument("--lang", default="fi", choices=["fi", "sv", "en"], help="language of messages and headers (default fi)")
    export = bank_sub.add_parser(
        "export", parents=[db, lang], help="write the bank to a file",
        description="Write the bank: csv (one row per practice, plain UTF-8), json (every version: an import gives "
        "the same bank), innokyla (JSON with Innokylä-shaped fields, the latest versions) or xlsx. Prints the path.",
    )
    export.add_argument("--format", choices=BANK_FORMATS, default="json", help="file format (default json)")
    export.add_argument("--out", help="file to write (default ./vertaiset-bank.FORMAT)")
    export.set_defaults(func=cmd_bank_export)
    imp = bank_sub.add_parser(
        "import", parents=[db, lang], help="import a bank export or an Innokylä-shaped list",
        description="Import a json export of a bank (every version the bank lacks is added) or an Innokylä-shaped "
        "JSON list (each practice as a new version). Every practice is checked first: a malformed file is refused "
        "with the practice, version and field named, and nothing is written. Importing twice changes nothing.",
    )
    imp.add_argument("file", help="the JSON file")
    imp.set_defaults(func=cmd_bank_import)
    listing = bank_sub.add_parser(
        "list", parents=[db], help="the practices, or those a search finds",
        description="Print the practices (their latest versions) by name, or by relevance with --query (any "
        "inflected form: verkosto finds verkostoissa).",
    )
    listing.add_argument("--query", help="words to search for")
    listing.add_argument("--limit", type=int, default=200, help="at most this many (default 200)")
    listing.add_argument("--json", action="store_true", help="print one JSON list")
    listing.set_defaults(func=cmd_bank_list)
