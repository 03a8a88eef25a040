// Every piece of response or request text reaches the page through here: the
// five characters that can end a text node or an attribute value are escaped.

/** Safe in text nodes and in double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  // A plain loop: a JSON page has ~100k tokens, and every string token holds
  // quotes, so a regex replace with a callback per match was the page's main cost.
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x3e) continue;
    let replacement: string;
    switch (c) {
      case 0x26:
        replacement = '&amp;';
        break;
      case 0x3c:
        replacement = '&lt;';
        break;
      case 0x3e:
        replacement = '&gt;';
        break;
      case 0x22:
        replacement = '&quot;';
        break;
      case 0x27:
        replacement = '&#39;';
        break;
      default:
        continue;
    }
    out += text.slice(last, i) + replacement;
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}
