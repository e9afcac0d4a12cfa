// Search page of the portal: Pagefind in the browser, state in the URL.
//
// - Pagefind (45 KB + 68 KB of WebAssembly) loads only when a search runs or
//   the query box gets focus, so the page itself stays small.
// - Pagefind silently drops a query word that matches nothing ("thi xyz"
//   would return every page with "thi"); each word is checked on its own
//   first, and a word with no match empties the result and is named.
// - "đ" is folded at index time (the "kd" meta field), so "dua" finds "đua";
//   highlights are added here for words that only match once folded.
// - Filter-only browsing is left to the static taxonomy pages: it would
//   otherwise download the whole index.
// - The index comes in bundles, newest records first (data-bundles). A small
//   word summary (summary.js) says which bundles hold every query word, so a
//   word missing from the whole archive is named without opening Pagefind, and
//   a rare name in old news is found by the first query: only the bundles that
//   can hold it are merged. A common query opens its newest bundles until the
//   results are enough; "Tìm cả trong tin cũ hơn" reaches further on request.
// - Results where the query's words stand together, in order, come first (a
//   Pagefind exact-phrase search beside the plain one); a quoted query is only
//   a phrase. The title is the record's heading, which Pagefind weighs above
//   the body.

const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const statusEl = document.getElementById("search-status");
const list = document.getElementById("search-list");
const more = document.getElementById("search-more");
const help = document.getElementById("search-help");
const browse = document.getElementById("search-browse");
const sortSelect = document.getElementById("sap-xep");
const selects = [...form.querySelectorAll("select[data-filter]")];
const older = document.getElementById("search-older");
import { fold, words } from "./text.js";
import { common, lookup } from "./summary.js";
import { showDirectHits } from "./names.js";
const SITEURL = form.dataset.siteurl || "";
// tim-kiem/kho.json: per bundle [oldest date, years, word-index bytes]; 0 is Pagefind's primary (a placeholder).
let bundles = null;
const PAGE_SIZE = 10;
const ENOUGH = Number(form.dataset.enough || PAGE_SIZE);
// Bundles a query opens by itself. A rare word sorts into the same index chunk
// as its common neighbours ("duaa" next to "dua"), so an unbounded hunt could
// download every bundle's biggest chunk; past this, the reader decides.
const AUTO = Number(form.dataset.auto || 4);
const AUTO_BYTES = Number(form.dataset.autoBytes || 160000);
const RARE_BYTES = Number(form.dataset.rareBytes || 320000);
const WORD_KEYS = new Set((form.dataset.words || "").split(" ").filter(Boolean));
const PHRASE_VARIANTS = 4; // spellings of a phrase tried for typed "d" that may be "đ"

let pagefind = null;
const merged = new Set([0]); // bundles merged so far (bundle 0 is Pagefind's primary index)
let current = { results: [], shown: 0, words: [], run: 0, reach: 0 };

async function loadPagefind() {
  if (!pagefind) {
    pagefind = import(`${SITEURL}/pagefind/pagefind.js`).then(async (pf) => {
      // No web worker: queries are short, and the worker script would cost another 41 KB.
      await pf.options({ noWorker: true, ranking: { diacriticSimilarity: 0.8 } });
      pf.init();
      return pf;
    });
  }
  return pagefind;
}

