"""The practice bank as HTML: a practice's description, its maturity and history, its 360 profile
as an accessible bar list, and the pieces the console, the screen, the report and the phones share.

Light (no pandas, no altair): the phone's page draws with it. Every word from the bank (a
practice's fields, who changed it, a link's title) goes through :func:`esc`; a link's address is
kept only when it is http(s).
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

from .html_blocks import esc, table

__all__ = [
    "MATURITY_STEPS", "bank_style", "badge_html", "dimension_labels", "maturity_label", "moves_html", "practice_html",
    "profile_bars_html", "profile_source_text", "result_html", "safe_url", "versions_html", "when_text",
]

#: the ladder's steps, lowest first (the store's ``MATURITY``)
MATURITY_STEPS = ("kiinnostava", "lupaava", "hyva", "kestava")

#: the bank's looks: the page and the report put this block in once
_STYLE = """
.vt-bk-badge{display:inline-block;padding:.1em .55em;border-radius:1em;font-size:.85em;font-weight:700;
 border:2px solid #1d4e89;color:#1d4e89;background:#fff;white-space:nowrap}
.vt-bk-badge[data-vt-maturity="lupaava"]{border-color:#00695c;color:#00695c}
.vt-bk-badge[data-vt-maturity="hyva"]{border-color:#6a3d9a;color:#6a3d9a}
.vt-bk-badge[data-vt-maturity="kestava"]{border-color:#1b1b1b;color:#fff;background:#1b1b1b}
.vt-bk-result{margin:.2rem 0 .6rem}
.vt-bk-result p{margin:.15rem 0}
.vt-bk-meta{color:#4a4a4a;font-size:.92em}
.vt-bk-practice h2,.vt-bk-practice h3{margin:.8rem 0 .3rem}
.vt-bk-practice dl{display:grid;grid-template-columns:fit-content(40%) minmax(0,1fr);gap:.2rem 1rem;margin:.3rem 0}
.vt-bk-practice dt{font-weight:700;overflow-wrap:normal;word-break:normal;hyphens:auto}
.vt-bk-practice dd{margin:0}
.vt-bk-text{white-space:pre-wrap;overflow-wrap:anywhere}
.vt-bk-bars{list-style:none;padding:0;margin:.3rem 0}
.vt-bk-bars li{margin:.25rem 0}
.vt-bk-bar{display:block;height:.7rem;background:#e6e6e6;border-radius:.35rem;overflow:hidden}
.vt-bk-bar span{display:block;height:100%;background:#1d4e89}
.vt-bk-compare{display:flex;flex-wrap:wrap;gap:1rem}
.vt-bk-compare figure{margin:0;flex:1 1 260px;max-width:420px}
.vt-bk-screen{padding:0 var(--vt-p-pad,1rem);overflow:hidden}
.vt-bk-screen-grid{display:flex;gap:2rem;align-items:flex-start}
.vt-bk-screen-grid > div{flex:1 1 50%;min-width:0}
.vt-bk-screen h1{font-size:1.9em;margin:.3em 0 .2em;line-height:1.15}
.vt-bk-screen p{margin:.3em 0}
.vt-bk-screen img.vt-chart{max-height:62vh;width:auto}
.vt-bk-list{border:1px solid #c4c4c4;border-radius:.4rem;padding:.4rem .6rem}
.vt-bk-open.widget-button,.vt-bk-open.jupyter-button{justify-content:flex-start;text-align:left;height:auto;min-height:2.4rem;
 white-space:normal;max-width:100%}
.vt-bk-phone{max-width:100%;overflow-wrap:anywhere}
.vt-bk-phone .widget-button{max-width:100%;height:auto;min-height:2.6rem;white-space:normal;text-align:left}
"""


def bank_style() -> str:
    """The bank's stylesheet as a ``<style>`` element."""
    return f"<style>{_STYLE}</style>"


def maturity_label(tr: Any, maturity: str) -> str:
    """The step's name in the page's language (an unknown step as it is)."""
    return tr(f"bk_maturity_{maturity}") if maturity in MATURITY_STEPS else maturity


def badge_html(tr: Any, maturity: str) -> str:
    """The maturity step as a badge."""
    return (f"<span class='vt-bk-badge' data-vt-maturity='{esc(maturity, quote=True)}'>"
            f"{esc(maturity_label(tr, maturity))}</span>")


def dimension_labels(tr: Any, content: Any) -> list[tuple[str, str]]:
    """The 360's dimensions ``(id, short label)`` in the page's language."""
    for activity in content.activities.values():
        if getattr(activity, "kind", "") == "profile_reading":
            return [(i.id, tr.label(i, short=True)) for i in activity.items]
    return []


def when_text(value: Any) -> str:
    """A date or time as the pages write it (``16.11.2022``; a time with ``klo`` hours and minutes)."""
    if value is None or value == "":
        return ""
    if hasattr(value, "hour"):
        return value.strftime("%-d.%-m.%Y %H.%M")
    if hasattr(value, "strftime"):
        return value.strftime("%-d.%-m.%Y")
    text = str(value)
    parts = text[:10].split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{int(parts[2])}.{int(parts[1])}.{parts[0]}"
    return text


def safe_url(url: Any) -> str | None:
    """``url`` when it is an http(s) address, else None (a link never runs script)."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) and " " not in text else None


def result_html(tr: Any, practice: Any, *, summary_chars: int = 180) -> str:
    """One search result: the badge, the network and a short summary (the name is the button beside it)."""
    summary = str(practice.fields.get("summary") or "")
    if len(summary) > summary_chars:
        summary = summary[: summary_chars - 1].rstrip() + "…"
    meta = " · ".join(esc(str(v)) for v in (practice.network, practice.sector, practice.area) if v)
    return (f"<div class='vt-bk-result' data-vt-practice='{esc(practice.uid, quote=True)}'>"
            f"<p>{badge_html(tr, practice.maturity)} <span class='vt-bk-meta'>{meta}</span></p>"
            f"<p class='vt-bk-text'>{esc(summary)}</p></div>")


def profile_source_text(tr: Any, source: Any) -> str:
    """Where a profile comes from, in words (session, activity, layer, date, respondents)."""
    if not isinstance(source, dict) or not source:
        return ""
    return tr("bk_profile_source", session=source.get("session", ""), activity=source.get("activity", ""),
              layer=source.get("layer", ""), date=when_text(source.get("date")), n=source.get("n", ""))


def profile_bars_html(tr: Any, profile: dict | None, dims: Sequence[tuple[str, str]], *, scale_max: float = 5) -> str:
    """The 360 profile as a list of labelled bars with their values (readable without a chart)."""
    if not profile:
        return f"<p class='vt-muted'>{esc(tr('bk_no_profile'))}</p>"
    known = dict(dims)
    order = [d for d, _ in dims if d in profile] + [d for d in profile if d not in known]
    rows = []
    for dim in order:
        try:
            value = float(profile[dim])
        except (TypeError, ValueError):
            continue
        width = max(0.0, min(100.0, 100 * value / scale_max))
        label = known.get(dim, dim)
        rows.append(f"<li><span>{esc(label)}: <strong>{value:.1f}</strong> / {scale_max:g}</span>"
                    f"<span class='vt-bk-bar' aria-hidden='true'><span style='width:{width:.0f}%'></span></span></li>")
    return f"<ul class='vt-bk-bars' aria-label='{esc(tr('bk_profile_title'), quote=True)}'>{''.join(rows)}</ul>"


def _text_block(title: str, text: Any) -> str:
    text = str(text or "").strip()
    if not text:
        return ""
    return f"<h3>{esc(title)}</h3><p class='vt-bk-text'>{esc(text)}</p>"


def moves_html(tr: Any, moves: Iterable[tuple[Any, Any, Any, Any]], *, compact: bool = False) -> str:
    """The maturity's moves: when, from → to, by whom (``compact``: a list, for a phone's width)."""
    rows = [(when_text(when), f"{maturity_label(tr, old) if old else '–'} → {maturity_label(tr, new)}", by or "–")
            for when, old, new, by in moves]
    if not rows:
        return ""
    if compact:
        items = "".join(f"<li>{esc(when)}: {esc(move)} ({esc(by)})</li>" for when, move, by in rows)
        return f"<h4>{esc(tr('bk_moves_title'))}</h4><ul>{items}</ul>"
    return table(tr("bk_moves_title"), [tr("bk_when"), tr("bk_move"), tr("bk_by")], rows)


def versions_html(tr: Any, versions: Sequence[Any]) -> str:
    """The version history, newest first: version, date, who, note."""
    rows = [(str(v.version), when_text(v.created_at), v.changed_by or "–", v.note or "")
            for v in reversed(list(versions))]
    return table(tr("bk_versions_title"), [tr("bk_version"), tr("bk_when"), tr("bk_by"), tr("bk_note")], rows)


def _links_html(tr: Any, links: Any) -> str:
    items = []
    for link in links or []:
        if not isinstance(link, dict):
            continue
        title = str(link.get("title") or link.get("url") or "")
        kind = tr("bk_link_kind_community") if link.get("kind") == "community" else tr("bk_link_kind_bank")
        url = safe_url(link.get("url"))
        shown = (f"<a href='{esc(url, quote=True)}' target='_blank' rel='noopener noreferrer'>{esc(title)}</a>"
                 if url else esc(title))
        items.append(f"<li>{shown} <span class='vt-bk-meta'>({esc(kind)})</span></li>")
    return f"<h3>{esc(tr('bk_links_title'))}</h3><ul>{''.join(items)}</ul>" if items else ""


def _stories_html(tr: Any, stories: Any) -> str:
    parts = []
    for story in stories or []:
        if isinstance(story, dict):
            parts.append(f"<h4>{esc(str(story.get('title') or ''))}</h4><p class='vt-bk-text'>{esc(str(story.get('text') or ''))}</p>")
    return f"<h3>{esc(tr('bk_stories_title'))}</h3>{''.join(parts)}" if parts else ""


def _validation_html(tr: Any, validation: Any) -> str:
    if not isinstance(validation, dict) or not validation.get("by"):
        return f"<p><strong>{esc(tr('bk_validation_title'))}:</strong> {esc(tr('bk_not_validated'))}</p>"
    words = tr("bk_validated", by=validation.get("by", ""), at=when_text(validation.get("at")))
    note = f" – {esc(str(validation['note']))}" if validation.get("note") else ""
    return f"<p><strong>{esc(tr('bk_validation_title'))}:</strong> {esc(words)}{note}</p>"


def practice_html(tr: Any, practice: Any, *, profile_html: str = "", moves: Sequence[Any] = (),
                  heading: str = "h2", version_note: str = "", compact: bool = False) -> str:
    """Every field of a practice (Innokylä's shape), its maturity and moves, its profile (drawn by
    the caller: a radar, or :func:`profile_bars_html` on a phone), stories, validation and links."""
    f = practice.fields
    basics = f.get("perustiedot") or {}
    rows = [(tr(f"bk_field_{k}"), basics.get(k)) for k in ("toteuttaja", "yhteyshenkilo", "kohderyhma", "kesto", "alkamisvuosi")]
    rows += [(tr("bk_field_network"), practice.network), (tr("bk_field_sector"), practice.sector),
             (tr("bk_field_area"), practice.area), (tr("bk_field_keywords"), ", ".join(map(str, f.get("keywords") or [])))]
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(str(v))}</dd>" for k, v in rows if v not in (None, ""))
    steps = "".join(f"<li>{esc(str(s))}</li>" for s in f.get("steps") or [])
    source = profile_source_text(tr, f.get("profile_source"))
    evidence = str(f.get("maturity_evidence") or "").strip()
    parts = [
        f"<{heading} class='vt-bk-name'>{esc(practice.name)}</{heading}>",
        f"<p class='vt-bk-muted-note'>{esc(version_note)}</p>" if version_note else "",
        f"<p>{badge_html(tr, practice.maturity)}</p>",
        _text_block(tr("bk_field_summary"), f.get("summary")),
        f"<h3>{esc(tr('bk_basics_title'))}</h3><dl>{dl}</dl>" if dl else "",
        _text_block(tr("bk_field_perusidea"), f.get("perusidea")),
        _text_block(tr("bk_field_toimintaymparisto"), f.get("toimintaymparisto")),
        _text_block(tr("bk_field_ehdot"), f.get("ehdot")),
        f"<h3>{esc(tr('bk_maturity_title'))}</h3><p>{badge_html(tr, practice.maturity)}</p>",
        f"<p class='vt-bk-text'>{esc(tr('bk_evidence'))}: {esc(evidence)}</p>" if evidence else "",
        moves_html(tr, moves, compact=compact),
        f"<h3>{esc(tr('bk_profile_title'))}</h3>{profile_html}",
        f"<p class='vt-bk-meta'>{esc(source)}</p>" if source else "",
        f"<h3>{esc(tr('bk_steps_title'))}</h3><ol>{steps}</ol>" if steps else "",
        _stories_html(tr, f.get("stories")),
        _validation_html(tr, f.get("validation")),
        _links_html(tr, f.get("links")),
    ]
    return f"<article class='vt-bk-practice' data-vt-practice='{esc(practice.uid, quote=True)}'>{''.join(parts)}</article>"
