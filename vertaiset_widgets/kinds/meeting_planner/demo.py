"""The meeting planner's examples for the contract test, and the sample day for demos.

``EXAMPLE`` is a minimal valid template entry and ``BROKEN`` a ``(field, value)`` that makes it
invalid. Participants answer nothing (they read the plan as the facilitator keeps it), so
:func:`answer` is None; the planner's tools (:class:`~.tools.PlannerTools`) write the plan.
:func:`seed_plan` stores the source's own training day, 9.00–16.00 (YEE, 16.11.2022), as blocks.
"""
from __future__ import annotations

from typing import Any

from ...store.agenda import AgendaBlock

__all__ = ["BROKEN", "EXAMPLE", "SAMPLE_DAY", "answer", "seed_plan"]

_MODES = [
    {"id": "opettaminen", "label": {"fi": "Opettaminen", "sv": "Undervisning", "en": "Teaching"}},
    {"id": "fasilitointi", "label": {"fi": "Fasilitointi", "sv": "Facilitering", "en": "Facilitating"}},
    {"id": "emannointi", "label": {"fi": "Emännöinti", "sv": "Värdskap", "en": "Hosting"}},
]

EXAMPLE: dict[str, Any] = {
    "id": "esimerkki_ohjelma",
    "kind": "meeting_planner",
    "title": {"fi": "Esimerkkiohjelma", "sv": "Exempelprogram", "en": "Example programme"},
    "prompt": {"fi": "Päivän ohjelma lohkoittain.", "sv": "Dagens program i block.", "en": "The day's programme in blocks."},
    "modes": _MODES,
}

#: No learning modes: a block needs at least one to choose from.
BROKEN = ("modes", [])

#: The source's training day (CONTENT.md, "Sample workshop day"): title in fi/sv/en, minutes,
#: learning mode, break, and the workbook and activity of ``templates/agendas/yee.yaml`` where it has one.
SAMPLE_DAY: list[tuple[dict[str, str], int, str | None, bool, str | None, str | None]] = [
    ({"fi": "Avaus ja orientaatio", "sv": "Öppning och orientering", "en": "Opening and orientation"},
     15, "fasilitointi", False, "01_tilannekuva.ipynb", "kuulumiset"),
    ({"fi": "Mitä verkostotyö on ja mitä se ei ole", "sv": "Vad nätverksarbete är och inte är",
      "en": "What network work is and is not"}, 25, "opettaminen", False, "01_tilannekuva.ipynb", "hierarkia_markkina_verkosto"),
    ({"fi": "Millaisia verkostoja on olemassa", "sv": "Vilka slags nätverk det finns", "en": "What networks exist"},
     25, "fasilitointi", False, "01_tilannekuva.ipynb", "verkostotyyppi"),
    ({"fi": "Verkostokartta", "sv": "Nätverkskarta", "en": "Network map"},
     45, "fasilitointi", False, "01_tilannekuva.ipynb", "verkostokartta"),
    ({"fi": "Pienryhmäkeskustelu: verkostomme nyt", "sv": "Diskussion i smågrupper: våra nätverk nu",
      "en": "Small-group discussion: our networks now"}, 40, "emannointi", False, "01_tilannekuva.ipynb", "verkostot_nyt"),
    ({"fi": "Lounas", "sv": "Lunch", "en": "Lunch"}, 60, None, True, None, None),
    ({"fi": "Onnistuneen verkostoyhteistyön avaintekijät: tunteminen, luottamus, sitoutuminen",
      "sv": "Nyckelfaktorer i lyckat nätverkssamarbete: kännedom, tillit, engagemang",
      "en": "Key elements of successful network collaboration: knowing, trust, commitment"},
     40, "opettaminen", False, "01_tilannekuva.ipynb", "tunteminen_luottamus_sitoutuminen"),
    ({"fi": "Verkostojen vahvistaminen", "sv": "Att stärka nätverken", "en": "Strengthening the networks"},
     50, "fasilitointi", False, "01_tilannekuva.ipynb", "verkostojen_vahvistaminen"),
    ({"fi": "Tauko", "sv": "Paus", "en": "Break"}, 15, None, True, None, None),
    ({"fi": "Strategiset vaiheet ja toimintatavat", "sv": "Strategiska faser och arbetssätt",
      "en": "Strategic phases and ways of working"}, 25, "opettaminen", False, "02_tavoitteet.ipynb", "tavoitekanvaasi"),
    ({"fi": "Toimintatavoista sopiminen", "sv": "Att komma överens om arbetssätten", "en": "Agreeing on ways of working"},
     25, "fasilitointi", False, "02_tavoitteet.ipynb", "toimintatavat"),
    ({"fi": "360-asteen tarkastelu", "sv": "360-graders granskning", "en": "The 360-degree review"},
     25, "fasilitointi", False, "04_arviointi.ipynb", "arviointi_360"),
    ({"fi": "Unelmiemme verkosto", "sv": "Våra drömmars nätverk", "en": "The network of our dreams"},
     15, "emannointi", False, "04_arviointi.ipynb", "unelmaverkosto"),
    ({"fi": "Palaute ja orientaatio jatkoon", "sv": "Respons och orientering inför fortsättningen",
      "en": "Feedback and orientation to what comes next"}, 15, "fasilitointi", False, None, None),
]


def answer(form: Any) -> None:
    """Nothing: participants only read the plan."""
    return None


def seed_plan(store: Any, session: Any, content: Any = None, *, day_start: str = "9.00") -> list[AgendaBlock]:
    """Store the sample day (9.00–16.00) as ``session``'s plan, its titles in the session's
    language; activities missing from ``content`` are left out of their blocks."""
    known = content.activities if content is not None else None
    lang = session.lang if session.lang in ("fi", "sv", "en") else "fi"
    blocks = [
        AgendaBlock(position=i, minutes=minutes, title=title[lang], mode=mode, is_break=is_break,
                    workbook=workbook if known is None or activity in known else None,
                    activity_id=activity if known is None or activity in known else None)
        for i, (title, minutes, mode, is_break, workbook, activity) in enumerate(SAMPLE_DAY)
    ]
    return store.set_agenda_blocks(session.id, blocks, day_start=day_start)
