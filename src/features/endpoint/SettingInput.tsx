import { useId, useState, type ReactNode } from 'react';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectEndpointSettings } from '../../store/selectors';
import { displayValue, parseField, type FieldSpec } from './fields';

interface Props {
  readonly spec: FieldSpec;
  readonly hint?: ReactNode;
  readonly type?: 'text' | 'password' | 'url';
  readonly placeholder?: string;
  readonly list?: string;
  readonly disabled?: boolean;
  /** Controls placed after the input (the "Show key" toggle). */
  readonly children?: ReactNode;
}

/**
 * A labelled text field bound to one endpoint setting. What is typed stays local until the field
 * loses focus or Enter (or Escape, which also closes the dialog) is pressed; only then is it
 * validated against the whole settings and committed. Committing on every keystroke would
 * store half-typed URLs and numbers and reset the connection test each time.
 */
export function SettingInput({ spec, hint, type = 'text', placeholder, list, disabled, children }: Props) {
  const store = useAppStoreApi();
  const settings = useAppStore(selectEndpointSettings);
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const value = draft ?? displayValue(spec, settings);

  const commit = (): void => {
    if (draft === null) return;
    const result = parseField(store.getState().ask.settings, spec, draft);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setDraft(null);
    setError(null);
    store.getState().updateSettings(result.patch);
  };

  const onChange = (typed: string): void => {
    setDraft(typed);
    // Once a problem is shown, follow the typing so it goes away as soon as the value is fixed.
    if (error !== null) {
      const result = parseField(store.getState().ask.settings, spec, typed);
      setError(result.ok ? null : result.message);
    }
  };

  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter((x) => x !== null).join(' ');
  return (
    <div className="endpoint-field">
      <label htmlFor={id}>{spec.label}</label>
      <div className="endpoint-input-row">
        <input
          id={id}
          type={type}
          inputMode={spec.kind === 'number' ? 'decimal' : undefined}
          value={value}
          placeholder={placeholder}
          list={list}
          disabled={disabled}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error !== null}
          aria-describedby={describedBy || undefined}
          onChange={(e) => onChange(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              commit();
            } else if (e.key === 'Escape') commit();
          }}
        />
        {children}
      </div>
      {/* Always present: a live region only announces changes to an element that already exists. */}
      <span id={`${id}-error`} className="field-error" aria-live="polite">
        {error}
      </span>
      {hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}
