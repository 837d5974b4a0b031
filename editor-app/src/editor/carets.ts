import type { DecorationAttrs } from '@tiptap/pm/view';

/**
 * How other people's carets and selections look: a thin bar in their colour
 * with their name on a small label above it (styles in styles.css).
 */
export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = typeof user['color'] === 'string' ? user['color'] : '#6b7280';
  const name = typeof user['name'] === 'string' ? user['name'] : 'Someone';

  const caret = document.createElement('span');
  caret.classList.add('collaboration-carets__caret');
  caret.style.borderColor = color;
  caret.dataset['testid'] = 'remote-caret';
  caret.dataset['name'] = name;

  const label = document.createElement('span');
  label.classList.add('collaboration-carets__label');
  label.style.backgroundColor = color;
  label.textContent = name;

  caret.append(label);
  return caret;
}

export function renderSelection(user: Record<string, unknown>): DecorationAttrs {
  const color = typeof user['color'] === 'string' ? user['color'] : '#6b7280';
  // 8-digit hex: the user's colour at ~20% opacity.
  return { nodeName: 'span', class: 'collaboration-carets__selection', style: `background-color: ${color}33` };
}
