/** Small pieces every page uses: badges, times, notices, fields. Text always says what colour shows. */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { ApiError, messageOf } from '../api/client';
import type { ExecutionStatus, IncidentStatus, Severity } from '../api/types';
import { ageOf, formatTime } from '../lib/format';

/** Sets the document's title while a page is shown. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Firebreak`;
  }, [title]);
}

/** The time now, renewed every `everyMs`, for ages that keep counting. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

const SEVERITY_WORDS: Record<Severity, string> = {
  SEV0: 'critical',
  SEV1: 'major',
  SEV2: 'high',
  SEV3: 'moderate',
  SEV4: 'low',
};

export function SeverityBadge({ severity }: { severity: Severity | undefined }) {
  if (!severity) return <span className="badge">unknown</span>;
  return (
    <span className={`badge sev sev-${severity.toLowerCase()}`} title={SEVERITY_WORDS[severity]}>
      {severity}
    </span>
  );
}

export function StatusBadge({ status }: { status: IncidentStatus | ExecutionStatus | undefined }) {
  return <span className={`badge status status-${status ?? 'unknown'}`}>{status ?? 'unknown'}</span>;
}

/** `12 min ago`, with the exact time on hover and for machines. */
export function Age({ at, suffix = ' ago' }: { at: string | undefined; suffix?: string }) {
  const now = useNow();
  if (!at) return <span>—</span>;
  const age = ageOf(at, now);
  return (
    <time dateTime={at} title={formatTime(at)}>
      {age === 'just now' ? age : `${age}${suffix}`}
    </time>
  );
}

export function Time({ at }: { at: string | undefined }) {
  if (!at) return <span>—</span>;
  return <time dateTime={at}>{formatTime(at)}</time>;
}

/** An error from the API (or the network), said in the API's words. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const status = error instanceof ApiError && error.status ? ` (${error.status})` : '';
  return (
    <div className="notice notice-error" role="alert">
      {title ? <strong>{title}{status}: </strong> : null}
      {messageOf(error)}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export interface FieldProps {
  label: string;
  /** The API's message for this field, shown under it. */
  error?: string;
  hint?: ReactNode;
  required?: boolean;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** A labelled field with its hint and its error, tied to the control for assistive technology. */
/** A field's hint and its error, each with the id its input's `aria-describedby` names. */
export function FieldNotes({ hint, hintId, error, errorId }: { hint?: ReactNode; hintId?: string; error?: string; errorId?: string }) {
  return (
    <>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </>
  );
}

/** A filter form's Apply and Clear: Clear empties the fields and applies nothing. */
export function FilterActions({ onClear }: { onClear: () => void }) {
  return (
    <div className="filter-actions">
      <button type="submit">Apply</button>
      <button type="button" className="secondary" onClick={onClear}>
        Clear
      </button>
    </div>
  );
}

export function Field({ label, error, hint, required, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="required"> (required)</span> : null}
      </label>
      {children({ id, describedBy, invalid: !!error })}
      <FieldNotes hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
  required?: boolean;
  type?: 'text' | 'password' | 'datetime-local' | 'search';
  name?: string;
  autoComplete?: string;
  maxLength?: number;
}) {
  const { label, value, onChange, error, hint, required, type = 'text', name, autoComplete, maxLength } = props;
  return (
    <Field label={label} error={error} hint={hint} required={required}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          name={name}
          type={type}
          value={value}
          autoComplete={autoComplete}
          maxLength={maxLength}
          aria-required={required || undefined}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

export function TextArea(props: { label: string; value: string; onChange: (value: string) => void; error?: string; hint?: ReactNode; required?: boolean; rows?: number; name?: string }) {
  const { label, value, onChange, error, hint, required, rows = 3, name } = props;
  return (
    <Field label={label} error={error} hint={hint} required={required}>
      {({ id, describedBy, invalid }) => (
        <textarea
          id={id}
          name={name}
          rows={rows}
          value={value}
          aria-required={required || undefined}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

export function SelectField<T extends string>(props: {
  label: string;
  value: T | '';
  options: readonly T[];
  onChange: (value: T | '') => void;
  /** The label of the empty choice; without it a value must be chosen. */
  empty?: string;
  error?: string;
  hint?: ReactNode;
  required?: boolean;
  name?: string;
  optionLabel?: (value: T) => string;
}) {
  const { label, value, options, onChange, empty, error, hint, required, name, optionLabel = (option) => option } = props;
  return (
    <Field label={label} error={error} hint={hint} required={required}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          name={name}
          value={value}
          aria-required={required || undefined}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value as T | '')}
        >
          {empty !== undefined ? <option value="">{empty}</option> : null}
          {options.map((option) => (
            <option key={option} value={option}>
              {optionLabel(option)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** The API's messages by field for a failed request: `{}` when it named no field. */
export function fieldErrorsOf(error: unknown, prefix = ''): Record<string, string> {
  return error instanceof ApiError ? error.fieldErrors(prefix) : {};
}

/** Key-value pairs, e.g. an incident's header. */
export function Facts({ items, label }: { items: Array<[string, ReactNode]>; label?: string }) {
  return (
    <dl className="facts" aria-label={label}>
      {items.map(([term, description]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{description ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A JSON value, folded: step arguments and results. */
export function JsonBlock({ value, summary }: { value: unknown; summary: string }) {
  if (value === undefined) return null;
  return (
    <details className="json">
      <summary>{summary}</summary>
      <pre>{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}
