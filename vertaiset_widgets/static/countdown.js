// A countdown to the facilitator's timer. The server sends the seconds left; the browser
// counts down from there, so a phone's wrong clock does not matter.
export default {
  render({ model, el }) {
    el.classList.add("vt-widget");
    const box = document.createElement("p");
    box.className = "vt-countdown";
    box.setAttribute("role", "timer");
    el.append(box);
    let deadline = null;
    let timer = null;
    const label = () => model.get("label");
    const draw = () => {
      if (deadline === null) {
        box.hidden = true;
        return;
      }
      box.hidden = false;
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      const m = Math.floor(left / 60);
      const s = String(left % 60).padStart(2, "0");
      box.textContent = left > 0 ? `${label()} ${m}:${s}` : model.get("done_label");
      box.dataset.ending = left <= 30 ? "true" : "false";
      box.setAttribute("aria-label", left > 0 ? `${label()} ${m} min ${s} s` : model.get("done_label"));
    };
    const reset = () => {
      const seconds = model.get("seconds");
      deadline = seconds === null || seconds < 0 ? null : Date.now() + seconds * 1000;
      if (timer) clearInterval(timer);
      timer = deadline === null ? null : setInterval(draw, 1000);
      draw();
    };
    model.on("change:seconds", reset);
    model.on("change:stamp", reset);
    reset();
    return () => timer && clearInterval(timer);
  },
};
