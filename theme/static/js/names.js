// Records found by their names: "direct hits" above the results, and
// suggestions under the query box while typing (a WAI-ARIA combobox).
//
// The build cuts every name's folded syllable suffixes ("nguyen thi an",
// "thi an", "an") into small shards (search_names.py): the page knows each
// shard's first key and size (data-shards), picks the part of the query whose
// matches lie in one shard, the smallest, and downloads only that shard. A
// record matches when the query's syllables stand together in one of its
// names, in order, the last one perhaps half typed. Every text from the data
// is inserted as text.

import { fold, words } from "./text.js";

const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const listbox = document.getElementById("search-suggest");
const section = document.getElementById("name-hits");
const hitList = document.getElementById("name-hits-list");
const moreNote = document.getElementById("name-hits-more");
const SITEURL = form.dataset.siteurl || "";
const KINDS = JSON.parse(section.dataset.kinds || "[]"); // [label, search filter key, noun] per record kind
const SHOWN = 5; // direct hits shown
const SUGGESTED = 8; // suggestions shown
// What a query may download besides its own shard to find names inside it ("thi đua Đắk Lắk"):
// hundreds of bytes, as the manifest counts them (one full shard).
const EXTRA = 160;

function decodeKey(text) {
  if (text === "-") return "";
  return text.replace(/~([0-9a-f]+)~/g, (_, hex) => String.fromCodePoint(parseInt(hex, 16))).replace(/_/g, " ");
}

const SHARDS = (section.dataset.shards || "").split(" ").filter(Boolean).map((item) => {
  // "key:size", "!" after the size when strings too common to fit were left out of the shard.
  const at = item.lastIndexOf(":");
  const size = item.slice(at + 1);
  return { file: item.slice(0, at), key: decodeKey(item.slice(0, at)), size: parseInt(size, 10),
           partial: size.endsWith("!") };
});
const shardCache = new Map();

