import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GUEST_COLORS } from '../identity/guest-identity.js';
import {
  BLACK,
  contrastRatio,
  GRAPHIC_CONTRAST_MIN,
  parseHexColor,
  readableTextOn,
  relativeLuminance,
  TEXT_CONTRAST_MIN,
  toHex,
  visibleOn,
  WHITE,
  type Rgb,
} from './contrast.js';
import { PAPER_DARK, PAPER_LIGHT } from './palette.js';

const rgb = (hex: string): Rgb => parseHexColor(hex) as Rgb;

test('UI5 parses #rgb and #rrggbb, refuses other notations', () => {
  assert.deepEqual(parseHexColor('#fff'), { r: 255, g: 255, b: 255 });
  assert.deepEqual(parseHexColor(' #0F766E '), { r: 15, g: 118, b: 110 });
  assert.equal(parseHexColor('red'), null);
  assert.equal(parseHexColor('#0f766e80'), null);
  assert.equal(parseHexColor('rgb(1 2 3)'), null);
  assert.equal(toHex({ r: 15.4, g: 300, b: -2 }), '#0fff00');
});

test('UI5 luminance and contrast follow WCAG (black on white is 21:1)', () => {
  assert.equal(relativeLuminance(rgb('#000000')), 0);
  assert.equal(relativeLuminance(rgb('#ffffff')), 1);
  assert.equal(contrastRatio(rgb('#000'), rgb('#fff')), 21);
  assert.equal(contrastRatio(rgb('#fff'), rgb('#000')), 21, 'order does not matter');
  // Known pair: #767676 on white is the classic 4.54:1.
  assert.ok(Math.abs(contrastRatio(rgb('#767676'), rgb('#ffffff')) - 4.54) < 0.01);
});

test('UI5 label text on any person colour reaches 4.5:1 (black or white, whichever reads better)', () => {
  assert.equal(readableTextOn('#ffff00'), BLACK, 'yellow gets black text');
  assert.equal(readableTextOn('#4338ca'), WHITE, 'indigo gets white text');
  assert.equal(readableTextOn('not a colour'), WHITE);
  // Every colour on a coarse grid of the RGB cube, plus the guest palette.
  const samples: string[] = [...GUEST_COLORS];
  for (let r = 0; r <= 255; r += 17) for (let g = 0; g <= 255; g += 17) for (let b = 0; b <= 255; b += 17) samples.push(toHex({ r, g, b }));
  for (const color of samples) {
    const ratio = contrastRatio(rgb(color), rgb(readableTextOn(color)));
    assert.ok(ratio >= TEXT_CONTRAST_MIN, `${color}: ${ratio.toFixed(2)}:1`);
  }
});

test('UI5 a caret colour is moved just enough to stand out on the light and the dark page', () => {
  assert.equal(visibleOn('#4338CA', PAPER_LIGHT), '#4338ca', 'already visible on white: unchanged');
  const onDark = visibleOn('#4338ca', PAPER_DARK);
  assert.notEqual(onDark, '#4338ca', 'indigo is too dark for the dark page');
  assert.ok(contrastRatio(rgb(onDark), rgb(PAPER_DARK)) >= GRAPHIC_CONTRAST_MIN);
  assert.ok(contrastRatio(rgb(onDark), rgb(PAPER_DARK)) < GRAPHIC_CONTRAST_MIN + 0.3, 'no further than needed');
  assert.equal(visibleOn('teal', PAPER_DARK), 'teal', 'what cannot be parsed is left alone');
  for (let r = 0; r <= 255; r += 51) {
    for (let g = 0; g <= 255; g += 51) {
      for (let b = 0; b <= 255; b += 51) {
        const color = toHex({ r, g, b });
        for (const page of [PAPER_LIGHT, PAPER_DARK]) {
          const shown = visibleOn(color, page);
          assert.ok(contrastRatio(rgb(shown), rgb(page)) >= GRAPHIC_CONTRAST_MIN, `${color} on ${page} became ${shown}`);
          assert.ok(contrastRatio(rgb(shown), rgb(readableTextOn(shown))) >= TEXT_CONTRAST_MIN, `${shown} label text`);
        }
      }
    }
  }
});

test('UI5 the palette the carets are computed against is the one theme.css draws', () => {
  const css = readFileSync(new URL('./theme.css', import.meta.url), 'utf8');
  assert.match(css, new RegExp(`--paper: light-dark\\(${PAPER_LIGHT}, ${PAPER_DARK}\\)`));
});
