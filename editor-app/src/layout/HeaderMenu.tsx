import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ThemeToggle } from '../theme/ThemeToggle.js';
import './header.css';

/**
 * The header's actions (History, Share, account, theme). Wide windows show
 * them in a row; phone and tablet widths (header.css) fold them behind a
 * "Menu" button — a disclosure, not an ARIA menu: the panel holds ordinary
 * buttons and the dialogs and panels they open, so those keep working while it
 * is open. Esc (outside a dialog) and a click elsewhere close it.
 */
export function HeaderMenu({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && !root.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  return (
    <div className="header-menu" ref={root} data-open={open}>
      <button
        ref={toggle}
        type="button"
        className="header-menu__toggle"
        data-testid="header-menu-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
          <path d="M3 5h14M3 10h14M3 15h14" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" fill="none" />
        </svg>
        Menu
      </button>
      <div
        id={panelId}
        className="header-menu__panel"
        data-testid="header-menu"
        onKeyDown={(event) => {
          // A dialog's own Esc closes the dialog, not the menu.
          if (event.key !== 'Escape' || event.defaultPrevented || (event.target as Element).closest('dialog')) return;
          setOpen(false);
          toggle.current?.focus();
        }}
      >
        {children}
        <ThemeToggle />
      </div>
    </div>
  );
}
