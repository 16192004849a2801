// Keeps a participant's random token in this browser, so that a page refresh or a
// restarted kernel finds the same participant and their answers.
function randomToken() {
  const bytes = new Uint8Array(16);
  // crypto.getRandomValues also works on plain http:// pages in a room's local network
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function storage() {
  try {
    const probe = "vertaiset:probe";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch (e) {
    return window.sessionStorage;
  }
}

export default {
  render({ model, el }) {
    el.hidden = true;
    const key = `vertaiset:participant:${model.get("scope")}`;
    let token = null;
    try {
      const store = storage();
      token = store.getItem(key);
      if (!token || token.length < 16) {
        token = randomToken();
        store.setItem(key, token);
      }
    } catch (e) {
      token = randomToken();
    }
    model.set("token", token);
    model.save_changes();
  },
};
