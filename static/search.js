/* The search page: Pagefind over the archive's search index, one shard at a time.

   A large archive's index is cut into shards by date; search/shards.json lists them newest
   first. A query searches the first shard at once and shows its results, then the others
   one or two at a time, merging their results and summing their filter counts as they come,
   so that a shard's files are fetched only when a query reaches it. The query, the order and
   the filters live in the URL: a search can be shared, and the back button restores it.

   Nothing from a cable is ever parsed as HTML: text goes in through textContent, and
   Pagefind's excerpts are rebuilt as text plus <mark> elements made here. */

const PAGE_SIZE = 20; // results shown at a time; data() is called only for those
const FEW_VALUES = 8; // filter values shown before "Show all"
const SUB_RESULTS = 3; // matching paragraphs shown under a result
const EXCERPT_WORDS = 30; // as Pagefind's own excerpts
const SORTS = { newest: { date: "desc" }, oldest: { date: "asc" } };
const GROUPS = [
  { key: "tag", legend: "Tag", plural: "tags" },
  { key: "country", legend: "Country", plural: "countries" },
  { key: "post", legend: "Post", plural: "posts" },
  { key: "classification", legend: "Classification", plural: "classifications" },
  { key: "year", legend: "Year", plural: "years" },
  { key: "annotated", legend: "Editor's notes", plural: "", labels: { yes: "With notes", no: "Without notes" } },
];
// A reference ID once upper-cased and stripped of spaces: 07GUATEMALA1906.
const REFERENCE_ID = /^(\d{2})[A-Z]+\d+$/;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];

const form = document.getElementById("search-form");
const queryInput = document.getElementById("search-q");
const sortSelect = document.getElementById("search-sort");
const panel = document.getElementById("search-filter-panel");
const panelSummary = document.getElementById("search-filter-summary");
const filterBox = document.getElementById("search-filters");
const statusLine = document.getElementById("search-status");
const resultList = document.getElementById("search-results");
const moreButton = document.getElementById("search-more");
// The site may live below a path (/archive/): the form says where its root is.
const root = new URL(form.dataset.searchRoot || "/", location.href);
const baseTitle = document.title;

let state = stateFromURL();
let current = null; // the search on screen
let runs = 0; // each search's number; an older one stops at its next step
let shardList = null; // a promise of the shards, read once
let pagefind = null; // a promise of Pagefind's module, imported once
const expanded = new Set(); // filter groups showing all their values
const groupNodes = new Map(); // filter group key -> its fieldset's parts, kept between renders

// ------------------------------------------------------------------ the state and the URL

function stateFromURL() {
  const params = new URL(location.href).searchParams;
  const filters = {};
  for (const { key } of GROUPS) {
    const values = unique(params.getAll(key).map((value) => value.trim()).filter(Boolean));
    if (values.length) filters[key] = values;
  }
  return { q: (params.get("q") ?? "").trim(), sort: sortName(params.get("sort")), filters };
}

function sortName(value) {
  return Object.hasOwn(SORTS, value ?? "") ? value : "relevance";
}

function unique(values) {
  return [...new Set(values)].sort();
}

function urlFor(next) {
  return location.pathname + queryString(next);
}

function queryString(next) {
  const params = new URLSearchParams();
  if (next.q) params.set("q", next.q);
  if (next.sort !== "relevance") params.set("sort", next.sort);
  for (const { key } of GROUPS) {
    for (const value of next.filters[key] ?? []) params.append(key, value);
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}

// A new search gets its own history entry, so that the back button returns to the last one.
function navigate(next) {
  const url = urlFor(next);
  if (url !== location.pathname + location.search) history.pushState(null, "", url);
  show(next);
}

// `arriving`: the search the page was opened with (a link, another page's search box, an
// old /cable/<ID>.html address), rather than one made on this page.
function show(next, arriving = false) {
  state = next;
  queryInput.value = next.q;
  sortSelect.value = next.sort;
  document.title = next.q ? `${next.q} · ${baseTitle}` : baseTitle;
  run(next, arriving).catch((error) => {
    // Every expected failure is handled where it happens; this is the last resort.
    say(`The search stopped: ${error?.message ?? error}`);
  });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  navigate({ ...state, q: queryInput.value.trim(), sort: sortName(sortSelect.value) });
});

