/**
 * Colour arithmetic for text and carets drawn on a person's colour (WCAG 2.x
 * relative luminance and contrast ratio). Pure: the caret renderer, the
 * presence avatars and the tests use the same numbers.
 */

/** An sRGB colour, channels 0–255. */
export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

/** WCAG AA for normal text. */
export const TEXT_CONTRAST_MIN = 4.5;
/** WCAG AA for graphical objects (a caret bar against the page). */
export const GRAPHIC_CONTRAST_MIN = 3;

export const BLACK = '#000000';
export const WHITE = '#ffffff';

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** `#rgb` or `#rrggbb`; null for anything else (names, rgb(), 8-digit hex). */
export function parseHexColor(color: string): Rgb | null {
  const match = HEX.exec(color.trim());
  if (!match) return null;
  let hex = match[1] as string;
  if (hex.length === 3) hex = [...hex].map((digit) => digit + digit).join('');
  return { r: Number.parseInt(hex.slice(0, 2), 16), g: Number.parseInt(hex.slice(2, 4), 16), b: Number.parseInt(hex.slice(4, 6), 16) };
}

export function toHex({ r, g, b }: Rgb): string {
  const channel = (value: number) => Math.round(Math.min(255, Math.max(0, value))).toString(16).padStart(2, '0');
  return `#${channel(r)}${channel(g)}${channel(b)}`;
}

function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance({ r, g, b }: Rgb): number {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** 1 (same) to 21 (black on white), order-independent. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * Black or white, whichever reads better on `background`. One of the two
 * always reaches at least 4.58:1, so a label in any colour meets AA.
 * An unparseable colour gets white (drawn on the grey fallback).
 */
export function readableTextOn(background: string): typeof BLACK | typeof WHITE {
  const rgb = parseHexColor(background);
  if (!rgb) return WHITE;
  const black = parseHexColor(BLACK) as Rgb;
  const white = parseHexColor(WHITE) as Rgb;
  return contrastRatio(rgb, black) > contrastRatio(rgb, white) ? BLACK : WHITE;
}

function mix(from: Rgb, to: Rgb, amount: number): Rgb {
  return { r: from.r + (to.r - from.r) * amount, g: from.g + (to.g - from.g) * amount, b: from.b + (to.b - from.b) * amount };
}

/**
 * The person's colour, moved toward black or white (away from `page`) just
 * enough to stand out from the page by `minimum` — so a dark indigo caret
 * stays visible on a dark page and a yellow one on a white page. A colour that
 * already does is returned as it was (normalised to `#rrggbb`).
 */
export function visibleOn(color: string, page: string, minimum = GRAPHIC_CONTRAST_MIN): string {
  const rgb = parseHexColor(color);
  const pageRgb = parseHexColor(page);
  if (!rgb || !pageRgb) return color;
  if (contrastRatio(rgb, pageRgb) >= minimum) return toHex(rgb);
  const target = relativeLuminance(pageRgb) > 0.18 ? { r: 0, g: 0, b: 0 } : { r: 255, g: 255, b: 255 };
  // Contrast grows monotonically along the line to the far end: bisect for the smallest step that is enough.
  let low = 0;
  let high = 1;
  for (let i = 0; i < 20; i++) {
    const middle = (low + high) / 2;
    if (contrastRatio(mix(rgb, target, middle), pageRgb) >= minimum) high = middle;
    else low = middle;
  }
  // Rounding to 8-bit channels could land just below; step on until it is enough.
  let step = high;
  let result = toHex(mix(rgb, target, step));
  while (contrastRatio(parseHexColor(result) as Rgb, pageRgb) < minimum && step < 1) {
    step = Math.min(1, step + 0.01);
    result = toHex(mix(rgb, target, step));
  }
  return result;
}
