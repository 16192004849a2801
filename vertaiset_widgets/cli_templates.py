"""The trainers' commands of ``vertaiset``: ``check`` the templates, ``init`` a copy to adapt,
and write the templates' ``schema``."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .cli import _use_root

__all__ = ["add_template_parsers"]


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every template file; print what is wrong, naming file, activity and field."""
    from .content import load_content, templates_dir

    _use_root(args)
    content = load_content(args.templates)
    for activity_id, source in content.sources.items():
        print(f"ok  {activity_id:<28} {source}")
    from .content import load_agenda

    root = Path(args.templates) if args.templates else None
    agendas = sorted(((root or templates_dir()) / "agendas").glob("*.yaml"))
    for path in agendas:
        load_agenda(str(path), content)
        print(f"ok  agenda {path.stem:<21} {path}")
    print(f"{len(content.activities)} activities, {len(content.strings)} UI strings, languages: {', '.join(content.languages)}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """Copy the workbooks and templates into a folder for a trainer to adapt, and say what next."""
    from .roots import copy_root, next_steps

    copy_root(args.dir, force=args.force)
    print(next_steps(args.dir))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Write the JSON Schema of the activity files (to --out, else to standard output)."""
    from .content import activity_file_schema

    text = json.dumps(activity_file_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(args.out)
    else:
        sys.stdout.write(text)
    return 0


def add_template_parsers(sub: argparse._SubParsersAction, root: argparse.ArgumentParser) -> None:
    """Add ``check``, ``init`` and ``schema`` to the command's subparsers."""
    check = sub.add_parser(
        "check",
        parents=[root],
        help="validate the templates",
        description="Validate every template file; a problem is reported with its file, activity and field.",
    )
    check.add_argument("--templates", help="the templates folder (default: $VERTAISET_TEMPLATES, else the root's templates/)")
    check.set_defaults(func=cmd_check)

    init = sub.add_parser(
        "init",
        help="copy the workbooks and templates into a folder to adapt",
        description="Copy the workbooks (workbooks/) and the templates (templates/) into DIR for a trainer to "
        "adapt, then use them with `vertaiset serve --root DIR` (or VERTAISET_ROOT=DIR). Refuses a folder that "
        "is not empty unless --force is given.",
    )
    init.add_argument("dir", metavar="DIR", help="the folder to make (or an empty one)")
    init.add_argument("--force", action="store_true", help="copy into a folder that is not empty, overwriting files of the same name")
    init.set_defaults(func=cmd_init)

    schema = sub.add_parser(
        "schema",
        help="write the JSON Schema of the activity files",
        description="Write the JSON Schema of an activity file (templates/activities/*.yaml), generated from "
        "the activity kinds' models. Editors with the YAML language server check each file against it: the "
        "shipped files name templates/activities.schema.json on their first line.",
    )
    schema.add_argument("--out", metavar="FILE", help="the file to write (default: standard output)")
    schema.set_defaults(func=cmd_schema)
