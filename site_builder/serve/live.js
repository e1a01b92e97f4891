// The dev server's live script: injected into each page as it is served, never written
// into the built site. It listens to /__live/events (see site_builder/serve/live.py):
// reloads the page when it changed, swaps stylesheets in place, shows the problems of a
// broken edit over the page, and says on the search page when results may be stale.

const OVERLAY_ID = "site-builder-problems";
const NOTICE_ID = "site-builder-search-stale";

let version = null;

function here() {
  const path = decodeURI(location.pathname);
  return path.endsWith("/index.html") ? path.slice(0, -"index.html".length) : path;
}

function concerns(paths) {
  return paths === null || paths.includes(here());
}

function reloadIfChanged(data) {
  if (concerns(data.paths)) {
    location.reload();
  }
  version = data.version;
}

function swapStylesheets(data) {
  for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
    const url = new URL(link.href);
    if (data.paths !== null && !data.paths.includes(decodeURI(url.pathname))) {
      continue;
    }
    url.searchParams.set("v", String(Date.now()));
    const fresh = link.cloneNode();
    fresh.href = url.href;
    fresh.addEventListener("load", () => link.remove(), { once: true });
    link.after(fresh);
  }
  version = data.version;
}

function showProblems(lines) {
  hideProblems();
  if (lines.length === 0) {
    return;
  }
  const overlay = document.createElement("div");
  overlay.id = OVERLAY_ID;
  overlay.setAttribute("role", "alert");
  Object.assign(overlay.style, {
    position: "fixed", inset: "0", zIndex: "2147483647", overflow: "auto",
    background: "rgba(20, 20, 24, 0.94)", color: "#f4f4f4", padding: "2rem",
    font: "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
  });
  const heading = document.createElement("p");
  heading.textContent = "The last edit did not build. This is the last good version of the page; "
    + "it updates by itself once the problem is fixed.";
  Object.assign(heading.style, { font: "bold 16px/1.4 system-ui, sans-serif", margin: "0 0 1rem" });
  const list = document.createElement("pre");
  list.textContent = lines.join("\n");
  Object.assign(list.style, { whiteSpace: "pre-wrap", color: "#ffb4a8", margin: "0 0 1rem" });
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "Hide";
  close.addEventListener("click", hideProblems);
  overlay.append(heading, list, close);
  document.body.append(overlay);
}

function hideProblems() {
  document.getElementById(OVERLAY_ID)?.remove();
}

function showSearchState(state) {
  document.getElementById(NOTICE_ID)?.remove();
  if (state !== "stale" || !here().endsWith("/search/")) {
    return;
  }
  const notice = document.createElement("p");
  notice.id = NOTICE_ID;
  notice.setAttribute("role", "status");
  notice.textContent = "The search index is being updated after your edits: "
    + "results may be stale for a moment.";
  Object.assign(notice.style, {
    margin: "0", padding: "0.5rem 1rem", background: "#fff4c2", color: "#3b2f00",
    font: "14px/1.4 system-ui, sans-serif", textAlign: "center",
  });
  document.body.prepend(notice);
}

function listen() {
  const events = new EventSource("/__live/events");
  events.addEventListener("hello", (event) => {
    const data = JSON.parse(event.data);
    if (version !== null && version !== data.version) {
      location.reload(); // the site changed while we were not connected
      return;
    }
    version = data.version;
    document.documentElement.dataset.liveVersion = version; // connected (tests wait for it)
    showProblems(data.problems);
    showSearchState(data.search);
  });
  events.addEventListener("reload", (event) => reloadIfChanged(JSON.parse(event.data)));
  events.addEventListener("css", (event) => swapStylesheets(JSON.parse(event.data)));
  events.addEventListener("problems", (event) => showProblems(JSON.parse(event.data).lines));
  events.addEventListener("ok", hideProblems);
  events.addEventListener("search", (event) => showSearchState(JSON.parse(event.data).state));
}

listen();
