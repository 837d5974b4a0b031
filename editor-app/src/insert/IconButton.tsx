import type { LucideIcon } from 'lucide-react';

export interface IconButtonProps {
  readonly icon: LucideIcon;
  /** The accessible name and the tooltip (with the shortcut, when there is one). */
  readonly title: string;
  readonly testId: string;
  readonly active?: boolean;
  readonly disabled?: boolean;
  readonly onPress: () => void;
}

/** A toolbar button drawn with an icon; the title is its name. */
export function IconButton({ icon: Icon, title, testId, active, disabled = false, onPress }: IconButtonProps) {
  return (
    <button
      type="button"
      className={active ? 'toolbar__button toolbar__button--active' : 'toolbar__button'}
      title={title}
      aria-label={title}
      // Only toggles say whether they are on; plain commands have no pressed state.
      aria-pressed={active}
      data-testid={testId}
      disabled={disabled}
      // Keep the editor's selection: a mousedown on a button would blur it.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onPress}
    >
      <Icon size={16} strokeWidth={2} aria-hidden="true" focusable="false" />
    </button>
  );
}
