import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { countUnsavedChanges, EDIT_GROUP_MS, pendingEdits, recordEdit, type Edit } from './pending-edits.js';

function typeKeys(edits: Edit[], client: number, fromClock: number, keys: number, startMs: number, gapMs: number): Edit[] {
  let out = edits;
  for (let i = 0; i < keys; i++) out = recordEdit(out, client, fromClock + i, fromClock + i + 1, startMs + i * gapMs);
  return out;
}

describe('unsaved changes are counted in edits a person recognises, not characters', () => {
  test('EDIT5 twenty-two keystrokes in one burst are one change', () => {
    const edits = typeKeys([], 7, 0, 22, 0, 80);
    assert.equal(edits.length, 1);
    assert.deepEqual(edits[0], { client: 7, from: 0, to: 22, at: 21 * 80 });
    assert.equal(countUnsavedChanges(edits, new Map([[7, 22]]), new Map(), new Set([7])), 1);
  });

  test('EDIT5 a pause longer than the grouping window starts a new change', () => {
    let edits = typeKeys([], 7, 0, 5, 0, 50);
    edits = typeKeys(edits, 7, 5, 5, 200 + EDIT_GROUP_MS, 50);
    assert.equal(edits.length, 2);
    assert.equal(countUnsavedChanges(edits, new Map([[7, 10]]), new Map(), new Set([7])), 2);
  });

  test('EDIT5 an acknowledgement covering the first burst leaves one pending', () => {
    let edits = typeKeys([], 7, 0, 5, 0, 50);
    edits = typeKeys(edits, 7, 5, 5, 5000, 50);
    assert.equal(pendingEdits(edits, new Map([[7, 5]])).length, 1);
    assert.equal(countUnsavedChanges(edits, new Map([[7, 10]]), new Map([[7, 5]]), new Set([7])), 1);
    assert.equal(countUnsavedChanges(edits, new Map([[7, 10]]), new Map([[7, 10]]), new Set([7])), 0);
  });

  test('EDIT5 a deletion alone (no clock moved) is not a change; another author is not contiguous', () => {
    let edits = recordEdit([], 7, 3, 3, 0);
    assert.equal(edits.length, 0);
    edits = recordEdit(edits, 7, 0, 2, 0);
    edits = recordEdit(edits, 8, 0, 2, 10);
    assert.equal(edits.length, 2);
  });

  test('EDIT5 pending clocks with no remembered edit (e.g. an older record) still count as one change per author', () => {
    assert.equal(countUnsavedChanges([], new Map([[7, 40], [9, 3]]), new Map([[9, 3]]), new Set([7, 9])), 1);
  });
});