function dayText(day) {
  // A day (since 1970-01-01) as dd/mm/yyyy, whatever the reader's locale.
  const d = new Date(day * 86400000);
  const two = (n) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

async function loadBundles() {
  // kho.json (search.bundles_file): the newest day, how far back each bundle reaches, its word index in KB.
  bundles ??= fetch(`${SITEURL}/tim-kiem/kho.json`).then((r) => r.json()).then(({ newest, back, kb }) => {
    const out = [{ oldest: "", years: [], bytes: 0 }]; // 0: Pagefind's primary index, a placeholder
    let reach = newest;
    back.forEach((days, i) => {
      const top = reach;
      if (days !== null) reach -= days;
      const years = [];
      if (days !== null) {
        for (let y = new Date(reach * 86400000).getUTCFullYear(); y <= new Date(top * 86400000).getUTCFullYear(); y++) {
          years.push(String(y));
        }
      }
      out.push({ oldest: days === null ? "" : dayText(reach), years, bytes: kb[i] * 1000 });
    });
    return out;
  });
  return bundles;
}

async function mergeBundles(pf, numbers) {
  for (const n of numbers) {
    if (!merged.has(n)) {
      await pf.mergeIndex(`${SITEURL}/pagefind/kho-${n}/`);
      merged.add(n);
    }
  }
}

function few(candidates, all) {
  // The summary left few bundles (a rare word or name): their word index fits RARE_BYTES.
  return candidates.reduce((sum, n) => sum + all[n].bytes, 0) <= RARE_BYTES;
}

function within(candidates, all, count) {
  // How many of the newest candidates a query opens by itself: AUTO at most; all of them when
  // they are few, else no more word index than AUTO_BYTES (one bundle at least).
  if (few(candidates, all)) return Math.min(count, candidates.length);
  let bytes = 0;
  let n = 0;
  while (n < Math.min(count, candidates.length)) {
    bytes += all[candidates[n]].bytes;
    if (n && bytes > AUTO_BYTES) break;
    n++;
  }
  return n;
}

function phrases(found) {
  // The query as a phrase, and with "đ" for a typed "d" where the archive spells that word with đ.
  let out = [[]];
  for (const item of found) {
    const plain = item.word === item.folded && item.word.startsWith("d");
    const spellings = plain && item.stroked ? [item.word, `đ${item.word.slice(1)}`] : [item.word];
    out = out.flatMap((head) => spellings.map((w) => [...head, w])).slice(0, PHRASE_VARIANTS);
  }
  return out.map((ws) => `"${ws.join(" ")}"`);
}

async function ranked(pf, query, found, filters) {
  // Phrase hits first, then the rest in Pagefind's order.
  const plain = await pf.search(query, { filters });
  if (query.includes('"') || found.length < 2) return plain;
  const seen = new Set();
  const phrase = [];
  for (const variant of phrases(found)) {
    for (const result of (await pf.search(variant, { filters })).results) {
      if (!seen.has(result.id)) {
        seen.add(result.id);
        phrase.push(result);
      }
    }
  }
  // A phrase search scores every hit alike: order them by the plain search's score (title above body).
  const score = new Map(plain.results.map((r) => [r.id, r.score]));
  phrase.sort((a, b) => (score.get(b.id) ?? 0) - (score.get(a.id) ?? 0));
  return { ...plain, results: [...phrase, ...plain.results.filter((r) => !seen.has(r.id))] };
}

function stateFromURL() {
  const params = new URLSearchParams(location.search);
  const state = { q: params.get("q") || "", sort: params.get("sap-xep") || "", filters: {} };
  for (const select of selects) {
    const value = params.get(select.name) || "";
    if (value) state.filters[select.name] = value;
  }
  return state;
}

function stateFromForm() {
  const state = { q: input.value.trim(), sort: sortSelect.value, filters: {} };
  for (const select of selects) if (select.value) state.filters[select.name] = select.value;
  return state;
}

function urlFor(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const select of selects) if (state.filters[select.name]) params.set(select.name, state.filters[select.name]);
  if (state.sort) params.set("sap-xep", state.sort);
  const query = params.toString();
  return location.pathname + (query ? `?${query}` : "");
}

function applyState(state) {
  input.value = state.q;
  sortSelect.value = state.sort;
  for (const select of selects) {
    const wanted = state.filters[select.name] || "";
    select.value = [...select.options].some((o) => o.value === wanted) ? wanted : "";
  }
}

function selectedOption(select) {
  return select.value ? select.options[select.selectedIndex] : null;
}

function pagefindFilters() {
  const filters = {};
  for (const select of selects) {
    const option = selectedOption(select);
    if (option) filters[select.name] = option.dataset.name;
  }
  return filters;
}

function setStatus(text) {
  statusEl.textContent = text;
}

