// Saving, as the participant sees it: read in front of forms.js (one ES module). Below
// the saver, the end every answer form shares (finishForm) and the close that keeps a draft.
//
// Every submit carries a submission id (sid) and says "saving…" until the kernel
// acknowledges that sid, which it does only after the store has committed the write.
// With no acknowledgement in SAVE_TIMEOUT_MS, or when the page has lost its kernel
// (connection.js), the form says it was not saved and keeps what was typed; a late
// acknowledgement still turns it into "saved". Unsent text is kept in localStorage
// (drafts, keyed by the form's draft_key and the field) until its save is acknowledged,
// so a reloaded page, or a new kernel, gets it back.

const SAVE_TIMEOUT_MS = 6000;
// sid -> what was sent ({ key, values }), so an acknowledgement clears the matching drafts
const sentDrafts = new Map();

// The words of the page's language, given by the ConnectionGuard widget (connection.js).
function ui(name) {
  return (window.vertaisetUi && window.vertaisetUi[name]) || "";
}

function whenUi(fn) {
  if (window.vertaisetUi) fn();
  else window.addEventListener("vertaiset:ui", () => fn(), { once: true });
}

function guarded() {
  return Boolean(window.vertaisetUi && window.vertaisetUi.saving);
}

function newSid() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const drafts = {
  store() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  },
  name(key, field) {
    return `vertaiset:draft:${key}:${field}`;
  },
  read(key, field) {
    const store = key && this.store();
    try {
      return store ? store.getItem(this.name(key, field)) : null;
    } catch (e) {
      return null;
    }
  },
  write(key, field, value) {
    const store = key && this.store();
    try {
      if (store) store.setItem(this.name(key, field), value);
    } catch (e) { /* full or blocked: the text stays in the form */ }
  },
  drop(key, field) {
    const store = key && this.store();
    try {
      if (store) store.removeItem(this.name(key, field));
    } catch (e) { /* nothing kept */ }
  },
  // Drop the drafts that hold exactly what was sent (newer typing stays kept).
  settle(sent) {
    if (!sent || !sent.key) return;
    for (const [field, value] of Object.entries(sent.values)) {
      if (this.read(sent.key, field) === value) this.drop(sent.key, field);
    }
  },
};

// The status line: the kernel's status traits, and this browser's own saving state.
// The same words twice ("saved", "saved") are emptied first, so they are announced again.
function statusLine(model) {
  const el = document.createElement("p");
  el.className = "vt-status";
  el.setAttribute("role", "status");
  el.setAttribute("aria-live", "polite");
  let shownSeq = -1;
  let held = false;
  let timer = null;
  const line = {
    el,
    current: { text: "", kind: "" },
    show(text, kind) {
      line.current = { text: text || "", kind: kind || "" };
      el.textContent = "";
      el.dataset.kind = kind || "";
      window.clearTimeout(timer);
      timer = window.setTimeout(() => { el.textContent = text || ""; }, 50);
    },
    // while a submit waits for its acknowledgement, the kernel's older words do not replace "saving…"
    hold(on) {
      held = on;
    },
    // true when the kernel's words numbered seq are not shown yet
    seen(seq) {
      const fresh = seq > shownSeq;
      shownSeq = Math.max(shownSeq, seq);
      return fresh;
    },
    fromModel(force = false) {
      const seq = model.get("status_seq") || 0;
      if (!force && (held || seq <= shownSeq)) return;
      shownSeq = Math.max(shownSeq, seq);
      line.show(model.get("status") || "", model.get("status_kind") || "");
    },
  };
  const update = () => line.fromModel();
  model.on("change:status", update);
  model.on("change:status_kind", update);
  model.on("change:status_seq", update);
  line.fromModel();
  return line;
}

