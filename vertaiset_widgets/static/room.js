// The room's pieces that live in the browser: the projector's keys, the console's folds and
// the height of the console's now bar.
//
// part "keys" (the projector): ← / → (and PageUp / PageDown, as a presenter's clicker sends)
//   turn the results' pages where they are longer than the screen, else ask the kernel for the
//   previous or next item of the agenda; F toggles full screen. Never while focus is in a text
//   field, and never with Ctrl, Alt or Meta held. The kernel may send the page to another
//   workbook's screen ("go"); an address with #activity-<id> asks the kernel to show that one.
// part "fold" (a catalogue entry on the console): a disclosure button with the activity's
//   title and its status badge; it opens when the page's address names its anchor
//   (#activity-<id>), and then tells the kernel to make the activity current.
// part "bar" (inside the now bar): keeps --vt-now-h on the page at the bar's height, so the
//   page below starts under it and an anchor is not hidden behind it.
// part "shown" (invisible): tells the kernel once that the page's widgets are on screen, so that
//   it draws its charts then, not while the browser is still asking for the page's widgets.

function typing(target) {
  if (!target || !(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (target.getAttribute("type") || "text").toLowerCase();
  return !["button", "checkbox", "radio", "range", "submit", "reset", "color", "file", "image"].includes(type);
}

// The projector's pages: results longer than the space under the title (a long wall, a table)
// are shown a page at a time, each page ending at the last item that fits whole; the rest is
// clipped off until the next page. Every element that clips its overflow inside the results is
// paged on its own, all turning together; "Sivu 1/3" tells the room there is more.
const PAGE_ITEMS = "li, tbody > tr, img, h3, h4, dt, dd, p, section, .vt-colmean";

function visibleResults() {
  return [...document.querySelectorAll(".vt-activity.vt-screen .vt-presenter-results")].find((e) => e.getClientRects().length);
}

function pageBreaks(scroller) {
  // measured with the first page in view: item offsets from the scroller's top edge
  const height = scroller.clientHeight;
  const top = scroller.getBoundingClientRect().top - scroller.scrollTop + scroller.clientTop;
  // the outermost items, except that an item taller than the page (a canvas's card) is paged by
  // the items inside it (its headings and answers), so that no page begins or ends mid-line
  const rect = (e) => {
    const r = e.getBoundingClientRect();
    return { top: r.top - top, bottom: r.bottom - top };
  };
  const items = [];
  const collect = (root) => {
    const outer = [...root.querySelectorAll(PAGE_ITEMS)].filter((e) => {
      const parent = e.parentElement && e.parentElement.closest(PAGE_ITEMS);
      return e.getClientRects().length && !(parent && parent !== root && root.contains(parent));
    });
    for (const e of outer) {
      const r = rect(e);
      if (r.bottom <= r.top) continue;
      if (r.bottom - r.top > height && e.querySelector(PAGE_ITEMS)) {
        const first = items.length;
        collect(e);
        if (items.length > first) items[first].top = Math.min(items[first].top, r.top); // a page starts at its edge
      } else items.push(r);
    }
  };
  collect(scroller);
  const starts = [0];
  const cuts = [];
  let start = 0;
  while (starts.length < 60) {
    const end = start + height;
    const over = items.filter((i) => i.bottom > end + 0.5);
    if (!over.length) break;
    let cut = Math.min(...over.map((i) => i.top));
    if (cut <= start + 1) cut = end; // an item taller than the screen is cut through
    cuts.push(cut);
    start = cut;
    starts.push(start);
  }
  cuts.push(null);
  return { scroller, height, starts, cuts };
}

function pager(model, el) {
  const indicator = document.createElement("p");
  indicator.className = "vt-presenter-page";
  indicator.setAttribute("aria-live", "polite");
  indicator.hidden = true;
  // outside the cells: above the activity's own layer, in a corner of the viewport
  document.body.append(indicator);
  let box = null;
  let page = 0;
  let pages = 1;
  let paged = [];
  const clear = () => {
    for (const p of paged) {
      p.scroller.style.clipPath = "";
      p.scroller.style.paddingBottom = "";
      p.scroller.scrollTop = 0;
    }
    paged = [];
  };
  const apply = () => {
    for (const p of paged) {
      const i = Math.min(page, p.starts.length - 1);
      const cut = p.cuts[i];
      p.scroller.scrollTop = p.starts[i];
      p.scroller.style.clipPath = cut === null ? "" : `inset(0 0 ${Math.max(0, p.height - (cut - p.starts[i]))}px 0)`;
    }
    indicator.hidden = pages < 2;
    indicator.textContent = model.get("page_label").replace("{page}", String(page + 1)).replace("{pages}", String(pages));
    el.dataset.vtPage = String(page + 1);
    el.dataset.vtPages = String(pages);
  };
  const measure = () => {
    const found = visibleResults() || null;
    if (found !== box) page = 0;
    clear();
    box = found;
    pages = 1;
    if (box) {
      const scrollers = [box, ...box.querySelectorAll("*")].filter(
        (e) => e.scrollHeight > e.clientHeight + 1 && e.clientHeight > 0 && getComputedStyle(e).overflowY !== "visible",
      );
      // the outermost clipping elements only: an inner one moves with its page
      paged = scrollers.filter((e) => !scrollers.some((o) => o !== e && o.contains(e))).map(pageBreaks);
      for (const p of paged) {
        p.scroller.style.paddingBottom = `${p.height}px`; // room to scroll the last page to the top
        pages = Math.max(pages, p.starts.length);
      }
    }
    page = Math.min(page, pages - 1);
    apply();
  };
  let timer = null;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(measure, 150);
  };
  const root = document.getElementById("rendered_cells") || document.body;
  const mutations = new MutationObserver((records) => {
    if (records.every((r) => indicator.contains(r.target) || (r.type === "attributes" && paged.some((p) => p.scroller === r.target)))) return;
    soon();
  });
  mutations.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["style", "class", "src", "hidden"], characterData: true });
  window.addEventListener("resize", soon);
  soon();
  return {
    turn(by) {
      if (visibleResults() !== box) measure(); // the view changed since the last measure: its own pages
      const next = page + by;
      if (next < 0 || next >= pages) return false;
      page = next;
      apply();
      return true;
    },
    stop() {
      indicator.remove();
      mutations.disconnect();
      window.removeEventListener("resize", soon);
      clearTimeout(timer);
    },
  };
}

