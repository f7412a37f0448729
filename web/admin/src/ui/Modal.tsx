import { type ReactNode, useEffect, useId, useRef } from 'react';

interface ModalProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  testId?: string;
}

/**
 * A native modal <dialog>: the browser traps focus, makes the page behind it inert and closes it
 * on Escape. Mount it to open it; focus returns to whatever opened it when it unmounts. The
 * control marked `data-autofocus` gets the focus first (otherwise the first focusable one).
 */
export function Modal({ title, onClose, children, testId }: ModalProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    element.showModal();
    // React handles `autoFocus` itself, before the dialog opens; mark the control to focus with data-autofocus instead.
    element.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    // Escape fires `cancel`; let React state decide when the dialog really goes away.
    const onCancel = (event: Event) => {
      event.preventDefault();
      close.current();
    };
    element.addEventListener('cancel', onCancel);
    return () => {
      element.removeEventListener('cancel', onCancel);
      element.close();
      opener?.focus();
    };
  }, []);

  return (
    <dialog ref={dialog} className="modal" aria-labelledby={headingId} data-testid={testId}>
      <div className="modal-header">
        <h2 id={headingId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div className="modal-body">{children}</div>
    </dialog>
  );
}
