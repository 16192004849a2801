// An activity's title on the phone. While the task is open it is a plain heading (the
// page's "now"); once its results are revealed it is a disclosure button that folds them
// to the title: the slot around it gets "vt-unfolded", and aria-expanded says which.
// It also marks each of the slot's table boxes that is narrower than its table
// (data-overflows), so the "scroll sideways" hint under it shows only then (forms.css).

function markOverflow(root) {
  for (const box of root.querySelectorAll(".vt-table-scroll")) {
    const overflows = box.clientWidth > 0 && box.scrollWidth > box.clientWidth + 1;
    if (box.dataset.overflows !== String(overflows)) box.dataset.overflows = String(overflows);
  }
}

export default {
  render({ model, el }) {
    el.classList.add("vt-widget", "vt-activity-title");
    let expanded = false;
    const slot = () => el.closest(".vt-slot");
    const body = () => {
      const s = slot();
      return s ? s.querySelector(":scope > .vt-slot-body") : null;
    };
    let watched = null;
    let observers = [];
    // tables come and go with the results, and change width with the phone and the fold
    function watch() {
      const target = body();
      if (!target || target === watched) return;
      for (const o of observers) o.disconnect();
      watched = target;
      const check = () => markOverflow(target);
      const resize = new ResizeObserver(check);
      resize.observe(target);
      const mutation = new MutationObserver(() => {
        for (const box of target.querySelectorAll(".vt-table-scroll")) resize.observe(box);
        check();
      });
      mutation.observe(target, { childList: true, subtree: true });
      for (const box of target.querySelectorAll(".vt-table-scroll")) resize.observe(box);
      observers = [resize, mutation];
      check();
    }
    function draw() {
      watch();
      const title = model.get("title") || "";
      const id = model.get("activity_id") || "";
      const s = slot();
      if (model.get("mode") === "now") {
        if (s) s.classList.remove("vt-unfolded");
        const heading = document.createElement("h2");
        heading.className = "vt-now-title";
        heading.dataset.vtNowTitle = id;
        heading.textContent = title;
        el.replaceChildren(heading);
        return;
      }
      const heading = document.createElement("h3");
      heading.className = "vt-result-title";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "vt-disclosure";
      button.dataset.vtResultTitle = id;
      const mark = document.createElement("span");
      mark.className = "vt-disclosure-mark";
      mark.setAttribute("aria-hidden", "true");
      const text = document.createElement("span");
      text.textContent = title;
      button.append(mark, text);
      const target = body();
      if (target) {
        if (!target.id) target.id = `vt-result-${id}-${Math.random().toString(36).slice(2, 8)}`;
        button.setAttribute("aria-controls", target.id);
      }
      const show = () => {
        button.setAttribute("aria-expanded", expanded ? "true" : "false");
        const s2 = slot();
        if (s2) s2.classList.toggle("vt-unfolded", expanded);
      };
      button.addEventListener("click", () => {
        expanded = !expanded;
        show();
      });
      heading.append(button);
      el.replaceChildren(heading);
      show();
    }
    // the slot is in the page only once this view is: look again on the next frame
    draw();
    requestAnimationFrame(draw);
    model.on("change:mode", () => { expanded = false; draw(); });
    model.on("change:title", draw);
    return () => { for (const o of observers) o.disconnect(); };
  },
};
