import * as Y from 'yjs';
import type { StateVector } from './pending-changes.js';

/**
 * The text this browser typed that the node has not acknowledged as stored:
 * what a demoted editor (or someone whose document was deleted) would lose.
 * Read from the Yjs items themselves: every text run whose author is local
 * and whose clock lies beyond the durable vector, still present in the
 * document. Runs in one paragraph are joined; paragraphs are separate lines,
 * in the order they were typed.
 */
export function unsavedDraftText(doc: Y.Doc, durable: StateVector, localAuthors: ReadonlySet<number>): string {
  const byParent = new Map<unknown, string>();
  for (const client of localAuthors) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    const durableClock = durable.get(client) ?? 0;
    for (const struct of structs) {
      if (!(struct instanceof Y.Item) || struct.deleted) continue;
      const end = struct.id.clock + struct.length;
      if (end <= durableClock) continue;
      if (!(struct.content instanceof Y.ContentString)) continue;
      const text = struct.content.str.slice(Math.max(0, durableClock - struct.id.clock));
      byParent.set(struct.parent, (byParent.get(struct.parent) ?? '') + text);
    }
  }
  return [...byParent.values()].filter((line) => line.length > 0).join('\n');
}