sortSelect.addEventListener("change", () => {
  navigate({ ...state, q: queryInput.value.trim(), sort: sortName(sortSelect.value) });
});

filterBox.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
  const chosen = new Set(state.filters[box.name] ?? []);
  if (box.checked) chosen.add(box.value);
  else chosen.delete(box.value);
  const filters = { ...state.filters, [box.name]: unique(chosen) };
  if (!chosen.size) delete filters[box.name];
  navigate({ ...state, filters });
});

filterBox.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  if (button.dataset.clear !== undefined) {
    navigate({ ...state, filters: {} });
    queryInput.focus();
    return;
  }
  const key = button.dataset.group;
  if (expanded.has(key)) expanded.delete(key);
  else expanded.add(key);
  if (current) renderFilters(current);
});

moreButton.addEventListener("click", async () => {
  if (!current) return;
  const before = resultList.children.length;
  current.shown += PAGE_SIZE;
  await renderResults(current);
  // Keyboard and screen reader users continue from the first new result.
  resultList.children[before]?.querySelector("a")?.focus();
});

addEventListener("popstate", () => show(stateFromURL()));

// Filters sit beside the results on wide screens, and fold away above them on a phone.
panel.open = matchMedia("(min-width: 56rem)").matches;

// The URL in its usual spelling, so that the back button and a shared link say the same.
history.replaceState(null, "", urlFor(state) + location.hash);
show(state, true);

// ------------------------------------------------------------------ the shards

function loadShards() {
  shardList ??= fetch(new URL("search/shards.json", root)).then(async (response) => {
    if (!response.ok) throw new Error(`search/shards.json: HTTP ${response.status}`);
    const manifest = await response.json();
    return (manifest.shards ?? []).map((entry, index) => ({
      index,
      path: entry.path,
      years: (entry.years ?? []).map(String),
      base: new URL(`${entry.path.replace(/\/?$/, "/")}`, root),
      instance: null, // its Pagefind instance, once a query reaches it
      filterChunks: null,
    }));
  });
  shardList.catch(() => {
    shardList = null; // a later search tries again
  });
  return shardList;
}

// One Pagefind module makes an instance per shard (createInstance), so that its script is
// fetched once and every shard shares one WebAssembly module. It runs on the main thread:
// Pagefind's worker would be one more download, and gives up (and fetches everything
// again) when a shard takes over five seconds to load on a slow connection.
function openShard(shard, first) {
  shard.instance ??= (async () => {
    // Pagefind reports a shard it cannot load as an uncaught error: check it is there first
    // (a few hundred bytes), so that a missing shard is only a line in the status.
    const entry = await fetch(new URL("pagefind-entry.json", shard.base), { cache: "no-store" });
    if (!entry.ok) throw new Error(`${shard.path}: HTTP ${entry.status}`);
    pagefind ??= import(new URL("pagefind.js", first.base).href).catch((error) => {
      pagefind = null; // a later search tries again
      throw error;
    });
    const { createInstance } = await pagefind;
    // Result URLs are the pages' paths in the index (/cable/...): under the site's root.
    return createInstance({ basePath: shard.base.pathname, baseUrl: root.pathname, noWorker: true });
  })();
  shard.instance.catch(() => {
    shard.instance = null;
  });
  return shard.instance;
}

// Every filter chunk of a shard, so that its searches count every value of every filter.
// They are the largest part of a shard's index after its metadata, so they are fetched
// after the shard's results are on screen.
async function openFilters(shard, first) {
  const pf = await openShard(shard, first);
  shard.filterChunks ??= pf.filters();
  shard.filterChunks.catch(() => {
    shard.filterChunks = null;
  });
  await shard.filterChunks;
  return pf;
}