function bisect(text) {
  // The number of shard keys ≤ text (keys are sorted, as the build sorts them).
  let lo = 0;
  let hi = SHARDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (SHARDS[mid].key <= text) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function load(index) {
  const { file } = SHARDS[index];
  if (!shardCache.has(file)) {
    shardCache.set(file, fetch(`${SITEURL}/tim-kiem/ten/${encodeURIComponent(file)}.json`)
      .then((r) => (r.ok ? r.json() : [])).catch(() => []));
  }
  return shardCache.get(file);
}

function before(a, b) {
  // Lexicographic order of two arrays of numbers.
  const i = a.findIndex((x, n) => x !== b[n]);
  return i >= 0 && a[i] < b[i];
}

function choose(folded) {
  // As search_names.shard_for: each suffix of the query ("nguyen thi an", "thi an", "an") is a candidate;
  // one whose matches lie in one whole shard wins, then the fewest shards, then the smallest. Only the
  // first shard of the winner's range is read (complete: it holds every match).
  let best = null;
  for (let i = 0; i < folded.length; i++) {
    const text = folded.slice(i).join(" ");
    const first = bisect(text) - 1;
    const span = bisect(`${text}\uffff`) - first;
    const key = [span === 1 && !SHARDS[first].partial ? 0 : 1, span, SHARDS[first].size];
    if (!best || before(key, best.key)) best = { first, key };
  }
  return best && { first: best.first, complete: best.key[0] === 0 };
}

function parse(text) {
  const original = words(text);
  return { original, folded: original.map(fold), lower: original.map((w) => w.toLowerCase()) };
}

function runAt(name, query) {
  // Where the query's words stand together in the name, in order, the last one perhaps a prefix; -1: nowhere.
  const m = query.length;
  outer: for (let p = 0; p + m <= name.length; p++) {
    for (let i = 0; i < m; i++) {
      const ok = i === m - 1 ? name[p + i].startsWith(query[i]) : name[p + i] === query[i];
      if (!ok) continue outer;
    }
    return p;
  }
  return -1;
}

function rank(name, query) {
  // Exact name first, then names that start with the query, then the typed diacritics, then shorter names.
  const q = parse(name);
  const p = runAt(q.folded, query.folded);
  if (p < 0) return null;
  const last = query.folded.length - 1;
  const exact = p === 0 && q.folded.length === query.folded.length && q.folded[last] === query.folded[last];
  const accents = runAt(q.lower, query.lower) >= 0;
  return [exact ? 0 : p === 0 ? 1 : 2, accents ? 0 : 1, name.length];
}

function compare(a, b) {
  if (before(a.rank, b.rank)) return -1;
  if (before(b.rank, a.rank)) return 1;
  return a.name.localeCompare(b.name, "vi");
}

function record(row, matched, rankKey, rest = "") {
  const [url, kind, context, within, name] = row;
  return { url, kind, context, within, name, matched, rank: rankKey, rest };
}

async function lookup(query) {
  // Records whose names hold the whole query: {found (ranked), complete (every match was in the shard)}.
  if (!SHARDS.length || !query.folded.length) return { found: [], complete: true };
  const pick = choose(query.folded);
  const rows = await load(pick.first);
  const found = [];
  for (const row of rows) {
    let best = null;
    for (const name of row.slice(4)) { // the record's own name unless another one matches better
      const key = rank(name, query);
      if (key && (!best || before(key.slice(0, 2), best.rank.slice(0, 2)))) best = { rank: key, name };
    }
    if (best) found.push(record(row, best.name, best.rank));
  }
  found.sort(compare);
  return { found, complete: pick.complete };
}

async function inside(query) {
  // Names that make up part of a longer query ("thi đua Đắk Lắk" holds Đắk Lắk), each with the reader's
  // other words, for "Tìm trong …". A part is looked up whole, in its one shard; shards not loaded yet
  // are opened within EXTRA. Longest parts first, without overlaps.
  const n = query.folded.length;
  const parts = [];
  for (let a = 0; a < n; a++) {
    for (let size = n - a - (a === 0 ? 1 : 0); size >= 1; size--) {
      const part = query.folded.slice(a, a + size);
      if (size > 1 || part[0].length >= 3) parts.push({ a, size, part, index: bisect(part.join(" ")) - 1 });
    }
  }
  // A name leads a query or ends it ("Kon Tum thi đua", "thi đua Đắk Lắk"): those starts are opened first.
  const order = [...new Set([0, n - 2, n - 1, ...query.folded.keys()])].filter((a) => a >= 0);
  const byStart = [...parts].sort((x, y) => order.indexOf(x.a) - order.indexOf(y.a));
  let spent = 0;
  const open = new Set();
  for (const { index } of byStart) {
    const { file, size } = SHARDS[index];
    if (shardCache.has(file) || open.has(index)) open.add(index);
    else if (spent + size <= EXTRA) {
      spent += size;
      open.add(index);
    }
  }
  const rowsOf = new Map(await Promise.all([...open].map(async (i) => [i, await load(i)])));
  parts.sort((x, y) => y.size - x.size || x.a - y.a);
  const found = [];
  const taken = new Array(n).fill(false);
  for (const { a, size, part, index } of parts) {
    if (!rowsOf.has(index) || taken.slice(a, a + size).some(Boolean)) continue;
    const rest = [...query.original.slice(0, a), ...query.original.slice(a + size)].join(" ");
    const lower = query.lower.slice(a, a + size);
    for (const row of rowsOf.get(index)) {
      const name = row.slice(4).find((candidate) => {
        const folded = parse(candidate).folded;
        return folded.length === size && folded.every((w, i) => w === part[i]);
      });
      if (name === undefined) continue;
      const accents = runAt(parse(name).lower, lower) >= 0;
      found.push(record(row, name, [-size, accents ? 0 : 1, name.length], rest));
      taken.fill(true, a, a + size);
    }
  }
  found.sort(compare);
  return found;
}

function withinLink(hit) {
  // "Tìm trong …": the search page with this record's filter set, the reader's other words and filters kept.
  const [, key, noun] = KINDS[hit.kind] || [];
  if (!key || !hit.within) return null;
  const params = new URLSearchParams(location.search);
  if (hit.rest) params.set("q", hit.rest);
  else params.delete("q");
  params.set(key, hit.within);
  const a = document.createElement("a");
  a.className = "name-hit__within";
  a.href = `${location.pathname}?${params}`;
  a.textContent = hit.rest ? `Tìm “${hit.rest}” trong ${noun} này` : `Tìm trong ${noun} này`;
  const hidden = document.createElement("span");
  hidden.className = "visually-hidden";
  hidden.textContent = `: ${hit.name}`;
  a.append(hidden);
  return a;
}

function paragraph(className, text) {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}

function renderHits(found, complete) {
  hitList.replaceChildren();
  for (const hit of found.slice(0, SHOWN)) {
    const li = document.createElement("li");
    li.className = "name-hit";
    const title = document.createElement("h3");
    title.className = "name-hit__title";
    const link = document.createElement("a");
    link.href = `${SITEURL}/${hit.url}`;
    link.textContent = hit.name;
    title.append(link);
    li.append(paragraph("name-hit__kind", (KINDS[hit.kind] || [""])[0]), title);
    if (hit.context) li.append(paragraph("name-hit__context", hit.context));
    if (hit.matched !== hit.name) li.append(paragraph("name-hit__alias", `Tên khác: ${hit.matched}`));
    const within = withinLink(hit);
    if (within) li.append(within);
    hitList.append(li);
  }
  const extra = found.length - SHOWN;
  moreNote.textContent = extra > 0 ? `Còn ${extra} tên khác cũng khớp; gõ thêm để thu hẹp.`
    : complete ? "" : "Có thể còn tên khác cũng khớp; gõ thêm để thu hẹp.";
  moreNote.hidden = !moreNote.textContent;
  section.hidden = !found.length;
}

let hitsRun = 0;

// Direct hits for a query the search page runs (search.js calls it, without waiting).
export async function showDirectHits(text) {
  const id = ++hitsRun;
  const query = parse(text || "");
  if (!query.folded.length) {
    section.hidden = true;
    hitList.replaceChildren();
    return;
  }
  section.setAttribute("aria-busy", "true"); // until the shard is read: the last hits stay, marked stale
  let { found, complete } = await lookup(query);
  if (!found.length && query.folded.length > 1) found = await inside(query);
  if (id !== hitsRun) return;
  renderHits(found, complete);
  section.removeAttribute("aria-busy");
}

// Suggestions: the WAI-ARIA combobox pattern (list autocomplete, focus stays in the input).

let options = [];
let active = -1;
let suggestRun = 0;
let timer = 0;

function setActive(index) {
  const items = [...listbox.children];
  active = index;
  items.forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
  if (index >= 0) {
    input.setAttribute("aria-activedescendant", items[index].id);
    items[index].scrollIntoView({ block: "nearest" });
  } else {
    input.removeAttribute("aria-activedescendant");
  }
}

function close() {
  listbox.hidden = true;
  input.setAttribute("aria-expanded", "false");
  setActive(-1);
}

// Closed by the reader (Escape, Tab, a search sent): a lookup still under way must not open the list again.
function dismiss() {
  suggestRun++;
  clearTimeout(timer);
  close();
}

function open() {
  if (!options.length) return;
  listbox.hidden = false;
  input.setAttribute("aria-expanded", "true");
}

function go(index) {
  const hit = options[index];
  if (hit) location.assign(`${SITEURL}/${hit.url}`);
}

// ``typed``: the input's text the list answers (data-query). A list drawn again (a lookup of a longer query ends
// after a shorter one's) keeps the option the reader moved to, if it is still there.
function renderOptions(found, typed) {
  const chosen = active >= 0 && options[active] ? options[active].url : null;
  options = found.slice(0, SUGGESTED);
  listbox.dataset.query = typed;
  listbox.replaceChildren();
  options.forEach((hit, i) => {
    const li = document.createElement("li");
    li.id = `goi-y-${i}`;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    const name = document.createElement("span");
    name.className = "search-suggest__name";
    name.textContent = hit.name;
    const meta = document.createElement("span");
    meta.className = "search-suggest__meta";
    const parts = [(KINDS[hit.kind] || [""])[0]];
    if (hit.matched !== hit.name) parts.push(`tên khác: ${hit.matched}`);
    meta.textContent = parts.filter(Boolean).join(" · ");
    li.append(name, " ", meta);
    li.addEventListener("click", () => go(i));
    listbox.append(li);
  });
  active = -1;
  input.removeAttribute("aria-activedescendant");
  if (!options.length) {
    close();
    return;
  }
  const wasOpen = !listbox.hidden;
  open();
  const kept = chosen === null ? -1 : options.findIndex((hit) => hit.url === chosen);
  if (wasOpen && kept >= 0) setActive(kept);
}

async function suggest() {
  const id = ++suggestRun;
  const typed = input.value;
  const query = parse(typed);
  if (query.folded.join("").length < 2) {
    options = [];
    close();
    return;
  }
  const { found } = await lookup(query);
  if (id !== suggestRun || document.activeElement !== input) return;
  renderOptions(found, typed);
}

input.setAttribute("role", "combobox");
input.setAttribute("aria-autocomplete", "list");
input.setAttribute("aria-controls", listbox.id);
input.setAttribute("aria-expanded", "false");
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(suggest, 120);
});
input.addEventListener("keydown", (event) => {
  if (event.isComposing) return;
  const openNow = !listbox.hidden;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    if (!options.length) return;
    event.preventDefault();
    if (!openNow) {
      open();
      setActive(event.key === "ArrowDown" ? 0 : options.length - 1);
      return;
    }
    const last = options.length - 1;
    if (event.key === "ArrowDown") setActive(active >= last ? 0 : active + 1);
    else setActive(active <= 0 ? last : active - 1);
  } else if (event.key === "Enter" && openNow && active >= 0) {
    event.preventDefault();
    go(active);
  } else if (event.key === "Escape" && openNow) {
    event.preventDefault();
    dismiss();
  } else if (event.key === "Tab") {
    dismiss();
  }
});
input.addEventListener("blur", close);
// A click on an option must not blur the input first (the listbox would close under the pointer).
listbox.addEventListener("mousedown", (event) => event.preventDefault());
form.addEventListener("submit", dismiss);
