import type { SlashItem } from './slash-items.js';

export interface SlashMenuProps {
  readonly items: readonly SlashItem[];
  readonly highlighted: number;
  readonly onChoose: (item: SlashItem) => void;
}

/**
 * The list under the "/": the editor keeps the keyboard focus (↑ ↓ move the
 * highlight, Enter chooses, Esc closes: slash-command.ts), so this is an
 * ARIA listbox the editor points at, and a click chooses too.
 */
export function SlashMenu({ items, highlighted, onChoose }: SlashMenuProps) {
  if (items.length === 0) {
    return (
      <div className="slash-menu slash-menu--empty" data-testid="slash-menu">
        No matching block
      </div>
    );
  }
  return (
    <div className="slash-menu" role="listbox" id="slash-menu" aria-label="Insert block" data-testid="slash-menu">
      {items.map((item, index) => (
        <div
          key={item.kind}
          id={`slash-item-${item.kind}`}
          role="option"
          aria-selected={index === highlighted}
          className={index === highlighted ? 'slash-menu__item slash-menu__item--active' : 'slash-menu__item'}
          data-testid={`slash-item-${item.kind}`}
          // Keep the editor's selection: choosing must not blur it.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onChoose(item)}
        >
          <span className="slash-menu__title">{item.title}</span>
          <span className="slash-menu__hint">{item.hint}</span>
        </div>
      ))}
    </div>
  );
}