function resetCounts() {
  for (const select of selects) {
    for (const option of select.options) {
      if (!option.value || option.dataset.count === undefined) continue;
      option.textContent = `${option.textContent.replace(/ \(\d+\)$/, "")} (${option.dataset.count})`;
      option.disabled = false;
    }
  }
}

function updateCounts(counts) {
  // Counts of the current results, per filter value (Pagefind's "filters").
  for (const select of selects) {
    const byName = counts[select.name] || {};
    for (const option of select.options) {
      if (!option.value) continue;
      const n = byName[option.dataset.name] || 0;
      option.textContent = `${option.textContent.replace(/ \(\d+\)$/, "")} (${n})`;
      option.disabled = n === 0 && option.value !== select.value;
    }
  }
}

function highlight(container, excerpt, queryWords) {
  // Pagefind's excerpt marks exact matches with <mark>; words that match only
  // once folded (Đắk for "dak") are marked here. Text is inserted as text.
  const folded = new Set(queryWords.map(fold));
  const parts = excerpt.split(/(<mark>.*?<\/mark>)/);
  const decoder = document.createElement("textarea");
  for (const part of parts) {
    const marked = part.startsWith("<mark>");
    decoder.innerHTML = marked ? part.slice(6, -7) : part;
    const text = decoder.value;
    if (marked) {
      const mark = document.createElement("mark");
      mark.textContent = text;
      container.append(mark);
      continue;
    }
    for (const piece of text.split(/([\p{L}\p{N}]+)/u)) {
      if (piece && folded.has(fold(piece))) {
        const mark = document.createElement("mark");
        mark.textContent = piece;
        container.append(mark);
      } else if (piece) {
        container.append(document.createTextNode(piece));
      }
    }
  }
}

async function renderMore(run) {
  const batch = current.results.slice(current.shown, current.shown + PAGE_SIZE);
  const data = await Promise.all(batch.map((r) => r.data()));
  if (run !== current.run) return;
  for (const item of data) {
    const li = document.createElement("li");
    li.className = "search-hit";
    const title = document.createElement("h3");
    title.className = "search-hit__title";
    const link = document.createElement("a");
    link.href = item.url;
    link.textContent = item.meta.title || item.url;
    title.append(link);
    const meta = document.createElement("p");
    meta.className = "search-hit__meta";
    const kind = (item.filters.loai || [])[0] || "";
    meta.textContent = [kind, item.meta.ngay].filter(Boolean).join(" · ");
    const excerpt = document.createElement("p");
    excerpt.className = "search-hit__excerpt";
    highlight(excerpt, item.excerpt || "", current.words);
    li.append(title, meta, excerpt);
    list.append(li);
  }
  current.shown += batch.length;
  more.hidden = current.shown >= current.results.length;
}

function describeFilters() {
  const names = selects.map(selectedOption).filter(Boolean).map((o) => o.dataset.name);
  return names.length ? ` trong ${names.join(", ")}` : "";
}

function showBrowse() {
  // Filters without words: the static taxonomy pages list everything, cheaply.
  const chosen = selects.map(selectedOption).filter(Boolean);
  browse.replaceChildren();
  if (!chosen.length) {
    browse.hidden = true;
    setStatus("Nhập từ khóa rồi bấm “Tìm”.");
    return;
  }
  const p = document.createElement("p");
  p.textContent = "Nhập từ khóa để tìm trong bộ lọc đã chọn, hoặc xem toàn bộ tin bài tại: ";
  chosen.forEach((option, i) => {
    const a = document.createElement("a");
    a.href = option.dataset.url;
    a.textContent = option.dataset.name;
    if (i) p.append(", ");
    p.append(a);
  });
  browse.append(p);
  browse.hidden = false;
  setStatus("Chưa có từ khóa.");
}

