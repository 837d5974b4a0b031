/**
 * Why two replicas with the same state vector show different content: the
 * structs they hold compared id by id. Either an id carries different content
 * or sits in a different parent in the two (the same clocks were written
 * twice, differently: only the first copy a replica saw counts there), or the
 * same items are deleted differently, or they are ordered differently within
 * one parent (an origin problem).
 */
import * as Y from 'yjs';

interface Entry {
  content: string;
  parent: string;
  deleted: boolean;
}

function parentKey(item: Y.Item): string {
  const parent = item.parent as Y.AbstractType<any> | null;
  const owner = parent?._item;
  const name = owner ? `${owner.id.client}:${owner.id.clock}` : parent ? `root:${rootName(parent)}` : 'none';
  return item.parentSub === null ? name : `${name}.${item.parentSub}`;
}

function rootName(type: Y.AbstractType<any>): string {
  const doc = type.doc;
  if (!doc) return '?';
  for (const [name, t] of doc.share) if (t === type) return name;
  return '?';
}

function contentKey(item: Y.Item, offset: number): string {
  const content = item.content;
  if (content instanceof Y.ContentString) return `str:${content.str[offset]}`;
  if (content instanceof Y.ContentType) return `type:${content.type.constructor.name}${content.type instanceof Y.XmlElement ? `<${content.type.nodeName}>` : ''}`;
  if (content instanceof Y.ContentFormat) return `format:${content.key}=${JSON.stringify(content.value)}`;
  if (content instanceof Y.ContentDeleted) return 'deleted';
  return `${content.constructor.name}:${JSON.stringify(content.getContent()[offset] ?? null)}`;
}

/** Per id (`client:clock`), what a replica holds there (GC'd ranges left out: their content is gone). */
function entries(doc: Y.Doc): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const [client, structs] of doc.store.clients) {
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue;
      const parent = parentKey(struct);
      for (let i = 0; i < struct.length; i++) {
        out.set(`${client}:${struct.id.clock + i}`, { content: contentKey(struct, struct.content instanceof Y.ContentString || struct.content.getContent().length === struct.length ? i : 0), parent, deleted: struct.deleted });
      }
    }
  }
  return out;
}

/** Visible and deleted ids of every list in `doc`, in document order, by parent key. */
function orders(doc: Y.Doc): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (type: Y.AbstractType<any>, key: string) => {
    const ids: string[] = [];
    for (let item = type._start; item; item = item.right) {
      for (let i = 0; i < item.length; i++) ids.push(`${item.id.client}:${item.id.clock + i}`);
      if (item.content instanceof Y.ContentType) visit(item.content.type, `${item.id.client}:${item.id.clock}`);
    }
    for (const item of type._map.values()) if (item.content instanceof Y.ContentType) visit(item.content.type, `${item.id.client}:${item.id.clock}`);
    out.set(key, ids);
  };
  for (const [name, type] of doc.share) visit(type, `root:${name}`);
  return out;
}

/** Up to `max` findings, empty when the two agree struct by struct. */
export function describeDivergence(a: Y.Doc, b: Y.Doc, max = 4): string[] {
  const findings: string[] = [];
  const ea = entries(a);
  const eb = entries(b);
  const differentContent: string[] = [];
  const differentParent: string[] = [];
  const differentDeletion: string[] = [];
  for (const [id, x] of ea) {
    const y = eb.get(id);
    if (!y) continue;
    if (x.content !== y.content) differentContent.push(`${id} ${x.content}≠${y.content}`);
    else if (x.parent !== y.parent) differentParent.push(`${id} in ${x.parent}≠${y.parent}`);
    else if (x.deleted !== y.deleted) differentDeletion.push(`${id} deleted ${x.deleted}≠${y.deleted}`);
  }
  if (differentContent.length) findings.push(`${differentContent.length} id(s) hold different content (written twice): ${differentContent.slice(0, max).join(', ')}`);
  if (differentParent.length) findings.push(`${differentParent.length} id(s) sit in different parents: ${differentParent.slice(0, max).join(', ')}`);
  if (differentDeletion.length) findings.push(`${differentDeletion.length} id(s) deleted in one only: ${differentDeletion.slice(0, max).join(', ')}`);
  if (findings.length === 0) {
    const oa = orders(a);
    const ob = orders(b);
    for (const [key, ids] of oa) {
      const other = ob.get(key);
      if (!other) continue;
      const at = ids.findIndex((id, i) => other[i] !== id);
      if (at >= 0 || ids.length !== other.length) {
        const i = at >= 0 ? at : Math.min(ids.length, other.length);
        findings.push(`list ${key} ordered differently from position ${i}: ${ids.slice(i, i + 3).join(' ')} vs ${other.slice(i, i + 3).join(' ')}`);
        if (findings.length >= max) break;
      }
    }
  }
  return findings;
}
