"""The privacy notice (*tietosuojaseloste*) that the organisation fills in, as safe HTML.

The notice is ``templates/privacy/tietosuojaseloste.LANG.md``, edited by trainers. It is
shown on the participant's page, so it is never trusted as HTML: every character is
escaped, and only a small part of markdown is understood (``#`` headings, ``-`` lists,
paragraphs). ``<!-- … -->`` comments (the filling-in instructions) are left out, and
``[[placeholders]]`` the organisation has not yet filled in are shown marked.

Pure Python, no imports beyond the standard library: the participant's page uses it.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

__all__ = ["notice_html", "notice_path", "render_notice"]

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PLACEHOLDER = re.compile(r"\[\[(.+?)\]\]")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_ITEM = re.compile(r"^[-*]\s+(.*)$")


def notice_path(lang: str, templates: str | Path | None = None) -> Path | None:
    """The notice file in ``lang``, else the Finnish one; None when there is none."""
    if templates is None:
        from .roots import templates_dir

        templates = templates_dir()
    folder = Path(templates) / "privacy"
    for code in (lang, "fi"):
        path = folder / f"tietosuojaseloste.{code}.md"
        if path.is_file():
            return path
    return None


def _inline(text: str) -> str:
    # escape first: whatever the file holds, only our own tags reach the page
    return _PLACEHOLDER.sub(r"<mark class='vt-placeholder'>[[\1]]</mark>", html.escape(text, quote=True))


def render_notice(markdown: str) -> str:
    """The notice's text as HTML: headings, lists and paragraphs, everything else escaped."""
    text = _COMMENT.sub("", markdown.replace("\r\n", "\n"))
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        paragraph: list[str] = []
        items: list[str] = []

        def flush() -> None:
            if paragraph:
                out.append(f"<p>{_inline(' '.join(paragraph))}</p>")
                paragraph.clear()
            if items:
                out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
                items.clear()

        for line in lines:
            heading = _HEADING.match(line)
            item = _ITEM.match(line)
            if heading:
                flush()
                # the page's own title is an h1 and the notice sits in a fold: start at h3
                level = min(6, len(heading.group(1)) + 2)
                out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
            elif item:
                if paragraph:
                    flush()
                items.append(item.group(1))
            elif items:
                items[-1] += " " + line  # a list item's continuation line
            else:
                paragraph.append(line)
        flush()
    return "".join(out)


def notice_html(lang: str, title: str, templates: str | Path | None = None) -> str:
    """The notice folded under ``title`` (a native ``<details>``), or "" when the file is missing."""
    path = notice_path(lang, templates)
    if path is None:
        return ""
    body = render_notice(path.read_text(encoding="utf-8"))
    return (
        f"<details class='vt-privacy'><summary>{html.escape(title)}</summary>"
        f"<div class='vt-privacy-text'>{body}</div></details>"
    )