// Pagefind's filters: any of the values ticked in a group, and every group.
function pagefindFilters(filters, without = null) {
  const out = {};
  for (const [key, values] of Object.entries(filters)) {
    if (key !== without && values.length) out[key] = { any: values };
  }
  return out;
}

// ------------------------------------------------------------------ one search

async function run(next, arriving = false) {
  const token = ++runs;
  const reference = referenceIn(next.q);
  const search = {
    live: () => token === runs,
    state: next,
    // A reference ID is searched as one exact word: unquoted, a shard that lacks it would
    // match its parts ("07", "1906") instead. null: every cable, narrowed by the filters.
    term: reference ? `"${reference.token.toLowerCase()}"` : next.q || null,
    // Without words there is nothing to rank by relevance: the newest come first.
    sortName: next.q || next.sort !== "relevance" ? next.sort : "newest",
    terms: reference ? [reference.token] : wordsOf(next.q),
    reference,
    first: null, // the first shard listed: its Pagefind module serves every shard
    plan: [], // the shards to search, in order
    done: 0, // how many of them have answered
    found: new Map(), // shard -> its hits, in Pagefind's order
    counts: new Map(), // shard -> its filter counts
    failed: [], // shards that could not be searched
    uncounted: [], // shards searched whose filter counts could not be had
    finished: false,
    pinned: null, // the cable whose reference ID was typed
    shown: PAGE_SIZE,
    searches: new Map(),
    nodes: new Map(), // result key -> its list item, kept while this search is on screen
  };
  // What is on screen, for styles and tests: data-state is idle, searching, done or
  // failed; data-query is the search's URL query; data-total counts the cables found.
  resultList.dataset.query = queryString(next);
  if (!next.q && !Object.keys(next.filters).length) {
    current = null;
    resultList.replaceChildren();
    resultList.removeAttribute("aria-busy");
    resultList.dataset.state = "idle";
    moreButton.hidden = true;
    panel.hidden = true;
    say("");
    return;
  }
  // The previous results stay, dimmed, until the first new ones replace them.
  resultList.setAttribute("aria-busy", "true");
  resultList.dataset.state = "searching";
  say("Searching…");
  let shards;
  try {
    shards = await loadShards();
  } catch {
    if (!search.live()) return;
    current = null;
    resultList.replaceChildren();
    resultList.removeAttribute("aria-busy");
    resultList.dataset.state = "failed";
    moreButton.hidden = true;
    say("The search index could not be loaded. Try again later, or browse the archive by tag, country or year.");
    return;
  }
  if (!search.live()) return;
  search.first = shards[0];
  search.plan = planShards(shards, next, search.sortName);

  // A reference ID puts its cable first: it is looked for in the shards of its year first.
  if (search.reference) {
    search.pinned = await findReference(search);
    if (!search.live()) return;
    // Arriving with one reference ID the archive holds: its cable is what was asked for.
    // The search's own address is replaced, so that the back button skips it.
    if (arriving && search.pinned) {
      location.replace(pageLink(search.pinned.fragment.url, []));
      return;
    }
  }
  current = search;

  // The first shard alone, shown at once; then the others two at a time. Each batch's
  // results are shown before its filter counts are worked out.
  for (let start = 0; start < search.plan.length; ) {
    const batch = search.plan.slice(start, start + (start === 0 ? 1 : 2));
    await Promise.all(batch.map((shard) => searchShard(search, shard)));
    if (!search.live()) return;
    start += batch.length;
    search.done = start;
    await renderResults(search);
    if (!search.live()) return;
    report(search);
    await Promise.all(batch.map((shard) => countShard(search, shard)));
    if (!search.live()) return;
    renderFilters(search);
  }
  if (!search.plan.length) {
    await renderResults(search);
    if (!search.live()) return;
    renderFilters(search);
  }
  search.finished = true;
  report(search);
}

