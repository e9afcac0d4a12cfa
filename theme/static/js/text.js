// Vietnamese text for the search page: the same folding and word split as
// vietnamese.fold and search_words.py at build time, so a query and the index agree.

export function fold(text) {
  return text.normalize("NFC").toLowerCase().replace(/đ/g, "d")
    .normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");
}

export function words(query) {
  return query.normalize("NFC").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}
