// Native, labelled form controls for the participant's page:
// screen readers name every control, the keyboard works as in any web form, and
// participants' words are only ever set as text (never as HTML). The DOM kit (h, uid) is
// dom.js and saving (the status line, acknowledgements, drafts) saving.js, read in front of this file;
// the wall's view (renderWall) is in wall.js, read in after it.

function renderFields({ model, el }) {
  const texts = model.get("texts");
  const form = h("form", { class: "vt-form", novalidate: true });
  if (texts.title) form.append(h("h2", { class: "vt-form-title", text: texts.title, hidden: Boolean(texts.title_hidden) }));
  if (texts.help) form.append(h("p", { class: "vt-help", text: texts.help }));
  const box = h("div", { class: "vt-fields" });
  form.append(box);
  let inputs = {};
  // a field the participant has typed in keeps their words when someone else's save arrives
  const dirty = new Set();
  const key = () => model.get("draft_key") || "";
  const line = statusLine(model);
  let busy = false;
  let told = false;
  // unsent words kept in this browser (a reload, a new kernel) come back into their fields
  function restoreDrafts() {
    const value = model.get("value") || {};
    let restored = false;
    for (const [name, input] of Object.entries(inputs)) {
      const draft = drafts.read(key(), name);
      if (draft === null) continue;
      if (draft === (value[name] || "") && !dirty.has(name)) {
        drafts.drop(key(), name); // what is kept is what was saved
        continue;
      }
      if (input.tagName === "SELECT" && ![...input.options].some((o) => o.value === draft)) continue;
      if (input.value !== draft) {
        input.value = draft;
        restored = true;
      }
      dirty.add(name);
    }
    if (restored && !told) {
      told = true;
      whenUi(() => line.show(ui("draft_restored"), "draft"));
    }
  }
  function build() {
    const old = {};
    for (const [name, input] of Object.entries(inputs)) old[name] = input.value;
    const value = model.get("value") || {};
    inputs = {};
    box.replaceChildren();
    for (const field of model.get("fields")) {
      const id = uid(`vt-${field.name}`);
      const row = h("div", { class: "vt-field" });
      row.append(h("label", { for: id, text: field.label }));
      const common = { id, name: field.name, "aria-describedby": field.hint ? `${id}-hint` : null };
      let input;
      if (field.type === "select") {
        input = h("select", common);
        for (const option of field.options || []) input.append(h("option", { value: option.value, text: option.label }));
      } else if (field.type === "textarea") {
        input = h("textarea", { ...common, rows: field.rows || 3, maxlength: field.maxlength || 280 });
      } else if (field.type === "date") {
        // the phone's own date picker (a year clock's events)
        input = h("input", { ...common, type: "date", min: field.min || null, max: field.max || null });
      } else {
        input = h("input", {
          ...common,
          type: "text",
          maxlength: field.maxlength || 60,
          autocomplete: field.autocomplete || "off",
          autocapitalize: field.autocapitalize || null,
          inputmode: field.inputmode || null,
        });
      }
      const kept = dirty.has(field.name) && field.name in old;
      input.value = kept ? old[field.name] : value[field.name] || "";
      if (field.type === "select" && input.value === "" && input.options.length && !(field.name in value) && !kept) {
        input.selectedIndex = 0;
      }
      const keep = () => {
        dirty.add(field.name);
        drafts.write(key(), field.name, input.value);
      };
      input.addEventListener("input", keep);
      input.addEventListener("change", keep);
      // the hint sits between its label and its box, so it is read (and seen) before typing
      if (field.hint) row.append(h("p", { id: `${id}-hint`, class: "vt-hint", text: field.hint }));
      row.append(input);
      inputs[field.name] = input;
      box.append(row);
    }
    restoreDrafts();
    setDisabled();
  }
  const button = h("button", { type: "submit", class: "vt-submit", text: texts.submit });
  form.append(button);
  form.append(line.el);
  // typed and not sent: a field the participant changed that differs from what the kernel holds
  const unsent = () => {
    const value = model.get("value") || {};
    return Object.entries(inputs).some(([name, input]) => dirty.has(name) && input.tagName !== "SELECT" && input.value.trim() !== "" && input.value !== (value[name] || ""));
  };
  const closing = keepUnsent({ model, form, key, unsent, resend: () => submit() });
  const sending = saver(model, line, {
    setBusy: (on) => { busy = on; setDisabled(); },
    // saved: a field still holding what was sent follows the model again
    onSaved: (sent) => {
      for (const [name, text] of Object.entries(sent.values)) if (inputs[name] && inputs[name].value === text) dirty.delete(name);
      closing.sent();
    },
  });
  model.on("change:value", () => {
    const value = model.get("value") || {};
    for (const [name, input] of Object.entries(inputs)) {
      if (document.activeElement !== input && !dirty.has(name)) input.value = value[name] || "";
    }
  });
  model.on("change:cleared", () => {
    // a posted text is emptied so the next one can be written (choices stay)
    for (const [name, input] of Object.entries(inputs)) {
      if (input.tagName !== "SELECT") {
        input.value = "";
        drafts.drop(key(), name);
      }
    }
    dirty.clear();
  });
  model.on("change:fields", build);
  model.on("change:draft_key", () => { restoreDrafts(); closing.follow(); });
  function setDisabled() {
    const disabled = model.get("disabled");
    button.disabled = disabled || busy;
    for (const input of Object.values(inputs)) lock(input, disabled);
  }
  model.on("change:disabled", () => { setDisabled(); closing.follow(); });
  build();
  function submit() {
    const value = {};
    for (const [name, input] of Object.entries(inputs)) value[name] = input.value;
    sending.send({ type: "submit", value }, { key: key(), values: value });
  }
  return mountForm(el, form, submit, closing, sending);
}

