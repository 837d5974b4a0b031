import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLOATING_ACTIONS_HEIGHT_PX, FLOATING_GAP_PX, placeSelectionActions } from './selection-actions.js';

test('UI3 desktop: the actions sit beside the page at the selection’s first line', () => {
  assert.deepEqual(placeSelectionActions({ pageRight: 900, top: 200, bottom: 240 }, { width: 1400, height: 800 }), { floating: false, top: 200, left: 908 });
});

test('UI3 no room beside the page: the actions float below the words, never over them', () => {
  const placed = placeSelectionActions({ pageRight: 382, top: 300, bottom: 324 }, { width: 390, height: 844 });
  assert.deepEqual(placed, { floating: true, top: 324 + FLOATING_GAP_PX });
  assert.ok(placed.top > 324);
});

test('UI3 words near the bottom of the window: the actions float above them', () => {
  const placed = placeSelectionActions({ pageRight: 382, top: 780, bottom: 804 }, { width: 390, height: 844 });
  assert.deepEqual(placed, { floating: true, top: 780 - FLOATING_GAP_PX - FLOATING_ACTIONS_HEIGHT_PX });
  assert.ok(placed.top + FLOATING_ACTIONS_HEIGHT_PX < 780);
});

test('UI3 words filling the window: the actions stay inside it, at its bottom', () => {
  const placed = placeSelectionActions({ pageRight: 382, top: 20, bottom: 830 }, { width: 390, height: 844 });
  assert.equal(placed.floating, true);
  assert.ok(placed.top >= 0 && placed.top + FLOATING_ACTIONS_HEIGHT_PX <= 844, JSON.stringify(placed));
});

test('UI3 words scrolled below the window: the actions stay inside it', () => {
  const placed = placeSelectionActions({ pageRight: 382, top: 1200, bottom: 1224 }, { width: 390, height: 844 });
  assert.ok(placed.floating && placed.top >= 0 && placed.top + FLOATING_ACTIONS_HEIGHT_PX <= 844, JSON.stringify(placed));
});
