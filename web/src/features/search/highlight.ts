/** One piece of a highlighted fragment: plain text, or text the search matched. */
export interface HighlightPart {
  text: string;
  mark: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Turns `&amp;`, `&lt;`, `&#39;`, `&#x27;` … back into characters; unknown entities stay as written. */
export function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) {
      const code = Number.parseInt(name.slice(2), 16);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    if (name.startsWith('#')) {
      const code = Number.parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name] ?? whole;
  });
}

/**
 * Splits a search fragment (HTML-escaped text with `<mark>`…`</mark>` around matches) into text
 * and marked parts. Only the exact `<mark>` and `</mark>` tags are read as markup; anything else
 * stays text, so a fragment can never inject elements into the page.
 */
export function parseHighlight(fragment: string): HighlightPart[] {
  const parts: HighlightPart[] = [];
  let mark = false;
  for (const piece of fragment.split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') {
      mark = true;
      continue;
    }
    if (piece === '</mark>') {
      mark = false;
      continue;
    }
    if (!piece) continue;
    const text = unescapeHtml(piece);
    const last = parts[parts.length - 1];
    if (last && last.mark === mark) last.text += text;
    else parts.push({ text, mark });
  }
  return parts;
}