// The shards to search, in order: newest first (oldest first for "oldest"), leaving out
// those whose years cannot match a year filter.
function planShards(shards, next, sort) {
  const years = next.filters.year;
  const wanted = years ? shards.filter((shard) => shard.years.some((year) => years.includes(year))) : shards;
  return sort === "oldest" ? [...wanted].reverse() : wanted;
}

// Search one shard (once per search: the reference lookup may have done it already).
function cached(search, shard, term, filters, sort) {
  const key = JSON.stringify([shard.index, term, filters, sort]);
  if (!search.searches.has(key)) {
    search.searches.set(key, openShard(shard, search.first).then((pf) => pf.search(term, { filters, sort })));
  }
  return search.searches.get(key);
}

async function searchShard(search, shard) {
  const sort = SORTS[search.sortName] ?? {};
  try {
    const main = await cached(search, shard, search.term, pagefindFilters(search.state.filters), sort);
    search.found.set(shard, main.results.map((result) => hit(shard, result)));
  } catch {
    search.failed.push(shard);
  }
}

// The shard's filter counts (in memory once its filter chunks are in: no more downloads).
async function countShard(search, shard) {
  if (!search.found.has(shard)) return;
  const { term, state: next } = search;
  try {
    const pf = await openFilters(shard, search.first);
    const main = await pf.search(term, { filters: pagefindFilters(next.filters) });
    const counts = { ...main.filters };
    // A group's counts leave out its own ticks: they say what ticking one more value adds.
    for (const key of Object.keys(next.filters)) {
      const others = await pf.search(term, { filters: pagefindFilters(next.filters, key) });
      counts[key] = others.filters?.[key] ?? {};
    }
    search.counts.set(shard, counts);
  } catch {
    search.uncounted.push(shard);
  }
}

function hit(shard, result) {
  return { key: `${shard.index}:${result.id}`, shard, score: result.score, data: result.data, fragment: null };
}

// "07GUATEMALA1906", "07guatemala1906" or "07 GUATEMALA 1906": the ID, and its year's shards.
// An old address's file name ("07GUATEMALA1906.html", sent here by _redirects) is the ID too.
function referenceIn(q) {
  const token = q.toUpperCase().replace(/\s+/g, "").replace(/\.HTML$/, "");
  const match = REFERENCE_ID.exec(token);
  if (!match) return null;
  const yy = Number(match[1]);
  return { token, year: String(yy > 40 ? 1900 + yy : 2000 + yy) };
}

async function findReference(search) {
  const reference = search.reference;
  const sort = SORTS[search.sortName] ?? {};
  const filters = pagefindFilters(search.state.filters);
  const shards = search.plan.filter((shard) => shard.years.includes(reference.year));
  for (const shard of shards) {
    let results;
    try {
      // The same search as the main one, which then finds it done.
      results = (await cached(search, shard, search.term, filters, sort)).results;
    } catch {
      continue; // the shard is searched again in the main loop, which reports it
    }
    // The ID is one word of its own page and of the pages that cite it: look at the first few.
    for (const result of results.slice(0, 5)) {
      const found = hit(shard, result);
      try {
        found.fragment = await result.data();
      } catch {
        continue;
      }
      if ((found.fragment.meta?.reference ?? "").toUpperCase() === reference.token) return found;
    }
  }
  return null;
}

// Every hit found so far, in the order shown: by score for relevance (shards' scores are
// comparable, as in Pagefind's own multisite search), otherwise shard after shard, since
// shards cut the archive in date order. The reference searched for goes first.
function merged(search) {
  let hits = search.plan.flatMap((shard) => search.found.get(shard) ?? []);
  if (search.sortName === "relevance") hits.sort((a, b) => b.score - a.score);
  if (search.pinned) {
    const pinned = search.pinned;
    hits = [pinned, ...hits.filter((other) => other.key !== pinned.key)];
  }
  return hits;
}

