// An activity's title on the phone. While the task is open it is a plain heading (the
// page's "now"); once its results are revealed it is a disclosure button that folds them
// to the title: the slot around it gets "vt-unfolded", and aria-expanded says which.
export default {
  render({ model, el }) {
    el.classList.add("vt-widget", "vt-activity-title");
    let expanded = false;
    const slot = () => el.closest(".vt-slot");
    const body = () => {
      const s = slot();
      return s ? s.querySelector(":scope > .vt-slot-body") : null;
    };
    function draw() {
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
  },
};
