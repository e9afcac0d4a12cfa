// Which search bundles can hold every word of a query, before Pagefind opens any.
//
// The build writes the summary in shards by a folded word's first two letters
// (search_words.py): {word: "*" | "1-c,f" (bundle ranges, base 36), "đ": [words
// also spelled with đ]}. A query downloads one shard per distinct key. Bundles
// of records are numbered from 1 (0 is Pagefind's primary index, a placeholder).

import { fold } from "./text.js";

const shards = new Map();

const EVERY = "*";

function decode(value) {
  if (value === EVERY) return EVERY;
  const out = [];
  for (const part of value.split(",")) {
    const [a, b] = part.split("-").map((n) => parseInt(n, 36));
    for (let i = a; i <= (b ?? a); i++) out.push(i);
  }
  return out;
}

async function shard(base, key) {
  if (!shards.has(key)) {
    shards.set(key, fetch(`${base}/${encodeURIComponent(key)}.json`).then((r) => (r.ok ? r.json() : {})));
  }
  return shards.get(key);
}

// For each word: the bundles that hold it (a word typed in part, "thanh ph",
// counts the words it begins), whether it is also spelled with đ; null bundles
// for a word in every bundle or of one letter (it constrains nothing). `keys`
// are the shards that exist.
export async function lookup(base, keys, queryWords) {
  // Every shard the query needs is requested at once, not one word after another.
  const needed = queryWords.map((w) => fold(w).slice(0, 2)).filter((key) => key.length === 2 && keys.has(key));
  await Promise.all(needed.map((key) => shard(base, key)));
  const out = [];
  for (const word of queryWords) {
    const folded = fold(word);
    const key = folded.slice(0, 2);
    if (folded.length < 2) {
      out.push({ word, folded, bundles: null, stroked: false });
      continue;
    }
    const data = keys.has(key) ? await shard(base, key) : {};
    let found = null;
    if (data[folded] !== undefined) {
      const value = decode(data[folded]);
      found = value === EVERY ? null : new Set(value);
    } else {
      found = new Set();
      for (const [candidate, value] of Object.entries(data)) {
        if (candidate === "đ" || !candidate.startsWith(folded)) continue;
        const numbers = decode(value);
        if (numbers === EVERY) {
          found = null; // begins a word that is everywhere: constrains nothing
          break;
        }
        for (const b of numbers) found.add(b);
      }
    }
    const stroked = (data["đ"] || []).includes(folded);
    out.push({ word, folded, bundles: found, stroked });
  }
  return out;
}

// Bundles of records holding every constraining word, in order (newest first).
export function common(found, total) {
  let all = Array.from({ length: total - 1 }, (_, i) => i + 1);
  for (const item of found) if (item.bundles) all = all.filter((b) => item.bundles.has(b));
  return all;
}