function total(search) {
  let count = 0;
  for (const hits of search.found.values()) count += hits.length;
  const pinned = search.pinned;
  if (pinned && !(search.found.get(pinned.shard) ?? []).some((other) => other.key === pinned.key)) count += 1;
  return count;
}

// ------------------------------------------------------------------ results

async function renderResults(search) {
  const hits = merged(search);
  const visible = hits.slice(0, search.shown);
  await Promise.all(visible.map(load));
  if (!search.live()) return;
  replaceItems(resultList, visible.map((found) => {
    if (!search.nodes.has(found.key)) search.nodes.set(found.key, resultItem(found, search));
    return search.nodes.get(found.key);
  }));
  resultList.removeAttribute("aria-busy");
  moreButton.hidden = hits.length <= visible.length;
  if (!search.shownOnce) {
    search.shownOnce = true;
    performance.mark("search-results"); // when a query's first results appear
  }
}

async function load(found) {
  if (found.fragment || found.failed) return;
  try {
    found.fragment = await found.data();
  } catch {
    found.failed = true;
  }
}

function resultItem(found, search) {
  const item = element("li", "search-result");
  const fragment = found.fragment;
  if (!fragment) {
    item.append(element("p", "search-result-missing", "This cable could not be loaded."));
    return item;
  }
  const meta = fragment.meta ?? {};
  const terms = search.reference ? search.terms : highlightTerms(search.terms, fragment);
  const heading = element("h3", "search-result-title");
  heading.append(link(meta.title || meta.reference || fragment.url, pageLink(fragment.url, terms)));
  item.append(heading);

  const about = element("p", "search-result-meta");
  const parts = [];
  if (meta.reference) parts.push(element("span", "id", meta.reference));
  if (meta.date) {
    const time = element("time", null, longDate(meta.date));
    time.dateTime = meta.date;
    parts.push(time);
  } else {
    parts.push(element("span", "search-result-undated", "date unknown"));
  }
  if (meta.post) parts.push(element("span", "search-result-post", meta.post));
  if (meta.classification) parts.push(badge(meta.classification));
  if (fragment.filters?.annotated?.[0] === "yes") parts.push(element("span", "annotated", "annotated"));
  parts.forEach((part, index) => {
    if (index) {
      const sep = element("span", "sep", "·");
      sep.setAttribute("aria-hidden", "true");
      about.append(" ", sep, " ");
    }
    about.append(part);
  });
  item.append(about);

  const excerpt = resultExcerpt(fragment, search.term !== null);
  if (excerpt.tokens.length) {
    const paragraph = element("p", "search-result-excerpt");
    appendExcerpt(paragraph, excerpt);
    item.append(paragraph);
  }

  const paragraphs = matchingParagraphs(fragment, excerpt);
  if (paragraphs.length) {
    const list = element("ul", "search-subresults");
    list.setAttribute("aria-label", `Matching paragraphs of ${meta.reference || "this cable"}`);
    const shownHere = [...paragraphs].sort((a, b) => b.matches - a.matches).slice(0, SUB_RESULTS);
    shownHere.sort((a, b) => a.start - b.start);
    for (const paragraph of shownHere) {
      const sub = element("li", "search-subresult");
      sub.append(link(paragraph.title, pageLink(fragment.url, terms, paragraph.id)));
      const text = element("span", "search-subresult-excerpt");
      appendExcerpt(text, paragraph.excerpt);
      sub.append(" ", text);
      list.append(sub);
    }
    item.append(list);
    if (paragraphs.length > shownHere.length) {
      const others = paragraphs.length - shownHere.length;
      item.append(element("p", "search-subresults-more", `and ${others} more matching paragraph${others === 1 ? "" : "s"}`));
    }
  }
  return item;
}

// The cable's link, carrying the words searched for so that the cable page marks them.
function pageLink(url, terms, anchor = "") {
  const target = new URL(url, location.href);
  for (const term of terms) target.searchParams.append("highlight", term);
  target.hash = anchor;
  return target.origin === location.origin ? target.pathname + target.search + target.hash : target.href;
}