function keys(model, el) {
  el.classList.add("vt-room-keys");
  const hint = document.createElement("p");
  hint.className = "vt-sr-only";
  hint.textContent = model.get("hint");
  el.append(hint);
  const pages = pager(model, el);
  const onKey = (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
    let by = 0;
    if (event.key === "ArrowRight" || event.key === "PageDown") by = 1;
    else if (event.key === "ArrowLeft" || event.key === "PageUp") by = -1;
    if (by) {
      event.preventDefault();
      // the results' pages turn first; past the first or the last page the view steps
      if (!pages.turn(by)) model.send({ type: "step", by });
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
  const onMessage = (content) => {
    if (content && content.type === "go" && typeof content.href === "string") window.location.assign(content.href);
  };
  const followAddress = () => {
    const match = /^#activity-([\w-]+)$/.exec(window.location.hash);
    if (match) model.send({ type: "show", activity: match[1] });
  };
  model.on("msg:custom", onMessage);
  document.addEventListener("keydown", onKey);
  window.addEventListener("hashchange", followAddress);
  setTimeout(followAddress, 0);
  return () => {
    pages.stop();
    model.off("msg:custom", onMessage);
    document.removeEventListener("keydown", onKey);
    window.removeEventListener("hashchange", followAddress);
  };
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

function shown(model, el) {
  el.hidden = true;
  // once the browser is idle: the page's other widgets, loaded with this one, are drawn by then
  // (at most 1.5 s on: a tab in the background is never idle in that sense)
  const send = () => model.send({ type: "shown" });
  if (window.requestIdleCallback) window.requestIdleCallback(send, { timeout: 1500 });
  else setTimeout(send, 0);
}

export default {
  render({ model, el }) {
    const part = model.get("part");
    if (part === "shown") return shown(model, el);
    if (part === "keys") return keys(model, el);
    if (part === "fold") return fold(model, el);
    if (part === "bar") return bar(model, el);
    return undefined;
  },
};