async function run(state) {
  const runId = ++current.run;
  const previousReach = current.reach;
  list.replaceChildren();
  more.hidden = true;
  help.hidden = true;
  browse.hidden = true;
  showDirectHits(state.q); // records named by the query, above the results (names.js); not awaited
  current = { results: [], shown: 0, words: words(state.q), run: runId, reach: 0 };
  if (!current.words.length) {
    resetCounts();
    showBrowse();
    return;
  }
  setStatus("Đang tìm…");
  older.hidden = true;
  // The summary first: a word in no page ends the search before Pagefind loads.
  const [all, found] = await Promise.all([
    loadBundles(), lookup(`${SITEURL}/tim-kiem/tu`, WORD_KEYS, current.words)]);
  if (runId !== current.run) return;
  const missing = found.filter((f) => f.bundles && !f.bundles.size).map((f) => f.word);
  const yearOption = selectedOption(selects.find((s) => s.name === "nam"));
  let candidates = common(found, all.length);
  if (yearOption) candidates = candidates.filter((n) => all[n].years.includes(yearOption.dataset.name));
  if (missing.length || !candidates.length) {
    updateCounts({});
    const why = missing.length ? `không có trang nào chứa “${missing.join("”, “")}”`
      : "không có trang nào chứa cùng lúc các từ này";
    setStatus(`Không tìm thấy kết quả cho “${state.q}”${describeFilters()}: ${why}.`);
    help.hidden = false;
    return;
  }
  const pf = await loadPagefind();
  const filters = pagefindFilters();
  // Newest candidate bundles first, doubling while results are few, up to AUTO by itself;
  // each "older" click doubles the reach of the last search.
  const limit = state.older ? Math.min(candidates.length, Math.max(1, previousReach) * 2)
    : within(candidates, all, AUTO);
  // Few candidates open at once (a rare word is found by the first query); else newest first, doubling.
  let reach = state.older || few(candidates, all) ? limit : 1;
  let search;
  for (;;) {
    const open = candidates.slice(0, reach);
    await mergeBundles(pf, open);
    search = await ranked(pf, state.q, found, { ...filters, kho: { any: open.map(String) } });
    if (search.results.length >= ENOUGH || reach >= limit) break;
    reach = Math.min(reach * 2, limit);
  }
  if (runId !== current.run) return;
  current.reach = reach;
  const open = candidates.slice(0, reach);
  const partial = reach < candidates.length;
  const oldest = all[open[open.length - 1]].oldest;
  const since = partial ? ` trong các tin từ ${oldest} đến nay` : "";
  if (partial) older.textContent = `Tìm cả trong tin cũ hơn (trước ${oldest})`;
  if (state.sort === "moi-nhat") {
    // Pagefind re-sorts merged bundles by score; walking the bundles in order keeps dates in order.
    const ordered = [];
    for (const n of open) {
      const part = await pf.search(state.q, { filters: { ...filters, kho: String(n) }, sort: { date: "desc" } });
      ordered.push(...part.results);
    }
    current.results = ordered;
  } else {
    current.results = search.results;
  }
  if (runId !== current.run) return;
  updateCounts(search.filters || {});
  if (!current.results.length) {
    setStatus(`Không tìm thấy kết quả cho “${state.q}”${describeFilters()}${since}.`);
    help.hidden = false;
    older.hidden = !partial;
    return;
  }
  // Results first, then the announcement: the live region speaks once they are there.
  await renderMore(runId);
  if (runId !== current.run) return;
  setStatus(`Tìm thấy ${current.results.length} kết quả cho “${state.q}”${describeFilters()}${since}.`);
  older.hidden = !partial;
}

function submit() {
  const state = stateFromForm();
  if (urlFor(state) !== location.pathname + location.search) history.pushState(null, "", urlFor(state));
  run(state);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  submit();
});
for (const select of [...selects, sortSelect]) select.addEventListener("change", submit);
input.addEventListener("focus", loadPagefind, { once: true });
more.addEventListener("click", () => renderMore(current.run));
// Each click doubles the span of news searched, so reaching far back stays the reader's choice.
older.addEventListener("click", () => run({ ...stateFromForm(), older: true }));
window.addEventListener("popstate", () => {
  const state = stateFromURL();
  applyState(state);
  run(state);
});

const initial = stateFromURL();
applyState(initial);
run(initial);
