// Notices when this page has lost its kernel or the server, says so, and reloads the
// page once the server answers again (the browser's token brings the participant back,
// and saving.js's drafts bring back what they had not sent).
//
// Signs of a lost link, whichever comes first:
// * the kernel's status: "restarting", "autorestarting" or "dead" (killed or crashed);
// * the websocket: the connection status leaves "connected" (the server went away);
// * the heartbeat: this widget's kernel side answers a ping every second; a restarted
//   kernel no longer knows this widget, and a hung one does not answer.
// Once lost, the page asks the server about its kernel (GET /api/kernels/<id>): no
// answer means the server is away; 404 means the kernel is gone (a restarted server,
// a culled kernel). It reloads when the server answers and the kernel is gone or
// restarted, or has stayed silent; a kernel that answers again simply hides the banner.

const TICK_MS = 500;
const PING_MS = 1000;
const LOST_AFTER_MS = 2500; // no pong while the kernel is idle
const BUSY_LOST_AFTER_MS = 20000; // no pong while the kernel is busy (a long write)
const SILENT_RELOAD_MS = 15000; // the server answers but the kernel has been silent this long
const MIN_BANNER_MS = 2000; // the banner is read before the page reloads
const GONE_STATES = ["restarting", "autorestarting", "dead"];

function pageConfig() {
  try {
    const config = JSON.parse(document.getElementById("jupyter-config-data").textContent);
    return { base: config.baseUrl || "/", kernelId: config.kernelId || "" };
  } catch (e) {
    return { base: "/", kernelId: "" };
  }
}

// Reloads in the last minute (kept for this tab): a page that keeps losing its kernel waits longer.
function recentReloads() {
  try {
    const times = JSON.parse(window.sessionStorage.getItem("vertaiset:reloads") || "[]");
    return times.filter((t) => Date.now() - t < 60000);
  } catch (e) {
    return [];
  }
}

