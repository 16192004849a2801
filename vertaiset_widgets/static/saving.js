// Saving, as the participant sees it: read in front of forms.js (one ES module).
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
