import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal built on <dialog>: focus is trapped, Escape closes, and it has an accessible name.
 * `className` is added to "dialog" for a dialog that needs another size.
 */
export function Dialog({ title, open, onClose, children, className }: { title: string; open: boolean; onClose: () => void; children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return (
    <dialog ref={ref} className={className ? `dialog ${className}` : 'dialog'} aria-label={title} onClose={onClose} onCancel={onClose}>
      <header className="dialog-header">
        <h2>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ✕
        </button>
      </header>
      {open ? <div className="dialog-body">{children}</div> : null}
    </dialog>
  );
}
