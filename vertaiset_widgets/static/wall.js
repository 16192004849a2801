// The highlights wall: read in after forms.js (one ES module, see forms.py's _forms_esm).
// Its modes: "participant" (+1 others'), "mine" (edit / withdraw one's own), "facilitator"
// (hide, pin, merge), "screen" (read-only, large). Participants' words are set as text only.
// An edit of one's own highlight is kept as a draft; when the task closes while it is being
// written, its editor stays in view read-only, marked "not sent", and the edit is sent when
// the task opens again (as the answer forms do, saving.js's keepUnsent).

function button(label, onClick, extra = {}) {
  const b = h("button", { type: "button", class: "vt-wall-button", ...extra, text: label });
  b.addEventListener("click", onClick);
  return b;
}

function tagSelect(model, current, id) {
  const texts = model.get("texts");
  const select = h("select", { id });
  select.append(h("option", { value: "", text: texts.no_tag || "–" }));
  for (const tag of model.get("tags")) {
    const option = h("option", { value: tag.id, text: tag.label });
    if (tag.id === current) option.selected = true;
    select.append(option);
  }
  return select;
}

function renderWall({ model, el }) {
  el.classList.add("vt-widget", "vt-wall-widget");
  const heading = h("h3", { class: "vt-wall-title" });
  const list = h("ul", { class: "vt-wall" });
  const empty = h("p", { class: "vt-hint" });
  const line = statusLine(model);
  el.append(heading, empty, list, line.el);

  // an edit being written is kept as a draft, and its editor opens again after a reload
  const key = () => model.get("draft_key") || "";
  const editName = (item) => `edit-${item.id}`;
  // the task closed while an edit was unsent: sent by itself when it opens again (a reload too)
  let closedWithText = drafts.read(key(), "_closed") === "1";
  const sending = saver(model, line, {
    onSaved: () => {
      closedWithText = false;
      drafts.drop(key(), "_closed");
    },
  });
  const send = (content, draft) => sending.send(content, draft);

  // The editor of one's own highlight; while the task is closed it stays in view read-only
  // (copyable), its buttons off, marked "not sent". Returns its submit.
  function editor(item, li, text = null) {
    const texts = model.get("texts");
    const off = Boolean(model.get("disabled"));
    const id = uid("vt-edit");
    const form = h("form", { class: "vt-wall-edit" });
    const area = h("textarea", { id, rows: 3, maxlength: model.get("max_length") });
    area.value = text === null ? item.text : text;
    area.addEventListener("input", () => drafts.write(key(), editName(item), area.value));
    lock(area, off);
    form.append(h("label", { for: id, text: texts.edit_label }), area);
    let select = null;
    if (model.get("tags").length) {
      const sid = `${id}-tag`;
      select = tagSelect(model, item.tag, sid);
      select.disabled = off;
      form.append(h("label", { for: sid, text: texts.tag_label }), select);
    }
    const save = h("button", { type: "submit", class: "vt-submit", text: texts.save, disabled: off });
    const cancel = button(texts.cancel, () => {
      drafts.drop(key(), editName(item));
      render();
    }, { disabled: off });
    form.append(h("div", { class: "vt-wall-actions" }, save, cancel));
    if (off) {
      const note = h("p", { class: "vt-unsent", role: "status", "aria-live": "polite" });
      whenUi(() => { note.textContent = ui("not_sent_closed"); });
      form.append(note);
    }
    const submit = () => send({ type: "edit", item: item.id, text: area.value, tag: select ? select.value : "" },
      { key: key(), values: { [editName(item)]: area.value } });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit();
    });
    li.replaceChildren(form);
    if (text === null) area.focus();
    return submit;
  }

  function render() {
    const mode = model.get("mode");
    const texts = model.get("texts");
    // the items come in the order posted, their +1s apart: pinned first, then by +1s, then oldest first
    const votes = model.get("votes") || {};
    const voted = new Set(model.get("voted") || []);
    const items = JSON.parse(model.get("items") || "[]") // one JSON text (forms.py, _wall_wire)
      .map((item, n) => ({ ...item, votes: votes[item.id] || 0, voted: voted.has(item.id), n }))
      .sort((a, b) => (b.pinned - a.pinned) || (b.votes - a.votes) || (a.n - b.n));
    heading.textContent = texts.title || "";
    heading.hidden = !texts.title;
    empty.textContent = items.length ? "" : texts.empty || "";
    empty.hidden = items.length > 0;
    list.dataset.mode = mode;
    list.replaceChildren();
    const disabled = model.get("disabled");
    const unsent = []; // the submits of the edits kept as drafts
    for (const item of items) {
      const li = h("li", {
        class: "vt-wall-item" + (item.pinned ? " vt-pinned" : "") + (item.hidden ? " vt-hidden-item" : ""),
        "data-item": item.id,
      });
      const body = h("div", { class: "vt-wall-body" });
      body.append(h("p", { class: "vt-wall-text", text: item.text }));
      const meta = h("p", { class: "vt-wall-meta" });
      if (item.pinned) meta.append(h("span", { class: "vt-badge vt-badge-pin", text: texts.pinned }));
      if (item.tag_label) meta.append(h("span", { class: "vt-badge", text: item.tag_label }));
      if (item.author) meta.append(h("span", { class: "vt-wall-author", text: item.author }));
      if (item.hidden) meta.append(h("span", { class: "vt-badge vt-badge-hidden", text: texts.hidden }));
      if (item.merged_count) meta.append(h("span", { class: "vt-wall-merged", text: `${texts.merged} ${item.merged_count}` }));
      if (model.get("votes_shown")) {
        meta.append(h("span", { class: "vt-wall-votes", "aria-label": `${texts.votes}: ${item.votes}`, text: `+${item.votes}` }));
      }
      body.append(meta);
      li.append(body);
      const actions = h("div", { class: "vt-wall-actions" });
      if (mode === "participant" && !item.mine && model.get("votes_shown")) {
        actions.append(
          button(item.voted ? texts.unvote : texts.vote, () => send({ type: "vote", item: item.id, on: !item.voted }), {
            "aria-pressed": item.voted ? "true" : "false",
            "aria-label": `${item.voted ? texts.unvote : texts.vote}: ${item.text}`,
            disabled,
          })
        );
      } else if (mode === "mine") {
        actions.append(
          button(texts.edit, () => editor(item, li), { "aria-label": `${texts.edit}: ${item.text}`, disabled }),
          button(texts.withdraw, () => send({ type: "withdraw", item: item.id }), {
            "aria-label": `${texts.withdraw}: ${item.text}`,
            disabled,
          })
        );
      } else if (mode === "facilitator") {
        const act = (action, target) => send({ type: "moderate", item: item.id, action, target });
        actions.append(
          button(item.hidden ? texts.show : texts.hide, () => act(item.hidden ? "show" : "hide"), {
            "aria-label": `${item.hidden ? texts.show : texts.hide}: ${item.text}`,
          }),
          button(item.pinned ? texts.unpin : texts.pin, () => act(item.pinned ? "unpin" : "pin"), {
            "aria-label": `${item.pinned ? texts.unpin : texts.pin}: ${item.text}`,
          })
        );
        const others = items.filter((o) => o.id !== item.id && !o.hidden);
        if (others.length) {
          const sid = uid("vt-merge");
          const select = h("select", { id: sid });
          for (const o of others) select.append(h("option", { value: o.id, text: o.text.slice(0, 60) }));
          actions.append(
            h("label", { for: sid, class: "vt-visually-hidden", text: `${texts.merge_into}: ${item.text}` }),
            select,
            button(texts.merge, () => act("merge", select.value), { "aria-label": `${texts.merge}: ${item.text}` })
          );
        }
      }
      if (actions.childNodes.length) li.append(actions);
      list.append(li);
      if (mode === "mine") {
        const draft = drafts.read(key(), editName(item));
        if (draft !== null && draft === item.text) drafts.drop(key(), editName(item));
        else if (draft !== null) unsent.push(editor(item, li, draft));
      }
    }
    if (mode !== "mine" || !unsent.length) return;
    if (disabled) {
      closedWithText = true;
      drafts.write(key(), "_closed", "1");
    } else if (closedWithText) {
      closedWithText = false;
      drafts.drop(key(), "_closed");
      for (const submit of unsent) submit();
    }
  }

  for (const name of ["items", "votes", "voted", "mode", "texts", "disabled", "votes_shown", "tags"]) {
    model.on(`change:${name}`, render);
  }
  render();
  return () => sending.dispose();
}
