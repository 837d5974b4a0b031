import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Window } from 'happy-dom';
import { DOMParser as SchemaParser, type Node as ProseMirrorNode } from '@tiptap/pm/model';
import { EditorState, type Transaction } from '@tiptap/pm/state';
import type { DecorationSet, EditorView } from '@tiptap/pm/view';
import { documentSchema } from '@copycloud/schema/extensions';
import type { ImageToUpload } from './clean-pasted-html.js';
import { pasteFidelityPlugin } from './paste-fidelity.js';

const window = new Window();
// The plugin parses pasted HTML with the page's DOMParser.
Object.assign(globalThis, { DOMParser: window.DOMParser });

const APP_URL = '/api/docs/doc-1/files/0b6f3c1e-5a4d-4f7e-9a2b-1c3d5e7f9a0b.png';

/** Uploads that finish when the test says so. */
function controlledUploads() {
  const started: ImageToUpload[] = [];
  let finish: (url: string | null) => void = () => {};
  const uploads = {
    upload: (image: ImageToUpload) => {
      started.push(image);
      return new Promise<string | null>((resolve) => (finish = resolve));
    },
    reportDropped: () => {},
  };
  return { uploads, started, finish: (url: string | null) => finish(url) };
}

/** A view as far as the plugin uses one: the state, and dispatch. */
function fakeView(state: EditorState) {
  const view = {
    state,
    dispatch(tr: Transaction) {
      view.state = view.state.apply(tr);
      updates.forEach((update) => update());
    },
  };
  const updates: (() => void)[] = [];
  return { view, onUpdate: (update: () => void) => updates.push(update) };
}

/** What ProseMirror's paste does with text/html: transformPastedHTML, parse, replace the selection. */
function paste(view: { state: EditorState; dispatch(tr: Transaction): void }, html: string) {
  const plugin = view.state.plugins[0];
  const cleaned = plugin?.props.transformPastedHTML?.call(plugin, html, view as unknown as EditorView) ?? html;
  const container = window.document.createElement('div');
  container.innerHTML = cleaned;
  const slice = SchemaParser.fromSchema(view.state.schema).parseSlice(container as unknown as HTMLElement);
  view.dispatch(view.state.tr.replaceSelection(slice).setMeta('paste', true).setMeta('uiEvent', 'paste'));
}

function blocks(doc: ProseMirrorNode): string[] {
  const out: string[] = [];
  doc.forEach((node) => out.push(node.type.name === 'image' ? `img ${String(node.attrs['src'])}` : `${node.type.name} ${node.textContent}`));
  return out;
}

function widgets(state: EditorState): number {
  return (state.plugins[0]?.getState(state) as DecorationSet).find().length;
}

function setup() {
  const uploads = controlledUploads();
  const plugin = pasteFidelityPlugin(uploads.uploads);
  const { view, onUpdate } = fakeView(EditorState.create({ schema: documentSchema(), plugins: [plugin] }));
  const pluginView = plugin.spec.view?.(view as unknown as EditorView);
  onUpdate(() => pluginView?.update?.(view as unknown as EditorView, view.state));
  return { view, uploads };
}

const HTML = '<p>Before</p><p><img src="https://cdn.example/a.png" alt="Swatch"></p><p>After</p>';

test('PASTE2 a pasted image never reaches the document as its original URL: the paste lands without it, a local widget holds its place, the uploaded URL goes there', async () => {
  const { view, uploads } = setup();
  paste(view, HTML);
  assert.deepEqual(blocks(view.state.doc), ['paragraph Before', 'paragraph After'], 'the same transaction took the placeholder out');
  assert.equal(widgets(view.state), 1);
  assert.deepEqual(
    uploads.started.map((image) => [image.src, image.alt]),
    [['https://cdn.example/a.png', 'Swatch']],
  );

  uploads.finish(APP_URL);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(blocks(view.state.doc), ['paragraph Before', `img ${APP_URL}`, 'paragraph After']);
  assert.equal(view.state.doc.child(1).attrs['alt'], 'Swatch');
  assert.equal(widgets(view.state), 0);
});

test('PASTE2 an image whose upload fails, or whose place was deleted meanwhile, is not inserted', async () => {
  const failed = setup();
  paste(failed.view, HTML);
  failed.uploads.finish(null);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(blocks(failed.view.state.doc), ['paragraph Before', 'paragraph After']);
  assert.equal(widgets(failed.view.state), 0);

  const deleted = setup();
  paste(deleted.view, HTML);
  deleted.view.dispatch(deleted.view.state.tr.delete(0, deleted.view.state.doc.content.size));
  assert.equal(widgets(deleted.view.state), 0);
  deleted.uploads.finish(APP_URL);
  await new Promise((resolve) => setImmediate(resolve));
  assert.ok(!blocks(deleted.view.state.doc).some((line) => line.startsWith('img')), JSON.stringify(blocks(deleted.view.state.doc)));
});