function createGuard(model) {
  const { base, kernelId } = pageConfig();
  const banner = document.createElement("div");
  banner.id = "vt-connection-banner";
  banner.className = "vt-connection-banner";
  banner.setAttribute("role", "alert");
  banner.hidden = true;
  document.body.prepend(banner);

  let current = model;
  let lost = false;
  let gone = false;
  let lostAt = 0;
  let serverUp = false;
  let busy = false;
  let probing = false;
  let reloading = false;
  let n = 0;
  let lastPing = 0;
  let lastPong = Date.now();
  let lastTick = Date.now();

  function announce() {
    window.vertaisetConnectionLost = lost;
    window.dispatchEvent(new CustomEvent("vertaiset:connection", { detail: { lost } }));
  }

  function markLost() {
    if (lost) return;
    lost = true;
    lostAt = Date.now();
    serverUp = false;
    banner.textContent = (window.vertaisetUi && window.vertaisetUi.connection_lost) || "…";
    banner.hidden = false;
    document.documentElement.dataset.vtConnection = "lost";
    announce();
    probe();
  }

  function recover() {
    if (!lost || gone) return;
    lost = false;
    banner.hidden = true;
    banner.textContent = "";
    delete document.documentElement.dataset.vtConnection;
    announce();
  }

  function reload() {
    if (reloading) return;
    const times = recentReloads();
    if (times.length >= 3 && Date.now() - times[times.length - 1] < 30000) return; // try again later
    reloading = true;
    try {
      window.sessionStorage.setItem("vertaiset:reloads", JSON.stringify([...times, Date.now()]));
    } catch (e) { /* reload anyway */ }
    window.location.reload();
  }

  async function probe() {
    if (probing || reloading || !kernelId) return;
    probing = true;
    try {
      const response = await fetch(`${base}api/kernels/${encodeURIComponent(kernelId)}?_=${Date.now()}`, {
        cache: "no-store",
        credentials: "same-origin",
      });
      serverUp = response.status < 500;
      if (response.status === 404) gone = true;
      else if (response.ok) {
        const kernel = await response.json().catch(() => ({}));
        if (GONE_STATES.includes(kernel.execution_state)) gone = true;
      }
    } catch (e) {
      serverUp = false; // no answer: the server is away
    } finally {
      probing = false;
    }
    const now = Date.now();
    // a kernel busy with a long write is left to finish it: only a gone or idle-and-silent one is left behind
    const silent = !busy && now - lastPong >= SILENT_RELOAD_MS;
    if (lost && serverUp && now - lostAt >= MIN_BANNER_MS && (gone || silent)) reload();
  }

  function ping() {
    lastPing = Date.now();
    n += 1;
    try {
      current.send({ type: "ping", n });
    } catch (e) { /* a closed comm: the heartbeat notices */ }
  }

  function tick() {
    const now = Date.now();
    if (document.hidden) {
      lastTick = now;
      return; // a phone in a pocket: judged again when it is looked at
    }
    if (now - lastTick > 3 * PING_MS) lastPong = now; // timers slept (a locked phone): start afresh
    lastTick = now;
    if (now - lastPing >= PING_MS) ping();
    if (!lost && now - lastPong > (busy ? BUSY_LOST_AFTER_MS : LOST_AFTER_MS)) markLost();
    if (lost && now - lastPing < TICK_MS) probe(); // once a second while lost
  }

  function watchKernel(m) {
    const kernel = m.widget_manager && m.widget_manager.kernel;
    if (!kernel || !kernel.statusChanged || watchKernel.done) return;
    watchKernel.done = true;
    kernel.statusChanged.connect((_, status) => {
      busy = status === "busy";
      if (GONE_STATES.includes(status)) {
        gone = true;
        markLost();
      }
    });
    kernel.connectionStatusChanged.connect((_, status) => {
      if (status !== "connected") {
        busy = false; // what the kernel was doing is no longer known
        markLost();
      }
    });
  }

  const onPong = (msg) => {
    if (msg && msg.type === "pong") {
      lastPong = Date.now();
      recover();
    }
  };

  function attach(m) {
    current = m;
    m.on("msg:custom", onPong);
    watchKernel(m);
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) {
      lastPong = Math.max(lastPong, Date.now() - PING_MS);
      lastTick = Date.now();
      ping();
    }
  });
  window.setInterval(tick, TICK_MS);
  return { attach };
}

// What the page tells screen readers without moving the focus ("Uusi tehtävä: …"): one
// polite live region, in the page from the start so that its changes are read out.
function announcer() {
  let region = document.getElementById("vt-announcer");
  if (!region) {
    region = document.createElement("div");
    region.id = "vt-announcer";
    region.className = "vt-visually-hidden";
    region.setAttribute("aria-live", "polite");
    region.setAttribute("role", "status");
    document.body.append(region);
  }
  return region;
}

// A phone that joined with a typed code keeps it in its address: a reload comes back.
function keepCode(code) {
  if (!code) return;
  try {
    const url = new URL(window.location.href);
    if (url.searchParams.get("session") === code) return;
    url.searchParams.set("session", code);
    window.history.replaceState(window.history.state, "", url.toString());
  } catch (e) { /* an address that cannot change: the code is asked again after a reload */ }
}

export default {
  render({ model, el }) {
    el.hidden = true;
    window.vertaisetUi = Object.assign(window.vertaisetUi || {}, model.get("texts") || {});
    window.dispatchEvent(new Event("vertaiset:ui"));
    if (!window.vertaisetGuard) window.vertaisetGuard = createGuard(model);
    window.vertaisetGuard.attach(model);
    const region = announcer();
    let said = model.get("announce_seq") || 0;
    const say = () => {
      const seq = model.get("announce_seq") || 0;
      if (seq <= said) return;
      said = seq;
      region.textContent = "";
      window.setTimeout(() => { region.textContent = model.get("announcement") || ""; }, 100);
    };
    model.on("change:announce_seq", say);
    model.on("change:session_code", () => keepCode(model.get("session_code")));
    keepCode(model.get("session_code"));
  },
};
