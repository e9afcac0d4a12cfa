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
// - The index comes in bundles, newest records first (data-bundles). A query
//   searches the bundles loaded so far and merges older ones only when a word
//   is not found yet or results are few, so a first query on a large archive
//   stays small; "Tìm cả trong tin cũ hơn" reaches further back on request.

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
const SITEURL = form.dataset.siteurl || "";
const BUNDLES = JSON.parse(form.dataset.bundles || "[]");
const PAGE_SIZE = 10;
const ENOUGH = Number(form.dataset.enough || PAGE_SIZE);
// Bundles a query opens by itself. A rare word sorts into the same index chunk
// as its common neighbours ("duaa" next to "dua"), so an unbounded hunt could
// download every bundle's biggest chunk; past this, the reader decides.
const AUTO = Number(form.dataset.auto || 4);

let pagefind = null;
let merged = 1; // bundles searched so far (bundle 0 is Pagefind's primary index)
let current = { results: [], shown: 0, words: [], run: 0 };

export function fold(text) {
  return text.normalize("NFC").toLowerCase().replace(/đ/g, "d")
    .normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");
}

function words(query) {
  return query.normalize("NFC").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

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

async function mergeBundles(pf, count) {
  // Bundles merge in order, newest first, so bundle i is always instance i.
  for (; merged < Math.min(count, BUNDLES.length); merged++) {
    await pf.mergeIndex(`${SITEURL}/${BUNDLES[merged].path}`);
  }
}

function bundlesForYear(year) {
  // A year filter needs every bundle holding that year, and the ones before it.
  let last = 0;
  BUNDLES.forEach((bundle, i) => { if (bundle.years.includes(year)) last = i; });
  return last + 1;
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
  list.replaceChildren();
  more.hidden = true;
  help.hidden = true;
  browse.hidden = true;
  current = { results: [], shown: 0, words: words(state.q), run: runId };
  if (!current.words.length) {
    resetCounts();
    showBrowse();
    return;
  }
  setStatus("Đang tìm…");
  older.hidden = true;
  const pf = await loadPagefind();
  const filters = pagefindFilters();
  const yearOption = selectedOption(selects.find((s) => s.name === "nam"));
  await mergeBundles(pf, Math.max(state.older ? merged * 2 : merged,
                                  yearOption ? bundlesForYear(yearOption.dataset.name) : 1));
  let missing;
  let search;
  for (;;) {
    missing = [];
    for (const word of current.words) {
      const single = await pf.search(word, { filters });
      if (!single.results.length) missing.push(word);
    }
    search = await pf.search(state.q, { filters });
    // A word not found yet, or few results: look in older bundles too (doubling).
    const limit = Math.max(merged, Math.min(AUTO, BUNDLES.length));
    if ((!missing.length && search.results.length >= ENOUGH) || merged >= limit) break;
    await mergeBundles(pf, Math.min(merged * 2, limit));
  }
  if (runId !== current.run) return;
  const partial = merged < BUNDLES.length;
  const since = partial ? ` trong các tin từ ${BUNDLES[merged - 1].oldest} đến nay` : "";
  if (partial) {
    older.textContent = `Tìm cả trong tin cũ hơn (trước ${BUNDLES[merged - 1].oldest})`;
  }
  if (missing.length) {
    updateCounts({});
    setStatus(`Không tìm thấy kết quả cho “${state.q}”${describeFilters()}: không có trang nào${since} chứa “${missing.join("”, “")}”.`);
    help.hidden = false;
    older.hidden = !partial;
    return;
  }
  if (state.sort === "moi-nhat") {
    // Pagefind re-sorts merged bundles by score; walking the bundles in order keeps dates in order.
    const ordered = [];
    for (let i = 0; i < merged; i++) {
      const part = await pf.search(state.q, { filters: { ...filters, kho: String(i) }, sort: { date: "desc" } });
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
