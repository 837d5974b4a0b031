import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { validateUpdate } from './validate-update.js';

const PROTECTED = new Set(['comments', 'restores']);

/** The server's copy: text in `default`, one thread in `comments` (written by the server, client 1). */
function serverDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = 1;
  const paragraph = new Y.XmlText();
  doc.getXmlFragment('default').insert(0, [paragraph]);
  paragraph.insert(0, 'Our product is fast.');
  const thread = new Y.Map<unknown>();
  doc.getMap('comments').set('t1', thread);
  thread.set('id', 't1');
  thread.set('resolved', false);
  const replies = new Y.Array<Y.Map<unknown>>();
  thread.set('replies', replies);
  const first = new Y.Map<unknown>();
  replies.push([first]);
  first.set('body', 'Too vague?');
  return doc;
}

/** A client (client 2) that synced everything from `server`. */
function clientOf(server: Y.Doc): Y.Doc {
  const client = new Y.Doc();
  client.clientID = 2;
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return client;
}

/** The update `change` makes on `doc` (what its socket would send). */
function updateOf(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const listen = (update: Uint8Array) => updates.push(update);
  doc.on('update', listen);
  change(doc);
  doc.off('update', listen);
  return Y.mergeUpdates(updates);
}

function check(update: Uint8Array, server: Y.Doc) {
  return validateUpdate(update, server, { deletesMustBeKnown: true, protectedRoots: PROTECTED });
}

const threadOf = (doc: Y.Doc) => doc.getMap('comments').get('t1') as Y.Map<unknown>;
const textOf = (doc: Y.Doc) => doc.getXmlFragment('default').get(0) as Y.XmlText;

describe('protected roots: only the server writes comments and restores (COMMENT9)', () => {
  test('COMMENT9 text edits, formatting and new blocks in the content pass', () => {
    const server = serverDoc();
    const client = clientOf(server);
    const update = updateOf(client, (doc) => {
      textOf(doc).insert(4, 'new ');
      textOf(doc).format(0, 3, { bold: true });
      textOf(doc).delete(0, 1);
      const paragraph = new Y.XmlElement('paragraph');
      doc.getXmlFragment('default').insert(1, [paragraph]);
      paragraph.insert(0, [new Y.XmlText('Second')]);
    });
    assert.deepEqual(check(update, server).ok, true);
  });

  test('COMMENT9 a new thread written straight into the comments root is refused', () => {
    const server = serverDoc();
    const client = clientOf(server);
    const update = updateOf(client, (doc) => doc.getMap('comments').set('forged', new Y.Map()));
    const verdict = check(update, server);
    assert.equal(verdict.ok, false);
    assert.match((verdict as { problem: string }).problem, /server-only root "comments"/);
  });

  test('COMMENT9 a reply pushed into an existing thread (parent is an item of the document) is refused', () => {
    const server = serverDoc();
    const client = clientOf(server);
    const update = updateOf(client, (doc) => {
      const reply = new Y.Map<unknown>();
      (threadOf(doc).get('replies') as Y.Array<Y.Map<unknown>>).push([reply]);
      reply.set('body', 'forged');
    });
    assert.equal(check(update, server).ok, false);
  });

  test('COMMENT9 overwriting a key of a thread (parent left out, found from the origin) is refused', () => {
    const server = serverDoc();
    const client = clientOf(server);
    const update = updateOf(client, (doc) => threadOf(doc).set('resolved', true));
    const verdict = check(update, server);
    assert.equal(verdict.ok, false, 'the overwrite');
  });

  test('COMMENT9 an item inserted after an existing reply (origin only) is refused', () => {
    const server = serverDoc();
    const client = clientOf(server);
    const update = updateOf(client, (doc) => (threadOf(doc).get('replies') as Y.Array<unknown>).insert(1, ['x']));
    assert.equal(check(update, server).ok, false);
  });

  test('COMMENT9 deleting a thread or a reply is refused (deletions are checked by their target)', () => {
    const server = serverDoc();
    for (const change of [
      (doc: Y.Doc) => doc.getMap('comments').delete('t1'),
      (doc: Y.Doc) => (threadOf(doc).get('replies') as Y.Array<unknown>).delete(0, 1),
    ]) {
      const update = updateOf(clientOf(server), change);
      const verdict = check(update, server);
      assert.equal(verdict.ok, false);
      assert.match((verdict as { problem: string }).problem, /deletes item 1:\d+ of the server-only root "comments"/);
    }
  });

  test('COMMENT9 writing the restores root is refused too', () => {
    const server = serverDoc();
    const update = updateOf(clientOf(server), (doc) => doc.getMap('restores').set('r', 1));
    assert.equal(check(update, server).ok, false);
  });

  test("COMMENT9 an honest sync step 2 passes: it carries the server's own earlier deletions in comments, which change nothing", () => {
    const server = serverDoc();
    const client = clientOf(server);
    // The server resolves the thread (deleting the old value) and the client receives it.
    Y.applyUpdate(client, updateOf(server, (doc) => threadOf(doc).set('resolved', true)));
    textOf(client).insert(0, 'Really: ');
    const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    assert.ok(Y.decodeUpdate(step2).ds.clients.has(1), 'the step 2 carries deletions of client 1 in comments');
    assert.deepEqual(check(step2, server).ok, true);
  });

  test('COMMENT9 a reference to an item nobody holds yet (a guessed future server item) is refused', () => {
    const server = serverDoc();
    // Another copy of the server runs ahead and creates a thread; the hostile client writes into it before the server has it.
    const ahead = new Y.Doc();
    ahead.clientID = 1;
    Y.applyUpdate(ahead, Y.encodeStateAsUpdate(server));
    ahead.getMap('comments').set('t2', new Y.Map());
    const hostile = clientOf(ahead);
    const update = updateOf(hostile, (doc) => (doc.getMap('comments').get('t2') as Y.Map<unknown>).set('body', 'planted'));
    const verdict = check(update, server);
    assert.equal(verdict.ok, false);
    assert.match((verdict as { problem: string }).problem, /neither the update nor the document holds/);
  });

  test('COMMENT9 types nested inside the update itself are followed to their root', () => {
    const server = serverDoc();
    const client = clientOf(server);
    const honest = updateOf(client, (doc) => {
      const list = new Y.XmlElement('bulletList');
      doc.getXmlFragment('default').insert(1, [list]);
      const item = new Y.XmlElement('listItem');
      list.insert(0, [item]);
      item.insert(0, [new Y.XmlText('point')]);
    });
    assert.equal(check(honest, server).ok, true);
    const hostile = updateOf(clientOf(server), (doc) => {
      const nested = new Y.Map<unknown>();
      doc.getMap('comments').set('t3', nested);
      const deeper = new Y.Array<unknown>();
      nested.set('replies', deeper);
      deeper.push(['x']);
    });
    assert.equal(check(hostile, server).ok, false);
  });

  test('COMMENT9 without protectedRoots (stored rows, server updates) the same writes pass', () => {
    const server = serverDoc();
    const update = updateOf(clientOf(server), (doc) => doc.getMap('comments').set('forged', new Y.Map()));
    assert.equal(validateUpdate(update, server, { deletesMustBeKnown: true }).ok, true);
    assert.equal(validateUpdate(update).ok, true);
  });
});
