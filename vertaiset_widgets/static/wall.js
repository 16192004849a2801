// The highlights wall (nostot). Participants' words are only ever set as text.
// Modes: "participant" (+1 others'), "mine" (edit / withdraw one's own),
// "facilitator" (hide, pin, merge), "screen" (read-only, large).

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

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

let counter = 0;

export default {
  render({ model, el }) {
    el.classList.add("vt-widget", "vt-wall-widget");
    const heading = h("h3", { class: "vt-wall-title" });
    const list = h("ul", { class: "vt-wall" });
    const empty = h("p", { class: "vt-hint" });
    const status = h("p", { class: "vt-status", role: "status", "aria-live": "polite" });
    el.append(heading, empty, list, status);

    const send = (content) => model.send(content);

    function editor(item, li) {
      const texts = model.get("texts");
      counter += 1;
      const id = `vt-edit-${counter}`;
      const form = h("form", { class: "vt-wall-edit" });
      const area = h("textarea", { id, rows: 3, maxlength: model.get("max_length") });
      area.value = item.text;
      form.append(h("label", { for: id, text: texts.edit_label }), area);
      if (model.get("tags").length) {
        const sid = `${id}-tag`;
        form.append(h("label", { for: sid, text: texts.tag_label }), tagSelect(model, item.tag, sid));
      }
      const save = h("button", { type: "submit", class: "vt-submit", text: texts.save });
      const cancel = button(texts.cancel, () => render());
      form.append(h("div", { class: "vt-wall-actions" }, save, cancel));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const select = form.querySelector("select");
        send({ type: "edit", item: item.id, text: area.value, tag: select ? select.value : "" });
      });
      li.replaceChildren(form);
      area.focus();
    }

    function render() {
      const mode = model.get("mode");
      const texts = model.get("texts");
      const items = model.get("items");
      heading.textContent = texts.title || "";
      heading.hidden = !texts.title;
      empty.textContent = items.length ? "" : texts.empty || "";
      empty.hidden = items.length > 0;
      list.dataset.mode = mode;
      list.replaceChildren();
      const disabled = model.get("disabled");
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
            counter += 1;
            const sid = `vt-merge-${counter}`;
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
      }
    }

    const showStatus = () => {
      status.textContent = model.get("status") || "";
      status.dataset.kind = model.get("status_kind") || "";
    };
    for (const name of ["items", "mode", "texts", "disabled", "votes_shown", "tags"]) model.on(`change:${name}`, render);
    model.on("change:status", showStatus);
    model.on("change:status_kind", showStatus);
    render();
    showStatus();
  },
};
