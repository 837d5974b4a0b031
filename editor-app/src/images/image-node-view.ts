import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import type { EditorView, NodeView } from '@tiptap/pm/view';
import type { AuthenticatedImageSources } from './image-sources.js';

/**
 * An image in the editor: the picture through an authenticated blob: URL,
 * and under it its alt text, editable in place (a change is one
 * collaborative attribute update).
 */
export class DocumentImageView implements NodeView {
  readonly dom: HTMLElement;
  private readonly img: HTMLImageElement;
  private readonly alt: HTMLInputElement;
  private readonly error: HTMLElement;
  private src = '';

  constructor(
    private node: ProseMirrorNode,
    private readonly view: EditorView,
    private readonly getPos: () => number | undefined,
    private readonly sources: AuthenticatedImageSources,
  ) {
    this.dom = document.createElement('figure');
    this.dom.className = 'doc-image';
    this.dom.dataset['testid'] = 'doc-image';
    this.img = document.createElement('img');
    this.img.className = 'doc-image__img';
    this.img.draggable = false;
    this.alt = document.createElement('input');
    this.alt.type = 'text';
    this.alt.className = 'doc-image__alt';
    this.alt.placeholder = 'Add alt text (describe the image)';
    this.alt.setAttribute('aria-label', 'Image description (alt text)');
    this.alt.dataset['testid'] = 'doc-image-alt';
    this.alt.addEventListener('change', () => this.saveAlt());
    this.alt.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.saveAlt();
        this.view.focus();
      }
    });
    this.error = document.createElement('p');
    this.error.className = 'doc-image__error';
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.dom.append(this.img, this.alt, this.error);
    this.render();
  }

  update(node: ProseMirrorNode): boolean {
    if (node.type !== this.node.type) return false;
    this.node = node;
    this.render();
    return true;
  }

  /** The alt field is ours: typing there is not editing the document text. */
  stopEvent(event: Event): boolean {
    return event.target === this.alt;
  }

  ignoreMutation(): boolean {
    return true;
  }

  private render(): void {
    const alt = typeof this.node.attrs['alt'] === 'string' ? this.node.attrs['alt'] : '';
    this.img.alt = alt;
    if (document.activeElement !== this.alt) this.alt.value = alt;
    this.alt.readOnly = !this.view.editable;
    this.alt.hidden = !this.view.editable && alt === '';
    const src = typeof this.node.attrs['src'] === 'string' ? this.node.attrs['src'] : '';
    if (src === this.src) return;
    this.src = src;
    this.dom.dataset['src'] = src;
    this.error.hidden = true;
    this.sources.resolve(src).then(
      (url) => {
        if (this.src === src) this.img.src = url;
      },
      (error: unknown) => {
        if (this.src !== src) return;
        this.error.textContent = error instanceof Error ? error.message : String(error);
        this.error.hidden = false;
      },
    );
  }

  private saveAlt(): void {
    const pos = this.getPos();
    const value = this.alt.value.trim();
    if (pos === undefined || value === (this.node.attrs['alt'] ?? '')) return;
    this.view.dispatch(this.view.state.tr.setNodeMarkup(pos, undefined, { ...this.node.attrs, alt: value }));
  }
}
