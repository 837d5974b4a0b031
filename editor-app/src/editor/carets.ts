import type { DecorationAttrs } from '@tiptap/pm/view';
import { parseHexColor, readableTextOn, toHex, visibleOn } from '../theme/contrast.js';
import { FALLBACK_CARET_COLOR, PAPER_DARK, PAPER_LIGHT } from '../theme/palette.js';

/**
 * How other people's carets and selections look: a thin bar in their colour
 * with their name on a small label above it (styles in styles.css). The
 * colour is adjusted per theme so the bar stands out from the page (3:1) and
 * the label text is black or white, whichever reaches 4.5:1 on it; the
 * stylesheet picks the light or dark pair. The label fades after a moment
 * without movement (CSS), so it does not keep covering the line above.
 */
export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = colorOf(user);
  const name = typeof user['name'] === 'string' ? user['name'] : 'Someone';

  const caret = document.createElement('span');
  caret.classList.add('collaboration-carets__caret');
  for (const [property, value] of Object.entries(caretColors(color))) caret.style.setProperty(property, value);
  caret.dataset['testid'] = 'remote-caret';
  caret.dataset['name'] = name;

  const label = document.createElement('span');
  label.classList.add('collaboration-carets__label');
  label.textContent = name;

  caret.append(label);
  return caret;
}

/** The custom properties a caret is drawn with (`--caret-light`, `--caret-dark` and their label inks). */
export function caretColors(color: string): Record<string, string> {
  const onLight = visibleOn(color, PAPER_LIGHT);
  const onDark = visibleOn(color, PAPER_DARK);
  return {
    '--caret-light': onLight,
    '--caret-light-ink': readableTextOn(onLight),
    '--caret-dark': onDark,
    '--caret-dark-ink': readableTextOn(onDark),
  };
}

export function renderSelection(user: Record<string, unknown>): DecorationAttrs {
  const color = colorOf(user);
  // The user's colour at ~20% opacity, on either page.
  return { nodeName: 'span', class: 'collaboration-carets__selection', style: `background-color: color-mix(in srgb, ${color} 20%, transparent)` };
}

/** The awareness colour as `#rrggbb` (it comes from other people's browsers: nothing else reaches a style). */
function colorOf(user: Record<string, unknown>): string {
  const parsed = typeof user['color'] === 'string' ? parseHexColor(user['color']) : null;
  return parsed ? toHex(parsed) : FALLBACK_CARET_COLOR;
}

/** The awareness API this needs (the provider's `awareness`). */
interface AwarenessLike {
  getStates(): Map<number, Record<string, unknown>>;
  on(event: 'change', listener: (changes: { added: number[]; updated: number[]; removed: number[] }) => void): void;
  off(event: 'change', listener: (changes: { added: number[]; updated: number[]; removed: number[] }) => void): void;
}

/**
 * Shows a caret's name again when its person moves or types. ProseMirror keeps
 * a caret's element while it moves along a line (the widget's key is the
 * client id), so the label's fade-out (CSS) would run only once; this
 * restarts it whenever that person's awareness cursor changes. Carets are
 * found by name and colour, as drawn by `renderCaret`. Returns the unsubscribe.
 */
export function showCaretLabelsOnActivity(awareness: AwarenessLike, root: () => ParentNode | null): () => void {
  const lastCursor = new Map<number, string>();
  let frame = 0;
  const moved = new Set<number>();
  const restart = () => {
    frame = 0;
    const states = awareness.getStates();
    const container = root();
    for (const clientId of moved) {
      const user = states.get(clientId)?.['user'];
      if (!container || typeof user !== 'object' || user === null) continue;
      const name = (user as Record<string, unknown>)['name'];
      for (const caret of container.querySelectorAll<HTMLElement>('.collaboration-carets__caret')) {
        if (caret.dataset['name'] !== name) continue;
        for (const animation of caret.querySelector('.collaboration-carets__label')?.getAnimations() ?? []) {
          animation.cancel();
          animation.play();
        }
      }
    }
    moved.clear();
  };
  const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    const states = awareness.getStates();
    for (const clientId of [...added, ...updated]) {
      const cursor = JSON.stringify(states.get(clientId)?.['cursor'] ?? null);
      if (lastCursor.get(clientId) === cursor) continue;
      lastCursor.set(clientId, cursor);
      moved.add(clientId);
    }
    for (const clientId of removed) lastCursor.delete(clientId);
    // After the caret plugin has redrawn (it listens to the same event).
    if (moved.size > 0 && frame === 0) frame = requestAnimationFrame(restart);
  };
  awareness.on('change', onChange);
  return () => {
    awareness.off('change', onChange);
    if (frame !== 0) cancelAnimationFrame(frame);
  };
}