// The words of a query, as the cable page should mark them: no quotes, no stray punctuation.
function wordsOf(q) {
  return q.split(/\s+/).map(bare).filter(Boolean);
}

function bare(word) {
  return word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
}

// The cable page marks the exact words it is given, but Pagefind also matches other forms
// ("traffickers" for "trafficking"): pass the forms this cable matched as well.
function highlightTerms(queryWords, fragment) {
  const words = (fragment.content ?? "").split(/[\r\n\s]+/g);
  const terms = new Map(queryWords.map((word) => [word.toLowerCase(), word]));
  for (const at of fragment.locations ?? []) {
    const word = bare(words[at] ?? "");
    if (word && !terms.has(word.toLowerCase()) && terms.size < 12) terms.set(word.toLowerCase(), word);
  }
  return [...terms.values()];
}

// ------------------------------------------------------------------ excerpts
// An excerpt is a run of the cable's words, each marked or not; the words are its indexed
// text split on spaces, which is what Pagefind's word locations count.

function contentWords(fragment) {
  return (fragment.content ?? "").split(/[\r\n\s]+/g);
}

// Where the cable's text begins: the first element with an id (the "Text" heading, or the
// editor's note above it). Before it come the classification, ID, date, post and title.
function bodyStart(fragment) {
  const anchors = fragment.anchors ?? [];
  return anchors.length ? Math.min(...anchors.map((anchor) => anchor.location)) : 0;
}

// The result's excerpt. Pagefind's marks the densest run of matches; as a cable's title
// weighs heavily, that run often starts in the page's header, which the result shows
// already: then the excerpt is the cable's opening words instead (its summary, mostly),
// and the paragraph sub-results show the matches.
function resultExcerpt(fragment, searched) {
  const words = contentWords(fragment);
  const body = bodyStart(fragment);
  if (searched && fragment.excerpt && fragment.locations?.length) {
    const tokens = excerptTokens(fragment.excerpt);
    const at = locate(words, tokens);
    if (at >= body) {
      return { tokens, from: at, to: at + tokens.length, cutBefore: at > 0, cutAfter: at + tokens.length < words.length };
    }
  }
  const matches = new Set(searched ? fragment.locations : []);
  const opening = openingOf(fragment);
  return wordRun(words, opening, words.length, matches, opening);
}

// Pagefind's excerpt is the page's text with < and > escaped and each matched word wrapped
// in <mark>: read back as words, never parsed as HTML.
function excerptTokens(excerpt) {
  return excerpt.split(/\s+/).filter(Boolean).map((token) => {
    const marked = token.startsWith("<mark>") && token.endsWith("</mark>");
    const text = (marked ? token.slice(6, -7) : token).replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    return { text, marked };
  });
}

// Where a run of tokens starts among the words, or -1.
function locate(words, tokens) {
  const probe = tokens.slice(0, 5).map((token) => token.text);
  if (!probe.length) return -1;
  for (let at = 0; at + probe.length <= words.length; at += 1) {
    if (probe.every((text, offset) => words[at + offset] === text)) return at;
  }
  return -1;
}

// Without words searched for: the start of the first numbered paragraph, after its "¶1 (C)".
function openingOf(fragment) {
  const first = (fragment.anchors ?? [])
    .filter((anchor) => /^par\d+$/.test(anchor.id))
    .sort((a, b) => a.location - b.location)[0];
  return first ? first.location + headLength(first) : bodyStart(fragment);
}

function headLength(anchor) {
  return (anchor.text ?? "").trim().split(/\s+/).filter(Boolean).length;
}

// Up to EXCERPT_WORDS words from `from`, not past `end`; cut marks where it cuts the text.
function wordRun(words, from, end, matches, floor = 0) {
  const to = Math.min(end, from + EXCERPT_WORDS);
  const tokens = words.slice(from, to).map((text, offset) => ({ text, marked: matches.has(from + offset) }));
  return { tokens, from, to, cutBefore: from > floor, cutAfter: to < end };
}

