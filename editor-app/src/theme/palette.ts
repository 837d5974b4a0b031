/**
 * The page colours of the two themes, as theme.css defines `--paper`
 * (contrast.test.ts checks the stylesheet says the same). Carets and name
 * labels are computed against these.
 */
export const PAPER_LIGHT = '#ffffff';
export const PAPER_DARK = '#1c212b';

/** A caret with no usable colour. */
export const FALLBACK_CARET_COLOR = '#6b7280';
