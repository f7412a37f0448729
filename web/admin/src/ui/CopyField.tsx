import { useEffect, useId, useRef, useState } from 'react';
import { Button } from './Button.tsx';

/**
 * A read-only value to hand on (a redemption link), with a Copy button. Falls back to selecting
 * the text when the clipboard is not available (an http:// origin, a denied permission), so the
 * admin can copy it with the keyboard.
 */
export function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'copied' | 'selected' | null>(null);

  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(null), 4000);
    return () => window.clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('copied');
    } catch {
      input.current?.select();
      setCopied('selected');
    }
  };

  return (
    <div className="field">
      <div className="field-label">
        <label htmlFor={id}>{label}</label>
      </div>
      <div className="field-control">
        <input id={id} ref={input} readOnly value={value} spellCheck={false} data-testid={testId} onFocus={(event) => event.currentTarget.select()} />
        <Button onClick={() => void copy()} data-testid={`copy-${testId}`}>
          Copy
        </Button>
      </div>
      <p className="field-hint copy-status" role="status">
        {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'selected' ? 'Selected; press Ctrl+C (or ⌘C) to copy.' : ''}
      </p>
    </div>
  );
}