// Sends a form's actions and follows their acknowledgements.
// setBusy(on): the form's button while waiting; onSaved(sent): after a stored submit.
function saver(model, line, { setBusy = () => {}, onSaved = () => {} } = {}) {
  let pending = null; // { sid, json, timer, before }
  let failed = null; // { sid, json }: the same values sent again keep their id (the store keeps them once)

  function settle() {
    if (pending) window.clearTimeout(pending.timer);
    pending = null;
    line.hold(false);
    setBusy(false);
  }

  function fail(why) {
    if (!pending) return;
    failed = { sid: pending.sid, json: pending.json };
    settle();
    line.show(ui(why === "offline" ? "not_saved_offline" : "not_saved"), "error");
  }

  function send(content, { key = "", values = {} } = {}) {
    const json = JSON.stringify(content);
    const sid = failed && failed.json === json ? failed.sid : newSid();
    sentDrafts.set(sid, { key, values });
    if (!guarded()) {
      // a page without the guard (the facilitator's): acknowledgements still show, no timeout
      model.send({ ...content, sid });
      return;
    }
    if (pending) window.clearTimeout(pending.timer);
    pending = { sid, json, timer: null, before: pending ? pending.before : line.current };
    line.hold(true);
    line.show(ui("saving"), "pending");
    setBusy(true);
    let sent = true;
    try {
      model.send({ ...content, sid });
    } catch (e) {
      sent = false;
    }
    if (!sent || window.vertaisetConnectionLost) {
      fail("offline");
      return;
    }
    pending.timer = window.setTimeout(() => fail("timeout"), SAVE_TIMEOUT_MS);
  }

  function onMessage(msg) {
    if (!msg || msg.type !== "ack" || typeof msg.sid !== "string") return;
    const sent = sentDrafts.get(msg.sid);
    if (msg.kind === "ok") {
      drafts.settle(sent);
      if (sent) onSaved(sent);
    }
    if (pending && pending.sid !== msg.sid) return; // a newer submit waits: its words come with its own ack
    if (failed && failed.sid === msg.sid) failed = null;
    const settles = pending !== null;
    const before = pending ? pending.before : null;
    settle();
    const fresh = line.seen(msg.seq || 0); // false: the status traits have already said it
    if (msg.kind === "failed") line.show(ui("not_saved"), "error");
    else if (msg.kind !== "none") {
      if (settles || fresh) line.show(msg.status || "", msg.kind || "");
    } else if (before) line.show(before.text, before.kind); // nothing was done: the words from before
  }

  const onConnection = (event) => {
    if (event.detail && event.detail.lost) fail("offline");
  };
  model.on("msg:custom", onMessage);
  window.addEventListener("vertaiset:connection", onConnection);
  return {
    send,
    get pending() {
      return pending !== null;
    },
    dispose() {
      if (pending) window.clearTimeout(pending.timer);
      window.removeEventListener("vertaiset:connection", onConnection);
    },
  };
}

// ---- what the answer forms share (forms.js): kept drafts, a close that keeps what was typed

// A closed task turns its form off without taking what was typed: words stay readable and
// can be copied (read-only, not disabled), choices stay in view.
function lock(input, off) {
  const typed = input.tagName === "TEXTAREA" || (input.tagName === "INPUT" && ["text", "number"].includes(input.type));
  if (typed) {
    input.disabled = false;
    input.readOnly = off;
    if (off) input.setAttribute("aria-readonly", "true");
    else input.removeAttribute("aria-readonly");
  } else input.disabled = off;
}

// What was typed and not sent when the task closed stays in view, marked "not sent", and is
// sent by itself when the task opens again (after a reload too: the mark is kept with the drafts).
function keepUnsent({ model, form, key, unsent, resend }) {
  const note = h("p", { class: "vt-unsent", role: "status", "aria-live": "polite", hidden: true });
  form.append(note);
  let closedWithText = drafts.read(key(), "_closed") === "1";
  return {
    follow() {
      if (model.get("disabled")) {
        if (!unsent()) return;
        closedWithText = true;
        drafts.write(key(), "_closed", "1");
        note.hidden = false;
        whenUi(() => { note.textContent = ui("not_sent_closed"); });
        return;
      }
      note.hidden = true;
      note.textContent = "";
      if (!closedWithText) return;
      closedWithText = false;
      drafts.drop(key(), "_closed");
      if (unsent()) resend();
    },
    sent() {
      closedWithText = false;
      drafts.drop(key(), "_closed");
    },
  };
}

