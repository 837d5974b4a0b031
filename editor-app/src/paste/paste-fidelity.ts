import { Extension } from '@tiptap/core';
import type { Node as ProseMirrorNode, Slice } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { IMAGE_NODE } from '@copycloud/schema/extensions';
import { cleanPastedHtml, PENDING_IMAGE_PREFIX, type ImageToUpload } from './clean-pasted-html.js';
import type { PastedImageUploader } from './pasted-image-uploader.js';

export interface PasteFidelityOptions {
  /** Uploads images found in pasted HTML; none = they are left out. */
  readonly uploader: PasteImageUploads | null;
}

type PendingMeta = { readonly add: readonly { readonly token: string; readonly pos: number }[] } | { readonly remove: string };

const pasteKey = new PluginKey<DecorationSet>('pasteFidelity');

function placeholder(): HTMLElement {
  const element = document.createElement('span');
  element.className = 'paste-image-pending';
  element.dataset['testid'] = 'paste-image-pending';
  element.textContent = 'Uploading pasted image…';
  return element;
}

function hasText(slice: Slice): boolean {
  return slice.content.textBetween(0, slice.content.size, ' ').trim() !== '';
}

function pendingToken(node: ProseMirrorNode): string | null {
  const src = node.attrs['src'];
  return node.type.name === IMAGE_NODE && typeof src === 'string' && src.startsWith(PENDING_IMAGE_PREFIX) ? src.slice(PENDING_IMAGE_PREFIX.length) : null;
}

/**
 * Paste that keeps what was copied (paste/clean-pasted-html.ts does the
 * reading):
 *
 * - HTML from Google Docs, Word and web pages is cleaned before the schema
 *   parses it (`transformPastedHTML`).
 * - Its images come in as placeholders: the same transaction that pastes
 *   them takes them out again (`appendTransaction`, so they never reach the
 *   shared document) and leaves a local "Uploading…" widget where each was;
 *   when an upload lands, the image goes where its widget has moved to; if
 *   that text was deleted meanwhile, or the upload failed, nothing is inserted.
 * - Ctrl+Shift+V / ⌘+Shift+V pastes plain text: ProseMirror reads the Shift
 *   key and parses only `text/plain`, a paragraph per line, with no marks but
 *   those at the cursor (Chrome's "paste and match style" sends only text).
 * - Word for Mac and Excel also put a picture of the copied text on the
 *   clipboard; when there is HTML with text, the text wins over that picture
 *   (this runs before the image upload's own paste handler).
 */
export const PasteFidelity = Extension.create<PasteFidelityOptions>({
  name: 'pasteFidelity',
  // Before ImageUploads (priority 100), whose paste handler takes any clipboard that carries an image file.
  priority: 1000,

  addOptions() {
    return { uploader: null };
  },

  addProseMirrorPlugins() {
    return [pasteFidelityPlugin(this.options.uploader)];
  },
});

/** What the plugin needs of the uploader (PastedImageUploader; a stand-in in tests). */
export type PasteImageUploads = Pick<PastedImageUploader, 'upload' | 'reportDropped'>;

