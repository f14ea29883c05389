/**
 * How the back office's search term becomes a query, the same way in both stores. A term of three
 * characters or more is looked for inside references and payer names, in any case, through a
 * trigram index (SQLite's FTS5 `trigram` tokenizer, PostgreSQL's pg_trgm). A shorter term holds
 * no trigram, so no such index can find it: it must equal a whole reference (in any case), which
 * a plain index finds, rather than make every search of two letters read the whole table. Either
 * way a term may also be a whole checkout id or PaySG payment id.
 * @module
 */

/** Counted in characters, as both trigram indexes count them, not UTF-16 code units. */
export function searchesInside(term: string): boolean {
  return Array.from(term).length >= 3;
}

/**
 * `%`, `_` and `\` stand for themselves: a reference like `50%_OFF` is found only where those
 * characters are. PostgreSQL's LIKE escapes with a backslash by default.
 */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The term as one FTS5 string: inside double quotes every character is literal (operators,
 * `*`, `:`, parentheses), and a double quote is written twice. So `HS-01-23"` is a phrase, never
 * a syntax error. With the trigram tokenizer a phrase matches wherever the term occurs.
 */
export function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}
