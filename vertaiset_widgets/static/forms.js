// Native, labelled form controls for the participant's page: screen readers name every
// control, the keyboard works as in any web form, and participants' words are only ever
// set as text (never as HTML).

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

let counter = 0;
function uid(prefix) {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

function statusLine(model) {
  const status = h("p", { class: "vt-status", role: "status", "aria-live": "polite" });
  const update = () => {
    status.textContent = model.get("status") || "";
    status.dataset.kind = model.get("status_kind") || "";
  };
  model.on("change:status", update);
  model.on("change:status_kind", update);
  update();
  return status;
}

function renderFields({ model, el }) {
  const texts = model.get("texts");
  const form = h("form", { class: "vt-form", novalidate: true });
  if (texts.title) form.append(h("h3", { class: "vt-form-title", text: texts.title }));
  if (texts.help) form.append(h("p", { class: "vt-help", text: texts.help }));
  const inputs = {};
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
    input.value = (model.get("value") || {})[field.name] || "";
    row.append(input);
    if (field.hint) row.append(h("p", { id: `${id}-hint`, class: "vt-hint", text: field.hint }));
    inputs[field.name] = input;
    form.append(row);
  }
  const button = h("button", { type: "submit", class: "vt-submit", text: texts.submit });
  form.append(button);
  form.append(statusLine(model));
  model.on("change:value", () => {
    const value = model.get("value") || {};
    for (const [name, input] of Object.entries(inputs)) {
      if (document.activeElement !== input) input.value = value[name] || "";
    }
  });
  model.on("change:cleared", () => {
    // a posted text is emptied so the next one can be written (the tag stays)
    for (const input of Object.values(inputs)) if (input.tagName !== "SELECT") input.value = "";
  });
  const setDisabled = () => {
    const disabled = model.get("disabled");
    button.disabled = disabled;
    for (const input of Object.values(inputs)) input.disabled = disabled;
  };
  model.on("change:disabled", setDisabled);
  setDisabled();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = {};
    for (const [name, input] of Object.entries(inputs)) value[name] = input.value;
    model.send({ type: "submit", value });
  });
  el.append(form);
}

function renderRating({ model, el }) {
  const texts = model.get("texts");
  const form = h("form", { class: "vt-form vt-rating", novalidate: true });
  if (texts.title) form.append(h("h3", { class: "vt-form-title", text: texts.title }));
  if (texts.prompt) form.append(h("p", { class: "vt-help", text: texts.prompt }));
  if (texts.scale) form.append(h("p", { class: "vt-hint", text: texts.scale }));
  const points = model.get("points");
  const layers = model.get("layers");
  const radios = {};
  const base = uid("vt-rate");
  model.get("items").forEach((item, i) => {
    const fieldset = h("fieldset", { class: "vt-item" });
    const legend = h("legend", { text: item.label });
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
          model.set("value", value);
          model.save_changes();
        });
        radios[key].push(input);
        row.append(h("label", { for: id, class: "vt-point" }, input, h("span", { text: String(p) })));
      }
      group.append(row);
      fieldset.append(group);
    }
    form.append(fieldset);
  });
  const button = h("button", { type: "submit", class: "vt-submit", text: texts.submit });
  form.append(button);
  form.append(statusLine(model));
  const sync = () => {
    const value = model.get("value") || {};
    for (const [key, inputs] of Object.entries(radios)) {
      for (const input of inputs) input.checked = String(value[key]) === input.value;
    }
  };
  const setDisabled = () => {
    const disabled = model.get("disabled");
    button.disabled = disabled;
    for (const inputs of Object.values(radios)) for (const input of inputs) input.disabled = disabled;
  };
  model.on("change:value", sync);
  model.on("change:disabled", setDisabled);
  sync();
  setDisabled();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    model.send({ type: "submit", value: model.get("value") || {} });
  });
  el.append(form);
}

export default {
  render({ model, el }) {
    el.classList.add("vt-widget");
    if (model.get("form") === "rating") renderRating({ model, el });
    else renderFields({ model, el });
  },
};
