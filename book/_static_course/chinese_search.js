/*
 * Chinese queries for Sphinx's search (loaded by the Chinese edition only; see
 * book/_ext/editions_language.py). Sphinx indexes Chinese text in words cut by jieba, but splits
 * a query only at spaces and punctuation, so a phrase such as 预训练模型的微调 stays one "word"
 * that the index does not hold, and the search finds nothing. This splitQuery, which
 * searchtools.js uses instead of its own when it is defined, cuts each run of Chinese characters
 * into the longest words the loaded index knows (forward maximum matching). Characters that
 * start no known word of two or more are dropped (的, 和, 在 ...): Sphinx's search requires every
 * term of a query to be on a page, and a single character says little.
 */
var splitQuery = (query) => {
  const words = query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter((w) => w);
  const index = typeof Search !== "undefined" ? Search._index : null;
  if (!index) return words;
  const known = (w) => w in index.terms || w in index.titleterms;
  const longest = 8; // the longest word tried, in characters
  const out = [];
  for (const word of words) {
    if (!/\p{Script=Han}/u.test(word) || known(word)) {
      out.push(word);
      continue;
    }
    const chars = [...word];
    let i = 0;
    while (i < chars.length) {
      let j = Math.min(chars.length, i + longest);
      while (j > i + 1 && !known(chars.slice(i, j).join(""))) j--;
      if (j > i + 1 || chars.length === 1) out.push(chars.slice(i, j).join(""));
      i = j;
    }
  }
  return out;
};
