import { useState } from 'react';
import { parseLinkInput } from './link-href.js';

export interface LinkDialogProps {
  readonly initialHref: string;
  /** A valid address, or null to remove the link. */
  readonly onApply: (href: string | null) => void;
  readonly onCancel: () => void;
}

/** The small link form under the toolbar (Ctrl+K or the link button); Enter applies, Esc cancels. */
export function LinkDialog({ initialHref, onApply, onCancel }: LinkDialogProps) {
  const [value, setValue] = useState(initialHref);
  const [error, setError] = useState('');
  const apply = () => {
    const parsed = parseLinkInput(value);
    switch (parsed.kind) {
      case 'remove':
        onApply(null);
        return;
      case 'set':
        onApply(parsed.href);
        return;
      case 'invalid':
        setError(parsed.reason);
        return;
      default: {
        const unreachable: never = parsed;
        throw new Error(`unknown link input ${JSON.stringify(unreachable)}`);
      }
    }
  };
  return (
    <form
      className="link-dialog"
      role="dialog"
      aria-label="Link"
      data-testid="link-dialog"
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onCancel();
        }
      }}
    >
      <label className="link-dialog__label">
        Link address
        <input
          className="link-dialog__input"
          data-testid="link-href"
          type="text"
          inputMode="url"
          autoFocus
          value={value}
          placeholder="https://example.com"
          aria-invalid={error !== ''}
          aria-describedby={error ? 'link-dialog-error' : undefined}
          onChange={(event) => {
            setValue(event.target.value);
            setError('');
          }}
        />
      </label>
      <button type="submit" className="button" data-testid="link-apply">
        Apply
      </button>
      {initialHref && (
        <button type="button" className="button" data-testid="link-remove" onClick={() => onApply(null)}>
          Remove
        </button>
      )}
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      {error && (
        <p className="link-dialog__error" id="link-dialog-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