// Paragraph sub-results. Pagefind's own sub-results follow headings only, but it records
// every element with an id as an anchor: a numbered paragraph is `<div id="par3">`, whose
// first text is "¶3 (C)". A paragraph runs from its anchor to the next one (its note,
// `note-par3`, lies inside it). Each shows the words around its first match that the
// result's excerpt (from..to) does not show already.
function matchingParagraphs(fragment, shown = { from: 0, to: 0 }) {
  const locations = fragment.locations ?? [];
  const anchors = fragment.anchors ?? [];
  if (!locations.length || !anchors.length) return [];
  const words = contentWords(fragment);
  const bounds = anchors
    .filter((anchor) => !anchor.id.startsWith("note-"))
    .sort((a, b) => a.location - b.location);
  const out = [];
  bounds.forEach((anchor, index) => {
    if (!/^par\d+$/.test(anchor.id)) return;
    const start = anchor.location + headLength(anchor); // the words after "¶3 (C)"
    const end = index + 1 < bounds.length ? bounds[index + 1].location : words.length;
    const matches = new Set(locations.filter((at) => at >= start && at < end));
    if (!matches.size) return;
    const unseen = [...matches].filter((at) => at < shown.from || at >= shown.to);
    const first = Math.min(...(unseen.length ? unseen : matches));
    const from = Math.max(start, Math.min(first - 6, end - EXCERPT_WORDS));
    out.push({
      id: anchor.id,
      title: (anchor.text ?? "").trim() || anchor.id,
      start,
      matches: matches.size,
      excerpt: wordRun(words, from, end, matches, start),
    });
  });
  return out;
}

// Text, and <mark> elements made here for the marked words.
function appendExcerpt(parent, { tokens, cutBefore, cutAfter }) {
  let text = cutBefore ? "… " : "";
  tokens.forEach(({ text: word, marked }, index) => {
    const space = index ? " " : "";
    if (!marked) {
      text += space + word;
      return;
    }
    parent.append(text + space, element("mark", null, word));
    text = "";
  });
  parent.append(text + (cutAfter ? " …" : ""));
}

// ------------------------------------------------------------------ filters

function renderFilters(search) {
  const totals = new Map(GROUPS.map(({ key }) => [key, new Map()]));
  for (const counts of search.counts.values()) {
    for (const [key, values] of Object.entries(counts)) {
      const sums = totals.get(key);
      if (!sums) continue;
      for (const [value, count] of Object.entries(values)) sums.set(value, (sums.get(value) ?? 0) + count);
    }
  }
  const chosen = search.state.filters;
  let ticked = 0;
  for (const group of GROUPS) {
    const selected = new Set(chosen[group.key] ?? []);
    ticked += selected.size;
    const sums = totals.get(group.key);
    for (const value of selected) if (!sums.has(value)) sums.set(value, 0);
    const values = [...sums]
      .filter(([value, count]) => count > 0 || selected.has(value))
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "en", { numeric: true }));
    renderGroup(group, values, selected);
  }
  let clear = filterBox.querySelector(".search-filters-clear");
  if (!clear) {
    clear = element("button", "search-filters-clear", "Clear all filters");
    clear.type = "button";
    clear.dataset.clear = "";
    filterBox.prepend(clear);
  }
  clear.hidden = ticked === 0;
  panelSummary.textContent = ticked ? `${ticked} selected` : "";
  panel.hidden = false;
}

