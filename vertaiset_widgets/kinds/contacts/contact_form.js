// The contact form: the shared labelled fields (renderFields, read in front of this file) and
// a consent box under them. The consent's text is shown above the box and describes it; what
// the box holds travels with the submit as value.consent ("yes" or ""), so an unticked box is
// refused by Python with the reason in the form's status line.

function renderContact({ model, el }) {
  const cleanup = renderFields({ model, el });
  const form = el.querySelector("form.vt-form");
  const texts = model.get("texts") || {};
  const id = uid("vt-consent");
  const row = h("div", { class: "vt-field vt-consent" });
  const text = h("p", { id: `${id}-text`, class: "vt-help vt-consent-text", text: texts.consent_text || "" });
  const box = h("input", { id, name: "consent", type: "checkbox", "aria-describedby": `${id}-text` });
  row.append(text, h("div", { class: "vt-consent-box" }, box, h("label", { for: id, text: texts.consent || "" })));
  form.insertBefore(row, form.querySelector(".vt-submit"));
  const follow = () => {
    const value = model.get("value") || {};
    if (document.activeElement !== box) box.checked = value.consent === "yes";
  };
  follow();
  model.on("change:value", follow);
  model.on("change:cleared", () => { box.checked = false; });
  const setDisabled = () => { box.disabled = Boolean(model.get("disabled")); };
  setDisabled();
  model.on("change:disabled", setDisabled);
  if (!model.__vtConsent) {
    // the shared fields send what their inputs hold: the box's state goes with every submit
    const send = model.send.bind(model);
    model.send = (msg, ...rest) => send(
      msg && msg.type === "submit" && msg.value ? { ...msg, value: { ...msg.value, consent: model.__vtConsent() } } : msg,
      ...rest,
    );
  }
  model.__vtConsent = () => (box.checked ? "yes" : "");
  return cleanup;
}

export default {
  render({ model, el }) {
    el.classList.add("vt-widget");
    return renderContact({ model, el });
  },
};
