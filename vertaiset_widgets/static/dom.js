// The smallest DOM kit every form's module starts with (read in front of saving.js): build
// elements with their attributes and text (words only ever as text, never as HTML), and ids
// that never repeat on the page.

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

// Each widget class loads its own copy of this module, so the count is the page's, not the
// module's: two forms drawn in the same millisecond must never share an id (a label would
// then name another form's control).
function uid(prefix) {
  globalThis.__vertaisetIds = (globalThis.__vertaisetIds || 0) + 1;
  return `${prefix}-${globalThis.__vertaisetIds}`;
}
