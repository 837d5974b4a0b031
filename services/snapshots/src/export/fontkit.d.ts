// fontkit (pdfkit's font engine) ships no types: the little the PDF export uses of it.
declare module 'fontkit' {
  export interface Font {
    readonly postscriptName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export interface FontCollection {
    readonly fonts: Font[];
  }
  /** A font, or a collection (.ttc/.dfont), from its bytes. */
  export function create(buffer: Uint8Array): Font | FontCollection;
}
