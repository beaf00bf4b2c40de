/**
 * The command palette's matching: which entries a typed query keeps, best first. Pure, so the
 * palette's behaviour is tested without rendering it.
 *
 * Every word of the query must match some field of an entry (its label, detail or a keyword),
 * case-insensitively, as one of, from best to worst: the start of the field, the start of a
 * word in it, anywhere in it, or pieces that each start a word, in order ("usea" finds
 * "us-east-1", "ps" finds "Prod – sessions"). Matches in the label rank above the others.
 * Loose letter-by-letter matching is left out on purpose: in a list of region names nearly
 * every short query would match nearly everything.
 */

export interface Searchable {
  label: string;
  detail?: string;
  keywords?: readonly string[];
}

const FIELD_PENALTY = 0.5;
const WORD_SEPARATOR = /[\s\-_·.,:;/()[\]{}'"“”]+/u;

function normalize(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

/** Whether `needle` splits into pieces that each start one of `words`, in order. */
function startsWords(needle: string, words: readonly string[], from = 0): boolean {
  if (needle === "") return true;
  for (let w = from; w < words.length; w++) {
    const word = words[w] ?? "";
    for (let k = Math.min(needle.length, word.length); k > 0; k--) {
      if (word.startsWith(needle.slice(0, k)) && startsWords(needle.slice(k), words, w + 1)) {
        return true;
      }
    }
  }
  return false;
}

function wordScore(word: string, field: string): number | null {
  if (field.startsWith(word)) return 0;
  const words = field.split(WORD_SEPARATOR).filter(Boolean);
  if (words.some((part) => part.startsWith(word))) return 1;
  if (field.includes(word)) return 2;
  return startsWords(word, words) ? 3 : null;
}

/** How well `query` matches `item` (lower is better), or null when it does not. */
export function matchScore(query: string, item: Searchable): number | null {
  const words = normalize(query).split(/\s+/u).filter(Boolean);
  const fields = [item.label, item.detail ?? "", ...(item.keywords ?? [])].map(normalize);
  let total = 0;
  for (const word of words) {
    let best = Number.POSITIVE_INFINITY;
    for (const [index, field] of fields.entries()) {
      const score = wordScore(word, field);
      if (score !== null) best = Math.min(best, index === 0 ? score : score + FIELD_PENALTY);
    }
    if (best === Number.POSITIVE_INFINITY) return null;
    total += best;
  }
  return total;
}

/** The items `query` matches, best first; equal matches keep their given order. */
export function rank<T extends Searchable>(query: string, items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index, score: matchScore(query, item) }))
    .filter((entry): entry is { item: T; index: number; score: number } => entry.score !== null)
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .map((entry) => entry.item);
}
