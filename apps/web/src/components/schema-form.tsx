import type { FieldValue, FormField, FormValues } from '../lib/schema-form';
import { Field, FieldNotes } from './ui';

/**
 * The controls of a form generated from a JSON Schema ({@link FormField}s): labels,
 * descriptions, bounds and choices from the schema, the API's messages by field.
 */
export function SchemaFields(props: {
  fields: readonly FormField[];
  values: FormValues;
  onChange: (name: string, value: FieldValue) => void;
  errors: Record<string, string>;
}) {
  const { fields, values, onChange, errors } = props;
  if (fields.length === 0) return <p className="muted">This runbook takes no input.</p>;
  return (
    <>
      {fields.map((field) => (
        <SchemaField key={field.name} field={field} value={values[field.name]} onChange={(value) => onChange(field.name, value)} error={errors[field.name]} />
      ))}
    </>
  );
}

const KIND_HINTS: Partial<Record<FormField['kind'], string>> = {
  list: 'One per line.',
  map: 'One key=value per line.',
  json: 'JSON.',
};

function hintOf(field: FormField): string | undefined {
  const parts = [field.description, field.bounds ? `${field.bounds[0].toUpperCase()}${field.bounds.slice(1)}.` : undefined, KIND_HINTS[field.kind]];
  if (field.kind === 'map' && field.options) parts.push(`Values: ${field.options.join(', ')}.`);
  const text = parts.filter(Boolean).join(' ');
  return text || undefined;
}

function SchemaField({ field, value, onChange, error }: { field: FormField; value: FieldValue | undefined; onChange: (value: FieldValue) => void; error?: string }) {
  const hint = hintOf(field);
  if (field.kind === 'boolean') {
    return (
      <div className="field-check">
        <Field label={field.label} error={error} hint={hint}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name={field.name}
              type="checkbox"
              checked={value === true}
              aria-invalid={invalid || undefined}
              aria-describedby={describedBy}
              onChange={(event) => onChange(event.target.checked)}
            />
          )}
        </Field>
      </div>
    );
  }
  if (field.kind === 'choices') {
    const chosen = Array.isArray(value) ? value : [];
    const hintId = `field-${field.name}-hint`;
    const errorId = `field-${field.name}-error`;
    return (
      <fieldset className={`field${error ? ' field-invalid' : ''}`} aria-describedby={[hint ? hintId : '', error ? errorId : ''].join(' ').trim() || undefined}>
        <legend>
          {field.label}
          {field.required ? <span className="required"> (required)</span> : null}
        </legend>
        {field.options?.map((option) => (
          <label key={option} className="check">
            <input
              type="checkbox"
              name={field.name}
              value={option}
              checked={chosen.includes(option)}
              onChange={(event) => onChange(event.target.checked ? [...chosen, option] : chosen.filter((item) => item !== option))}
            />{' '}
            {option}
          </label>
        ))}
        <FieldNotes hint={hint} hintId={hintId} error={error} errorId={errorId} />
      </fieldset>
    );
  }
  const text = typeof value === 'string' ? value : '';
  return (
    <Field label={field.label} error={error} hint={hint} required={field.required}>
      {({ id, describedBy, invalid }) => {
        const common = {
          id,
          name: field.name,
          'aria-required': field.required || undefined,
          'aria-invalid': invalid || undefined,
          'aria-describedby': describedBy,
        };
        switch (field.kind) {
          case 'choice':
            return (
              <select {...common} value={text} onChange={(event) => onChange(event.target.value)}>
                {/* Without a default the person must choose; an optional field may stay unset. */}
                <option value="">{field.required ? 'Choose…' : '(not set)'}</option>
                {field.options?.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            );
          case 'integer':
          case 'number':
            return (
              <input
                {...common}
                type="number"
                inputMode={field.kind === 'integer' ? 'numeric' : 'decimal'}
                step={field.kind === 'integer' ? 1 : 'any'}
                min={field.minimum}
                max={field.maximum}
                value={text}
                onChange={(event) => onChange(event.target.value)}
              />
            );
          case 'textarea':
          case 'list':
          case 'map':
          case 'json':
            return <textarea {...common} rows={field.kind === 'json' ? 5 : 3} value={text} onChange={(event) => onChange(event.target.value)} />;
          default:
            return <input {...common} type="text" maxLength={field.maxLength} value={text} onChange={(event) => onChange(event.target.value)} />;
        }
      }}
    </Field>
  );
}
