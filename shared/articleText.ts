/**
 * A knowledge-base article's body: plain text with a small markdown subset (paragraphs, "- "
 * lists, **bold**), never HTML. The desk and the customer centre show it as blocks of text
 * (React text nodes, so nothing in a body can become markup) and put it in a reply as text.
 */

/**
 * An article's body as text for a reply: the small markdown subset (**bold**, "- " lists) is
 * never rendered as HTML; its marks are dropped so a customer reads plain text.
 */
export function articleText(body: string): string {
  return body.replace(/\*\*(.+?)\*\*/g, '$1');
}

/** The article's body cut into blocks to show as text: paragraphs and lists, bold spans marked. */
export type ArticleBlock = { kind: 'p'; spans: Span[] } | { kind: 'ul'; items: Span[][] };
export interface Span {
  text: string;
  bold: boolean;
}

function spans(line: string): Span[] {
  const out: Span[] = [];
  const parts = line.split(/\*\*(.+?)\*\*/g);
  parts.forEach((text, i) => {
    if (text !== '') out.push({ text, bold: i % 2 === 1 });
  });
  return out;
}

export function articleBlocks(body: string): ArticleBlock[] {
  const blocks: ArticleBlock[] = [];
  for (const chunk of body.split(/\n\s*\n/)) {
    const lines = chunk.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    if (lines.every((l) => /^\s*[-*]\s+/.test(l))) blocks.push({ kind: 'ul', items: lines.map((l) => spans(l.replace(/^\s*[-*]\s+/, ''))) });
    else blocks.push({ kind: 'p', spans: spans(lines.join('\n')) });
  }
  return blocks;
}
