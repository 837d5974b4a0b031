import { useEffect, useRef, type ReactNode } from 'react';
import './account.css';

interface ModalProps {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  readonly testId?: string;
  readonly wide?: boolean;
}

/**
 * A native modal <dialog>: the browser traps focus, Esc closes it and focus
 * returns to what opened it, so every form in it is keyboard-usable as is.
 */
export function Modal({ title, onClose, children, testId, wide = false }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      className={`modal${wide ? ' modal--wide' : ''}`}
      aria-labelledby="modal-title"
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault(); // React owns whether the dialog is shown
        onClose();
      }}
    >
      <header className="modal__header">
        <h2 id="modal-title" className="modal__title">
          {title}
        </h2>
        <button type="button" className="modal__close" aria-label="Close" data-testid="modal-close" onClick={onClose}>
          ×
        </button>
      </header>
      {children}
    </dialog>
  );
}