/** The plugin behind PasteFidelity (see there), on its own so it can be tested without an editor. */
export function pasteFidelityPlugin(uploader: PasteImageUploads | null): Plugin<DecorationSet> {
  // Images read from pasted HTML, by token, until their paste lands in the document.
  const awaiting = new Map<string, ImageToUpload>();
  // Tokens placed in the document, whose upload starts on the next view update.
  const toStart: string[] = [];
  let view: EditorView | null = null;
  let tokens = 0;
  const session = Math.random().toString(36).slice(2, 8);

  const settle = (token: string, url: string | null, alt: string) => {
    if (!view) return;
    const widget = pasteKey.getState(view.state)?.find(undefined, undefined, (spec) => spec['token'] === token)[0];
    if (!widget) return; // its text was deleted while the image uploaded
    const tr = view.state.tr.setMeta(pasteKey, { remove: token } satisfies PendingMeta);
    if (url) {
      const image = view.state.schema.nodes[IMAGE_NODE]?.create({ src: url, alt });
      const $pos = tr.doc.resolve(widget.from);
      if (image && $pos.parent.canReplaceWith($pos.index(), $pos.index(), image.type)) tr.insert(widget.from, image);
      else if (image) tr.replaceRangeWith(widget.from, widget.from, image);
    }
    view.dispatch(tr);
  };

  return new Plugin<DecorationSet>({
    key: pasteKey,
    state: {
      init: () => DecorationSet.empty,
      apply(tr, set) {
        let next = set.map(tr.mapping, tr.doc);
        const meta = tr.getMeta(pasteKey) as PendingMeta | undefined;
        if (meta && 'add' in meta) {
          next = next.add(
            tr.doc,
            meta.add.map(({ token, pos }) => Decoration.widget(pos, placeholder, { token, side: -1 })),
          );
        } else if (meta && 'remove' in meta) {
          next = next.remove(next.find(undefined, undefined, (spec) => spec['token'] === meta.remove));
        }
        return next;
      },
    },
    props: {
      decorations: (state) => pasteKey.getState(state),
      transformPastedHTML(html) {
        const cleaned = cleanPastedHtml(html, {
          parse: (source) => new DOMParser().parseFromString(source, 'text/html'),
          nextToken: () => `${session}-${++tokens}`,
        });
        for (const image of cleaned.uploads) awaiting.set(image.token, image);
        uploader?.reportDropped(cleaned.dropped);
        return cleaned.html;
      },
      handlePaste(editorView, event, slice) {
        const data = event.clipboardData;
        const hasImageFile = [...(data?.files ?? [])].some((file) => file.type.startsWith('image/'));
        if (!hasImageFile || !data?.getData('text/html') || !hasText(slice)) return false;
        // The text, not the picture of it (see above): what ProseMirror's own paste would do.
        editorView.dispatch(editorView.state.tr.replaceSelection(slice).scrollIntoView().setMeta('paste', true).setMeta('uiEvent', 'paste'));
        return true;
      },
    },
    appendTransaction(transactions: readonly Transaction[], _oldState, state) {
      if (awaiting.size === 0 || !transactions.some((tr) => tr.docChanged)) return null;
      const found: { pos: number; node: ProseMirrorNode; token: string }[] = [];
      state.doc.descendants((node, pos) => {
        const token = pendingToken(node);
        if (token !== null) found.push({ pos, node, token });
        return token === null;
      });
      // Images of a paste that never landed (another handler took the event) are forgotten, so typing does not scan the document again.
      const landed = new Set(found.map(({ token }) => token));
      for (const token of awaiting.keys()) if (!landed.has(token) && !toStart.includes(token)) awaiting.delete(token);
      if (found.length === 0) return null;
      const tr = state.tr;
      const placed: { token: string; pos: number; from: number }[] = [];
      // Back to front, so each position is still right when its turn comes.
      for (const { pos, node, token } of found.reverse()) {
        const $pos = tr.doc.resolve(pos);
        const defaultType = $pos.parent.type.contentMatch.defaultType;
        // The only child of a table cell cannot just go: an empty paragraph keeps the cell valid.
        if ($pos.parent.childCount === 1 && defaultType) tr.replaceWith(pos, pos + node.nodeSize, defaultType.create());
        else tr.delete(pos, pos + node.nodeSize);
        placed.push({ token, pos, from: tr.steps.length });
      }
      const add = placed
        .filter(({ token }) => awaiting.has(token) && uploader)
        .map(({ token, pos, from }) => ({ token, pos: tr.mapping.slice(from).map(pos, -1) }));
      for (const { token } of add) toStart.push(token);
      for (const { token } of placed) if (!add.some((entry) => entry.token === token)) awaiting.delete(token);
      return tr.setMeta(pasteKey, { add } satisfies PendingMeta);
    },
    view(editorView) {
      view = editorView;
      return {
        update() {
          for (const token of toStart.splice(0)) {
            const image = awaiting.get(token);
            awaiting.delete(token);
            if (!image || !uploader) continue;
            void uploader.upload(image).then((url) => settle(token, url, image.alt));
          }
        },
        destroy() {
          view = null;
        },
      };
    },
  });
}
