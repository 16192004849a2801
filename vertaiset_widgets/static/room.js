// The room's pieces that live in the browser: the projector's keys, the console's folds and
// the height of the console's now bar.
//
// part "keys" (the projector): ← / → (and PageUp / PageDown, as a presenter's clicker sends)
//   ask the kernel for the previous or next activity; F toggles full screen. Never while
//   focus is in a text field, and never with Ctrl, Alt or Meta held.
// part "fold" (a catalogue entry on the console): a disclosure button with the activity's
//   title and its status badge; it opens when the page's address names its anchor
//   (#activity-<id>), and then tells the kernel to make the activity current.
// part "bar" (inside the now bar): keeps --vt-now-h on the page at the bar's height, so the
//   page below starts under it and an anchor is not hidden behind it.

function typing(target) {
  if (!target || !(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (target.getAttribute("type") || "text").toLowerCase();
  return !["button", "checkbox", "radio", "range", "submit", "reset", "color", "file", "image"].includes(type);
}

function keys(model, el) {
  el.classList.add("vt-room-keys");
  const hint = document.createElement("p");
  hint.className = "vt-sr-only";
  hint.textContent = model.get("hint");
  el.append(hint);
  const onKey = (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
    let by = 0;
    if (event.key === "ArrowRight" || event.key === "PageDown") by = 1;
    else if (event.key === "ArrowLeft" || event.key === "PageUp") by = -1;
    if (by) {
      event.preventDefault();
      model.send({ type: "step", by });
      return;
    }
    if (event.key === "f" || event.key === "F") {
      event.preventDefault();
      if (document.fullscreenElement) {
        document.exitFullscreen().catch(() => {});
      } else if (document.documentElement.requestFullscreen) {
        document.documentElement.requestFullscreen().catch(() => {});
      }
    }
  };
  document.addEventListener("keydown", onKey);
  return () => document.removeEventListener("keydown", onKey);
}

function fold(model, el) {
  el.classList.add("vt-fold");
  const heading = document.createElement("h2");
  heading.className = "vt-fold-heading";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "vt-fold-button";
  const title = document.createElement("span");
  title.className = "vt-fold-title";
  const badge = document.createElement("span");
  badge.className = "vt-badge";
  button.append(title, " ", badge);
  heading.append(button);
  el.append(heading);
  const draw = () => {
    el.id = model.get("anchor");
    button.setAttribute("aria-expanded", model.get("expanded") ? "true" : "false");
    if (model.get("controls")) button.setAttribute("aria-controls", model.get("controls"));
    title.textContent = model.get("title");
    badge.textContent = model.get("badge");
    badge.dataset.state = model.get("state");
  };
  const setOpen = (open) => {
    model.set("expanded", open);
    model.save_changes();
  };
  button.addEventListener("click", () => setOpen(!model.get("expanded")));
  const follow = () => {
    if (window.location.hash !== "#" + model.get("anchor")) return;
    setOpen(true);
    model.send({ type: "current" });
    // the body is drawn a moment later: scroll once it is there
    setTimeout(() => el.scrollIntoView({ block: "start" }), 150);
  };
  model.on("change:expanded", draw);
  model.on("change:title", draw);
  model.on("change:badge", draw);
  model.on("change:state", draw);
  draw();
  window.addEventListener("hashchange", follow);
  // a link from another workbook lands here with the anchor already in the address
  setTimeout(follow, 0);
  return () => window.removeEventListener("hashchange", follow);
}

function bar(model, el) {
  el.classList.add("vt-now-measure");
  const root = document.documentElement;
  const target = () => el.closest(".vt-now-bar");
  const measure = () => {
    const node = target();
    if (node) root.style.setProperty("--vt-now-h", `${Math.ceil(node.getBoundingClientRect().height)}px`);
  };
  let observer = null;
  const start = () => {
    const node = target();
    if (!node) {
      setTimeout(start, 100);
      return;
    }
    measure();
    observer = new ResizeObserver(measure);
    observer.observe(node);
  };
  setTimeout(start, 0);
  return () => observer && observer.disconnect();
}

export default {
  render({ model, el }) {
    const part = model.get("part");
    if (part === "keys") return keys(model, el);
    if (part === "fold") return fold(model, el);
    if (part === "bar") return bar(model, el);
    return undefined;
  },
};
