import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

/**
 * A disclosure (a button that shows and hides a panel of ordinary controls —
 * not an ARIA menu), as the header's menus use it: a click outside `root`
 * closes it, and so does Esc inside it unless a dialog or an inner disclosure
 * took that Esc first (it then refocuses the toggle).
 */
export function useDisclosure() {
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

  return {
    open,
    close: () => setOpen(false),
    root,
    panelId,
    /** Spread on the toggle button. */
    toggleProps: { ref: toggle, 'aria-expanded': open, 'aria-controls': panelId, onClick: () => setOpen((value) => !value) },
    /** On the element around the panel: Esc closes this disclosure, once. */
    onKeyDown: (event: KeyboardEvent) => {
      // A dialog's own Esc closes the dialog; an inner disclosure's Esc closes only that one.
      if (event.key !== 'Escape' || !open || event.defaultPrevented || (event.target as Element).closest('dialog')) return;
      event.preventDefault();
      setOpen(false);
      toggle.current?.focus();
    },
  };
}
