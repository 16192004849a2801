"""A phone's page reads the templates' plain copy (``vertaiset_widgets.plain``): in a fresh process,
as a phone's kernel is, it shows and stores an answer to every kind without importing pydantic."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from vertaiset_widgets import kinds
from vertaiset_widgets.content import load_content
from vertaiset_widgets.plain import Plain, as_plain, plain_item, to_plain
from vertaiset_widgets.store import SessionStore

# A phone's kernel: open the page, join, give a profile, answer each open activity with its kind's
# demo answer through the widgets' comm path, and tell what was stored and what was imported.
PHONE = r"""
import json, sys
sys.path.insert(0, sys.argv[3])
from comm_path import browser_sends as sends, submittable_forms
from vertaiset_widgets import kinds
from vertaiset_widgets.config import PageParams
from vertaiset_widgets.participant import ParticipantPage

def forms(widgets):
    return submittable_forms(widgets, enabled_only=True)

page = ParticipantPage(PageParams(session=sys.argv[1], db_url=sys.argv[2]))
page.join_as("token-plain-phone")
sends(page.profile_form, {"type": "submit", "value": {"nickname": "Puhelin", "group": "Ryhmä A"}})
page.refresh()
out = {}
for activity in page.content.activities.values():
    shown = page.shown(activity.id)
    if not shown:
        continue
    kind = kinds.for_activity(activity)
    found = forms(shown)
    demo = kind.demo_module()
    message = demo.answer(found[0] if found else None) if demo else None
    status = ""
    if message is not None and found:
        sends(found[0], message)
        status = found[0].status_kind
    out[activity.id] = {"kind": kind.name, "forms": len(found), "sent": message is not None, "status": status}
print(json.dumps({"pydantic": sorted(m for m in sys.modules if m.split(".")[0] in ("pydantic", "pydantic_core"))[:5],
                  "yaml": "yaml" in sys.modules, "activities": out}))
"""


def test_a_phone_answers_every_kind_without_pydantic(tmp_path):
    """The server keeps the plain copy before any kernel starts (as ``vertaiset serve`` does); a
    phone's kernel then shows one activity of every kind with a panel, stores its answers, and never
    imports pydantic or PyYAML."""
    content = load_content()
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = SessionStore(url)
    session, _key = store.create_session("Kevyt puhelin", network="Kevyt")
    opened = {}
    for kind in kinds.all_kinds():
        activity = next((a for a in content.activities.values() if a.kind == kind.name), None)
        if activity is not None and kind.panel:
            store.set_activity_state(session.id, activity.id, is_open=True)
            opened[activity.id] = kind.name
    env = {**os.environ, "VERTAISET_CACHE": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-c", "from vertaiset_widgets.content_kept import load_plain_content as l; l()"],
                   check=True, env=env, timeout=120)
    proc = subprocess.run([sys.executable, "-c", PHONE, session.code, url, str(Path(__file__).parent)],
                          capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["pydantic"] == [] and not seen["yaml"]
    shown = seen["activities"]
    assert set(shown) == set(opened), "every open activity shows on the phone"
    answered = {aid for aid, s in shown.items() if s["sent"]}
    assert len(answered) >= 10, shown
    assert all(shown[aid]["status"] == "ok" for aid in answered), shown
    stored = {a.activity_id for a in store.answers(session.id)}
    # kinds that keep their rows elsewhere (a map's actors, a clock's events) store no answers
    assert stored & answered and stored <= answered, (stored, answered)
    store.close()


def test_a_plain_copy_has_the_fields_and_methods_of_the_checked_records():
    """Every activity's plain copy equals the record field by field, pickles to itself, is frozen,
    and answers the methods panels call (texts, points, layers)."""
    import pickle

    content = load_content()
    plain = as_plain(content)
    assert as_plain(content) is plain and as_plain(plain) is plain
    assert pickle.loads(pickle.dumps(plain)) == plain
    for aid, record in content.activities.items():
        copy = plain.activity(aid)
        assert isinstance(copy, Plain) and type(copy).__name__ == type(record).__name__
        for name in type(record).model_fields:
            assert to_plain(getattr(record, name)) == getattr(copy, name), (aid, name)
        assert copy.layers_are_names == record.layers_are_names
        for name in ("layer_ids", "agreed_status", "not_started_status", "order"):
            if hasattr(record, name):
                assert getattr(copy, name) == getattr(record, name), (aid, name)
        if hasattr(record, "scale"):
            assert copy.scale.points == record.scale.points and copy.scale.point("3") == record.scale.point("3")
        for item in getattr(record, "items", []):
            assert plain.activity(aid).items[[i.id for i in record.items].index(item.id)].short_text("sv") == item.short_text("sv")
    assert plain.lang("xx") == content.lang("xx") == "fi"
    try:
        plain.activity(next(iter(plain.activities))).id = "x"
    except TypeError:
        pass
    else:
        raise AssertionError("a plain record is frozen")
    carried = plain_item(id="siirretty_1", label={"fi": "Askel"})
    assert carried.text("fi") == carried.short_text("fi") == "Askel" and carried.hint is None
