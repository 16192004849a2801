"""Small HTML pieces every kind draws with: escaping, one accessible table, a chart as an image.

Light (no pandas, no altair): the participant's page uses it too. Participants' words
only ever reach a page through :func:`esc` or :func:`table`, which escape every cell
unless the caller marks a cell it built itself as :class:`Safe`.
"""
from __future__ import annotations

import base64
import html
from typing import Iterable, Sequence

__all__ = ["Safe", "esc", "svg_img", "table"]

esc = html.escape


class Safe(str):
    """HTML built by the program from escaped parts: :func:`table` puts it in as it is."""


def _cell(value: object) -> str:
    return value if isinstance(value, Safe) else esc(str(value))


def table(caption: str, head: Sequence[object], rows: Iterable[Sequence[object]], *,
          first_is_header: bool = True, css: str = "vt-table") -> str:
    """An accessible table: a caption, column headers, and the first cell of a row as its header.

    Every cell and header is escaped unless it is :class:`Safe`.
    """
    th = "".join(f"<th scope='col'>{_cell(h)}</th>" for h in head)
    body = []
    for row in rows:
        first, rest = row[0], row[1:]
        cells = [f"<th scope='row'>{_cell(first)}</th>" if first_is_header else f"<td>{_cell(first)}</td>"]
        cells += [f"<td>{_cell(c)}</td>" for c in rest]
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f"<table class='{esc(css, quote=True)}'><caption>{esc(caption)}</caption>"
        f"<thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def svg_img(svg: str, alt: str, css: str = "vt-chart") -> str:
    """An SVG as an <img>: a chart can never run script, and it gets a text alternative."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f"<img class='{esc(css, quote=True)}' alt='{esc(alt, quote=True)}' src='data:image/svg+xml;base64,{data}'>"
