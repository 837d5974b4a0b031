import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { create as createFont, type Font, type FontCollection } from 'fontkit';

/** The styles the PDF writer asks for. */
export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'mono';

/** A font file loaded once: its bytes for pdfkit and its character map for choosing it. */
export interface LoadedFace {
  /** The name it is registered under in every PDF (`doc.registerFont`). */
  readonly name: string;
  readonly bytes: Buffer;
  /** A collection's member (`.ttc`), by PostScript name. */
  readonly member?: string;
  covers(codePoint: number): boolean;
}

/** Per style: the bundled face first, then fallbacks (CJK) tried in order. */
export interface PdfFonts {
  readonly faces: readonly LoadedFace[];
  readonly chains: Readonly<Record<FontStyle, readonly LoadedFace[]>>;
}

/** One piece of text and the registered font that draws all of it. */
export interface FontRun {
  text: string;
  font: string;
}

/**
 * DejaVu (npm `dejavu-fonts-ttf`, Bitstream Vera licence + public domain):
 * one TrueType file per style covering Latin, Greek, Cyrillic, Armenian,
 * Georgian, Hebrew, Arabic and many symbols. Noto Sans on npm (fontsource)
 * comes split into per-script subsets of woff files; DejaVu is one file per
 * style, already TrueType, so pdfkit embeds and subsets it directly.
 */
const DEJAVU: Record<FontStyle, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
};

/**
 * CJK has no reasonably sized font on npm (Noto Sans JP/SC from fontsource
 * or expo-google-fonts are 50-160 MB unpacked), so CJK text is drawn with the
 * first of these system fonts that exists: Debian's fonts-wqy-microhei
 * (WenQuanYi Micro Hei, 5 MB, Apache-2.0: Chinese, Japanese kana, Hangul and
 * Latin, so a table cell mixing them fits one face; installed in the
 * snapshots image and by .ci/run), Noto CJK, Droid Sans Fallback, then macOS
 * and Windows fonts for `npm start` on a laptop. Without any of them,
 * characters no font has are drawn as U+FFFD.
 */
export const SYSTEM_FALLBACK_FONTS: readonly string[] = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/System/Library/Fonts/Hiragino Sans GB.ttc',
  '/Library/Fonts/Arial Unicode.ttf',
  'C:\\Windows\\Fonts\\msyh.ttc',
  'C:\\Windows\\Fonts\\msgothic.ttc',
];

const REPLACEMENT = 0xfffd;

const require = createRequire(import.meta.url);

function dejavuDir(): string {
  // The package has no entry point: find its folder through its package.json.
  return join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
}

function isCollection(font: Font | FontCollection): font is FontCollection {
  return 'fonts' in font;
}

function loadFace(name: string, path: string): LoadedFace {
  const bytes = readFileSync(path);
  const opened = createFont(bytes);
  const font = isCollection(opened) ? opened.fonts[0] : opened;
  if (!font) throw new Error(`font collection ${path} holds no font`);
  return {
    name,
    bytes,
    ...(isCollection(opened) ? { member: font.postscriptName } : {}),
    covers: (codePoint) => font.hasGlyphForCodePoint(codePoint),
  };
}

/** Loads the bundled faces and the first fallback of `fallbackPaths` that exists (none: no fallback). */
export function loadPdfFonts(fallbackPaths: readonly string[] = SYSTEM_FALLBACK_FONTS): PdfFonts {
  const dir = dejavuDir();
  const own = Object.fromEntries((Object.keys(DEJAVU) as FontStyle[]).map((style) => [style, loadFace(`copycloud-${style}`, join(dir, DEJAVU[style]))])) as Record<
    FontStyle,
    LoadedFace
  >;
  const fallbackPath = fallbackPaths.find((path) => existsSync(path));
  const fallback = fallbackPath ? [loadFace('copycloud-fallback', fallbackPath)] : [];
  const chain = (style: FontStyle) => [own[style], ...fallback];
  return {
    faces: [...Object.values(own), ...fallback],
    chains: { regular: chain('regular'), bold: chain('bold'), italic: chain('italic'), boldItalic: chain('boldItalic'), mono: chain('mono') },
  };
}

let defaults: PdfFonts | undefined;
/** The fonts every PDF export uses, read from disk on first use (about 4 MB, never changes while running). */
export function defaultPdfFonts(): PdfFonts {
  defaults ??= loadPdfFonts();
  return defaults;
}

/** Characters every face may lack without it mattering: line breaks and tabs are layout, not glyphs. */
const isLayout = (codePoint: number) => codePoint === 0x0a || codePoint === 0x09;

/**
 * Splits `text` into runs, each drawn by the first face of the style's chain
 * that has the character. Spaces, combining marks and other characters the
 * current face also has stay in the current run (fewer font switches, marks
 * stay on their letter); a character no face has becomes U+FFFD in the first
 * face, so the PDF never holds a glyph that reads back as something else.
 */
export function fontRuns(text: string, fonts: PdfFonts, style: FontStyle): FontRun[] {
  const chain = fonts.chains[style];
  const primary = chain[0]!;
  const runs: FontRun[] = [];
  let current: LoadedFace | null = null;
  let buffer = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    // Control characters other than line breaks and tabs have no place in a PDF text run.
    if ((codePoint < 0x20 && !isLayout(codePoint)) || codePoint === 0x7f) continue;
    let face: LoadedFace;
    let drawn = char;
    if (isLayout(codePoint) || (current && current.covers(codePoint))) face = current ?? primary;
    else {
      const found = chain.find((candidate) => candidate.covers(codePoint));
      face = found ?? primary;
      if (!found) drawn = String.fromCodePoint(REPLACEMENT);
    }
    if (face !== current && buffer) {
      runs.push({ text: buffer, font: current!.name });
      buffer = '';
    }
    current = face;
    buffer += drawn;
  }
  if (buffer) runs.push({ text: buffer, font: current!.name });
  return runs;
}

/**
 * One face for a whole piece of text (a table cell holds one font): the first
 * of the chain that has every character, else the one that has the most,
 * with the characters it lacks drawn as U+FFFD.
 */
export function singleFaceText(text: string, fonts: PdfFonts, style: FontStyle): FontRun {
  const chain = fonts.chains[style];
  const chars = [...text].filter((char) => {
    const codePoint = char.codePointAt(0)!;
    return !((codePoint < 0x20 && !isLayout(codePoint)) || codePoint === 0x7f);
  });
  const missing = (face: LoadedFace) => chars.filter((char) => !isLayout(char.codePointAt(0)!) && !face.covers(char.codePointAt(0)!)).length;
  let best = chain[0]!;
  let bestMissing = missing(best);
  for (const face of chain.slice(1)) {
    if (bestMissing === 0) break;
    const count = missing(face);
    if (count < bestMissing) [best, bestMissing] = [face, count];
  }
  const drawn = chars.map((char) => (isLayout(char.codePointAt(0)!) || best.covers(char.codePointAt(0)!) ? char : String.fromCodePoint(REPLACEMENT))).join('');
  return { text: drawn, font: best.name };
}