// Descriptions of the options, once, above the per-layer controls.
function optionGuide(options) {
  const described = options.filter((o) => o.hint);
  if (!described.length) return null;
  const dl = h("dl", { class: "vt-guide" });
  for (const o of described) dl.append(h("dt", { text: o.label }), h("dd", { text: o.hint }));
  return dl;
}

// Choice (single: radios, multi: checkboxes, dots: a number per option) and allocation
// (a number per option that must add up to the total), one fieldset per layer.
function renderChoice({ model, el }) {
  const texts = model.get("texts");
  const mode = model.get("mode");
  const options = model.get("options");
  const layers = model.get("layers").length ? model.get("layers") : [{ id: "", label: "" }];
  const budget = mode === "allocation" ? model.get("total") : mode === "dots" ? model.get("dots") : 0;
  const form = h("form", { class: "vt-form vt-choice", novalidate: true });
  if (texts.title) form.append(h("h2", { class: "vt-form-title", text: texts.title, hidden: Boolean(texts.title_hidden) }));
  if (texts.prompt) form.append(h("p", { class: "vt-help", text: texts.prompt }));
  const multiLayer = layers.length > 1;
  if (multiLayer) {
    const guide = optionGuide(options);
    if (guide) form.append(guide);
  }
  const controls = {};
  const sums = {};
  const base = uid("vt-choice");
  layers.forEach((layer, li) => {
    const group = h("fieldset", { class: "vt-item" });
    if (layer.label) group.append(h("legend", { text: layer.label }));
    else group.setAttribute("aria-label", texts.title || "");
    options.forEach((option, oi) => {
      const key = `${layer.id}|${option.id}`;
      const id = `${base}-${li}-${oi}`;
      const hint = !multiLayer && option.hint ? h("span", { class: "vt-hint", text: option.hint }) : null;
      let input;
      if (mode === "single" || mode === "multi") {
        input = h("input", {
          type: mode === "single" ? "radio" : "checkbox",
          id,
          name: `${base}-${li}${mode === "multi" ? "-" + oi : ""}`,
          value: option.id,
        });
        const label = h("label", { for: id, class: "vt-option" }, input,
          h("span", { class: "vt-option-text" }, h("span", { class: "vt-option-label", text: option.label }), hint));
        group.append(label);
      } else {
        input = h("input", {
          type: "number", id, name: id, min: 0, max: budget, step: 1, inputmode: "numeric",
          class: "vt-number", "aria-describedby": `${base}-${li}-sum`,
        });
        const row = h("div", { class: "vt-number-row" },
          h("label", { for: id }, h("span", { class: "vt-option-label", text: option.label }), hint), input);
        group.append(row);
      }
      input.addEventListener("input", () => { update(); });
      input.addEventListener("change", () => { update(); });
      controls[key] = input;
    });
    if (budget) {
      const sum = h("p", { id: `${base}-${li}-sum`, class: "vt-sum", "aria-live": "polite" });
      sums[layer.id] = sum;
      group.append(sum);
    }
    form.append(group);
  });
  function read() {
    const value = {};
    for (const [key, input] of Object.entries(controls)) {
      if (input.type === "number") {
        if (input.value !== "") value[key] = Number(input.value);
      } else if (input.checked) value[key] = 1;
    }
    return value;
  }
  function update() {
    const value = read();
    for (const layer of layers) {
      const sum = sums[layer.id];
      if (!sum) continue;
      const used = usedIn(value, layer);
      // never "-20 left": over the budget says how many too many
      const words = used > budget && texts.sum_over ? texts.sum_over : texts.sum || "{used}/{total}";
      sum.textContent = words.replace("{used}", used).replace("{total}", budget)
        .replace("{left}", Math.max(0, budget - used)).replace("{over}", used - budget);
      sum.dataset.over = used > budget ? "true" : "false";
    }
  }
  function usedIn(value, layer) {
    let used = 0;
    for (const o of options) used += Number(value[`${layer.id}|${o.id}`] || 0);
    return used;
  }
  // more than the budget is never sent: the kernel would refuse it anyway
  function check() {
    if (!budget) return "";
    const value = read();
    for (const layer of layers) {
      const used = usedIn(value, layer);
      if (used > budget) {
        return (texts.over || "").replace("{layer}", layer.label || texts.title || "").replace("{used}", used)
          .replace("{total}", budget).replace("{over}", used - budget).replace("{dots}", budget);
      }
    }
    return "";
  }
  function apply(value) {
    for (const [key, input] of Object.entries(controls)) {
      if (input.type === "number") input.value = key in value ? String(value[key]) : "";
      else input.checked = Number(value[key] || 0) > 0;
    }
    update();
  }
  const sync = () => apply(model.get("value") || {});
  return finishForm({ model, el, form, texts, inputs: () => Object.values(controls), sync, read, apply, check });
}