// draft key -> what a form that puts each choice into its model (a rating) last had saved: a new
// view of the form (the page moved it) still knows what is not sent. This page only: after a
// reload the kernel's value is what was saved.
const savedValues = new Map();

// A form's value as one comparable string (keys sorted, numbers as numbers).
function norm(value) {
  return JSON.stringify(Object.keys(value || {}).sort().map((k) => [k, Number(value[k])]));
}

// The end every answer form shares: the submit button and status line, inputs that follow
// the model's value and "disabled", and a submit that sends what the form holds (the
// button rests while the submit waits for its acknowledgement). What is chosen and not sent
// is kept as a draft (a reload or a new view of the form gets it back) and survives a close.
// apply(value) puts a kept value into the inputs; check() says why the form cannot be sent.
// local: the form puts each choice into the model at once (a rating), so what was last saved
// is kept beside the drafts rather than read from the model.
function finishForm({ model, el, form, texts, inputs, sync, read, apply, check = () => "", local = false }) {
  const button = h("button", { type: "submit", class: "vt-submit", text: texts.submit });
  const line = statusLine(model);
  form.append(button, line.el);
  const key = () => model.get("draft_key") || "";
  let baseline = (local && savedValues.get(key())) || norm(model.get("value"));
  const settled = (value) => {
    baseline = value;
    if (local && key()) savedValues.set(key(), value);
  };
  if (local && !savedValues.has(key())) settled(baseline);
  const unsent = () => {
    const value = read();
    return Object.keys(value).length > 0 && norm(value) !== baseline;
  };
  const keep = () => {
    if (unsent()) drafts.write(key(), "_value", norm(read()));
    else drafts.drop(key(), "_value");
  };
  let busy = false;
  const closing = keepUnsent({ model, form, key, unsent, resend: () => submit() });
  const setDisabled = () => {
    const disabled = model.get("disabled");
    button.disabled = disabled || busy;
    for (const input of inputs()) lock(input, disabled);
  };
  const sending = saver(model, line, {
    setBusy: (on) => { busy = on; setDisabled(); },
    onSaved: (sent) => {
      if (sent.values && typeof sent.values._value === "string") settled(sent.values._value);
      closing.sent();
    },
  });
  let told = false;
  function restore() {
    const draft = drafts.read(key(), "_value");
    if (draft === null) return;
    if (draft === norm(read()) && draft !== baseline) return; // in view already (a rating's model holds it)
    if (draft === baseline) {
      drafts.drop(key(), "_value");
      return;
    }
    let value;
    try {
      value = Object.fromEntries(JSON.parse(draft));
    } catch (e) {
      return;
    }
    apply(value);
    if (!told) {
      told = true;
      whenUi(() => line.show(ui("draft_restored"), "draft"));
    }
  }
  model.on("change:value", () => {
    // the form's own change (a rating's click) and the kernel's echo of it are not the kernel's words
    if (model.vtLocal || (model.vtLastLocal && norm(model.get("value")) === model.vtLastLocal)) return;
    const typing = unsent();
    settled(norm(model.get("value")));
    if (!typing) sync();
  });
  model.on("change:disabled", () => { setDisabled(); closing.follow(); });
  model.on("change:draft_key", () => { restore(); closing.follow(); });
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  sync();
  restore();
  setDisabled();
  function submit() {
    const problem = check();
    if (problem) {
      line.show(problem, "error");
      return;
    }
    const value = read();
    sending.send({ type: "submit", value }, { key: key(), values: { _value: norm(value) } });
  }
  return mountForm(el, form, submit, closing, sending);
}


// The last steps of every form: submit on Enter or the button, show it, follow the task's
// closing; the returned function is the view's clean-up.
function mountForm(el, form, submit, closing, sending) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  el.append(form);
  closing.follow();
  return () => sending.dispose();
}
