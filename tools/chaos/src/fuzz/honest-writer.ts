/**
 * The honest side of the hostile-update fuzz: an editor typing tokens into
 * the document the way the editor stores it (paragraph XmlElements holding an
 * XmlText in the `default` fragment), now and then a new paragraph, and a
 * filler it types and deletes again (so its updates carry delete sets). Each
 * token is remembered by its Yjs ids, so a checker can tell whether exactly
 * those characters survive in a replica, whatever else an attacker added.
 */
import * as Y from 'yjs';
import { between, type Random } from '../harness/random.js';
import { Peer } from './cluster.js';

export interface TokenEdit {
  index: number;
  text: string;
  client: number;
  clock: number;
  /** Made after the attack began. */
  duringAttack: boolean;
}

export class HonestWriter {
  readonly peer: Peer;
  readonly tokens: TokenEdit[] = [];
  /** The writer's own updates, as sent (attack material). */
  readonly captured: Uint8Array[] = [];
  attackStarted = false;
  /** The filler typed last step, by relative position (others may have edited around it since). */
  private filler: { text: Y.XmlText; start: Y.RelativePosition; length: number } | null = null;
  /** Errors the writer's own Yjs threw while editing (an attacker's content made its doc unusable). */
  readonly errors: string[] = [];

  constructor(documentName: string, clientId: number, private readonly random: Random) {
    const doc = new Y.Doc();
    doc.clientID = clientId;
    this.peer = new Peer('writer', doc, documentName);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this.peer.provider) return; // remote
      this.captured.push(update);
      if (this.captured.length > 200) this.captured.splice(0, 100);
    });
  }

  get doc(): Y.Doc {
    return this.peer.doc;
  }

  private lastText(): Y.XmlText {
    const fragment = this.doc.getXmlFragment('default');
    for (let i = fragment.length - 1; i >= 0; i--) {
      const element = fragment.get(i);
      if (element instanceof Y.XmlElement && element.nodeName === 'paragraph') {
        const text = element.get(0);
        if (text instanceof Y.XmlText) return text;
      }
    }
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    fragment.insert(fragment.length, [paragraph]);
    return text;
  }

  /** One edit; never throws (an error is recorded in `errors`). */
  step(): void {
    try {
      this.edit();
    } catch (error) {
      this.filler = null;
      if (this.errors.length < 20) this.errors.push((error as Error).message);
    }
  }

  /** Usually a token at the end of the last paragraph. */
  private edit(): void {
    const roll = this.random();
    if (this.filler) {
      const { text, start, length } = this.filler;
      this.filler = null;
      const at = Y.createAbsolutePositionFromRelativePosition(start, this.doc);
      if (at && at.type === text) text.delete(at.index, Math.min(length, text.length - at.index));
      return;
    }
    if (roll < 0.08 && this.tokens.length > 0) {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText()]);
      const fragment = this.doc.getXmlFragment('default');
      fragment.insert(fragment.length, [paragraph]);
    } else if (roll < 0.2) {
      const text = this.lastText();
      const at = between(this.random, 0, text.length);
      text.insert(at, '~~~');
      this.filler = { text, start: Y.createRelativePositionFromTypeIndex(text, at), length: 3 };
      return;
    }
    const text = this.lastText();
    const index = this.tokens.length;
    const token = `[${index}]`;
    const before = Y.getState(this.doc.store, this.doc.clientID);
    text.insert(text.length, token, this.random() < 0.2 ? { bold: true } : {});
    // A marked insert opens with a format item: the token's characters start after it.
    let clock = before;
    while (!((Y.getItem(this.doc.store, Y.createID(this.doc.clientID, clock)) as Y.Item).content instanceof Y.ContentString)) clock += 1;
    this.tokens.push({ index, text: token, client: this.doc.clientID, clock, duringAttack: this.attackStarted });
  }

  acked(token: TokenEdit): boolean {
    return token.clock + token.text.length <= this.peer.ackedClock;
  }
}

/** Whether `doc` holds exactly the characters of `token`, not deleted. */
export function tokenIntact(doc: Y.Doc, token: TokenEdit): boolean {
  for (let i = 0; i < token.text.length; i++) {
    let struct: Y.Item | Y.GC;
    try {
      struct = Y.getItem(doc.store, Y.createID(token.client, token.clock + i)) as Y.Item | Y.GC;
    } catch {
      return false;
    }
    if (!(struct instanceof Y.Item) || struct.deleted || !(struct.content instanceof Y.ContentString)) return false;
    if (struct.content.str[token.clock + i - struct.id.clock] !== token.text[i]) return false;
  }
  return true;
}

/** Whether `doc` holds every character of `token` as a deleted item (deleted by someone, not missing). */
export function tokenDeleted(doc: Y.Doc, token: TokenEdit): boolean {
  for (let i = 0; i < token.text.length; i++) {
    try {
      const struct = Y.getItem(doc.store, Y.createID(token.client, token.clock + i)) as Y.Item | Y.GC;
      if (struct instanceof Y.Item && !struct.deleted) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** The editor text of a replica, paragraphs joined by newlines (for comparisons and notes). */
export function fragmentText(doc: Y.Doc): string {
  return doc.getXmlFragment('default').toString();
}