function renderRating({ model, el }) {
  const texts = model.get("texts");
  const form = h("form", { class: "vt-form vt-rating", novalidate: true });
  if (texts.title) form.append(h("h2", { class: "vt-form-title", text: texts.title, hidden: Boolean(texts.title_hidden) }));
  if (texts.prompt) form.append(h("p", { class: "vt-help", text: texts.prompt }));
  if (texts.scale) form.append(h("p", { class: "vt-hint", text: texts.scale }));
  const points = model.get("points");
  const layers = model.get("layers");
  const radios = {};
  const base = uid("vt-rate");
  let lastGroup = "";
  model.get("items").forEach((item, i) => {
    if (item.group && item.group !== lastGroup) {
      form.append(h("h3", { class: "vt-group-title", text: item.group }));
      lastGroup = item.group;
    }
    const fieldset = h("fieldset", { class: "vt-item" });
    // the column (e.g. "Luottamus") is read out with the item: several columns repeat an item's words
    const legend = h("legend", {}, item.group ? h("span", { class: "vt-visually-hidden", text: `${item.group}: ` }) : null, item.label);
    fieldset.append(legend);
    if (item.hint) fieldset.append(h("p", { class: "vt-hint", text: item.hint }));
    const groups = layers.length ? layers : [{ id: "", label: "" }];
    for (const layer of groups) {
      const key = `${layer.id}|${item.id}`;
      const group = h("fieldset", { class: "vt-layer" });
      if (layer.label) group.append(h("legend", { text: layer.label }));
      else group.setAttribute("aria-label", item.label);
      const row = h("div", { class: "vt-points" });
      radios[key] = [];
      for (const p of points) {
        const id = `${base}-${i}-${layer.id}-${p}`;
        const input = h("input", { type: "radio", id, name: `${base}-${i}-${layer.id}`, value: p });
        input.addEventListener("change", () => {
          const value = { ...(model.get("value") || {}) };
          value[key] = p;
          setLocal(value);
        });
        radios[key].push(input);
        row.append(h("label", { for: id, class: "vt-point" }, input, h("span", { text: String(p) })));
      }
      group.append(row);
      if (texts.left || texts.right) {
        const pid = `${base}-${i}-${layer.id}-poles`;
        group.append(h("p", { id: pid, class: "vt-poles" }, h("span", { text: `← ${texts.left || ""}` }), h("span", { text: `${texts.right || ""} →` })));
        group.setAttribute("aria-describedby", pid);
      }
      fieldset.append(group);
    }
    form.append(fieldset);
  });
  // the choice goes to the kernel's model at once (a new view of the form shows it), as the form's own change
  function setLocal(value) {
    model.vtLocal = true;
    model.vtLastLocal = norm(value);
    try {
      model.set("value", value);
      model.save_changes();
    } finally {
      model.vtLocal = false;
    }
  }
  const sync = () => {
    const value = model.get("value") || {};
    for (const [key, inputs] of Object.entries(radios)) {
      for (const input of inputs) input.checked = String(value[key]) === input.value;
    }
  };
  return finishForm({
    model, el, form, texts, sync,
    inputs: () => Object.values(radios).flat(),
    read: () => model.get("value") || {},
    apply: (value) => { setLocal(value); sync(); },
    local: true,
  });
}

export default {
  render({ model, el }) {
    el.classList.add("vt-widget");
    const form = model.get("form");
    // each returns its clean-up, run when the view is removed
    if (form === "rating") return renderRating({ model, el });
    if (form === "wall") return renderWall({ model, el });
    if (form === "choice") return renderChoice({ model, el });
    return renderFields({ model, el });
  },
};
