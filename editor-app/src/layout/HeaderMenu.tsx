import type { ReactNode } from 'react';
import { ThemeToggle } from '../theme/ThemeToggle.js';
import { useDisclosure } from './use-disclosure.js';
import './header.css';

/**
 * The header's actions (History, Share, account, theme). Wide windows show
 * them in a row; phone and tablet widths (header.css) fold them behind a
 * "Menu" button — a disclosure, not an ARIA menu: the panel holds ordinary
 * buttons and the dialogs and panels they open, so those keep working while it
 * is open. Esc (outside a dialog) and a click elsewhere close it.
 */
export function HeaderMenu({ children }: { children: ReactNode }) {
  const { open, root, panelId, toggleProps, onKeyDown } = useDisclosure();

  return (
    <div className="header-menu" ref={root} data-open={open}>
      <button type="button" className="header-menu__toggle" data-testid="header-menu-button" {...toggleProps}>
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
          <path d="M3 5h14M3 10h14M3 15h14" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" fill="none" />
        </svg>
        Menu
      </button>
      <div id={panelId} className="header-menu__panel" data-testid="header-menu" onKeyDown={onKeyDown}>
        {children}
        <ThemeToggle />
      </div>
    </div>
  );
}
