/** What the link dialog makes of what was typed. */
export type LinkInput = { readonly kind: 'remove' } | { readonly kind: 'set'; readonly href: string } | { readonly kind: 'invalid'; readonly reason: string };

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:', 'tel:']);

/**
 * Empty removes the link; "example.com/x" becomes "https://example.com/x";
 * an e-mail address becomes mailto:; only http(s), mailto and tel are kept
 * (never javascript: or data:).
 */
export function parseLinkInput(raw: string): LinkInput {
  const text = raw.trim();
  if (!text) return { kind: 'remove' };
  if (/\s/.test(text)) return { kind: 'invalid', reason: 'A link address has no spaces.' };
  if (/^[^@/:]+@[^@/:]+\.[^@/:]+$/.test(text)) return { kind: 'set', href: `mailto:${text}` };
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { kind: 'invalid', reason: `"${text}" is not a web address.` };
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return { kind: 'invalid', reason: `Links can be web addresses, e-mail or phone numbers, not ${url.protocol} addresses.` };
  if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.hostname.includes('.') && url.hostname !== 'localhost') {
    return { kind: 'invalid', reason: `"${text}" is not a web address.` };
  }
  return { kind: 'set', href: withScheme };
}