function renderGroup(group, values, selected) {
  let parts = groupNodes.get(group.key);
  if (!parts) {
    const fieldset = element("fieldset", "filter-group");
    const legend = element("legend", null, group.legend);
    const list = element("ul", "filter-values");
    list.id = `filter-${group.key}`;
    const toggle = element("button", "filter-toggle");
    toggle.type = "button";
    toggle.dataset.group = group.key;
    toggle.setAttribute("aria-controls", list.id);
    fieldset.append(legend, list, toggle);
    filterBox.append(fieldset);
    parts = { fieldset, list, toggle, items: new Map() };
    groupNodes.set(group.key, parts);
  }
  parts.fieldset.hidden = values.length === 0;
  const all = expanded.has(group.key);
  const shown = all ? values : values.filter(([value], index) => index < FEW_VALUES || selected.has(value));
  parts.list.classList.toggle("filter-values-all", all && values.length > FEW_VALUES);
  replaceItems(parts.list, shown.map(([value, count]) => {
    let item = parts.items.get(value);
    if (!item) {
      item = filterItem(group, value, parts.items.size);
      parts.items.set(value, item);
    }
    item.box.checked = selected.has(value);
    item.count.textContent = count.toLocaleString("en");
    return item.li;
  }));
  // Long lists show their first values, by count, and any ticked ones; a toggle shows all.
  parts.toggle.hidden = values.length <= FEW_VALUES || (!all && shown.length === values.length);
  parts.toggle.setAttribute("aria-expanded", String(all));
  parts.toggle.textContent = all ? "Show fewer" : `Show all ${values.length.toLocaleString("en")} ${group.plural}`;
}

function filterItem(group, value, number) {
  const li = element("li", "filter-value");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.name = group.key;
  box.value = value;
  box.id = `filter-${group.key}-${number}`;
  box.setAttribute("form", "search-form");
  const label = element("label");
  label.htmlFor = box.id;
  const count = element("span", "count");
  label.append(element("span", "filter-label", group.labels?.[value] ?? value), " ", count, element("span", "visually-hidden", " cables"));
  li.append(box, label);
  return { li, box, count };
}

// ------------------------------------------------------------------ status

function report(search) {
  const found = total(search);
  resultList.dataset.state = search.finished ? "done" : "searching";
  resultList.dataset.total = String(found);
  if (search.done < search.plan.length) {
    const counted = `${found.toLocaleString("en")} cable${found === 1 ? "" : "s"}`;
    const which = search.sortName === "oldest" ? "newer" : "older";
    say(`${counted} so far. Searching ${which} cables… ${search.done} of ${search.plan.length} parts`);
    return;
  }
  const what = search.state.q ? `“${search.state.q}”` : "these filters";
  let text = found === 0 ? `No cable matches ${what}.`
    : found === 1 ? `1 cable matches ${what}.`
    : `${found.toLocaleString("en")} cables match ${what}.`;
  if (search.failed.length) {
    const parts = search.failed.length;
    text += ` ${parts} of ${search.plan.length} parts of the index could not be loaded, so some cables may be missing.`;
  } else if (search.uncounted.length) {
    text += " Some filter counts could not be loaded.";
  }
  say(text);
}

function say(text) {
  if (statusLine.textContent !== text) statusLine.textContent = text;
}

// ------------------------------------------------------------------ small helpers

// A list's items in a new order, moving only what moved: a focused item that had to move
// gets its focus back, so that keyboard users stay where they were.
function replaceItems(list, items) {
  const now = [...list.children];
  if (now.length === items.length && now.every((item, index) => item === items[index])) return;
  const focused = list.contains(document.activeElement) ? document.activeElement : null;
  list.replaceChildren(...items);
  if (focused?.isConnected && document.activeElement !== focused) focused.focus({ preventScroll: true });
}

function element(name, className = null, text = null) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  return node;
}

function link(text, href) {
  const anchor = element("a", null, text);
  anchor.href = href;
  return anchor;
}

function badge(classification) {
  const upper = classification.toUpperCase();
  const level = ["SECRET", "CONFIDENTIAL", "LIMITED", "UNCLASSIFIED"].find((name) => upper.startsWith(name));
  return element("span", `badge badge-${level ? level.toLowerCase() : "unknown"}`, classification);
}

function longDate(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return month && day ? `${day} ${MONTHS[month - 1]} ${year}` : iso;
}
