import { CloudEvent as SpecEvent, ValidationError } from 'cloudevents';
import type { CloudEvent, CloudEventIssue } from '../../../../core/schemas/alert-sources/cloudevents';

/**
 * What the `cloudevents` library says is wrong with an event Firebreak's schema accepted
 * (its JSON Schema of the 1.0 spec, e.g. a `source` that is not a URI reference), naming
 * the attribute; empty when it is valid. `null` attributes are absent, as in the JSON format.
 */
export function specIssues(event: CloudEvent, at?: number): CloudEventIssue[] {
  const prefix = at === undefined ? [] : [at];
  const attributes = Object.fromEntries(Object.entries(event).filter(([, value]) => value !== null && value !== undefined));
  // The library decodes data_base64 itself (and rejects garbage oddly): its presence is what matters here.
  if (typeof attributes.data_base64 === 'string') attributes.data_base64 = '';
  try {
    new SpecEvent(attributes, true);
    return [];
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const details = (error.errors ?? []) as Array<{ instancePath?: string; message?: string } | string>;
    if (details.length === 0) return [{ path: prefix, message: error.message.split('\n')[0] }];
    return details.map((detail) =>
      typeof detail === 'string'
        ? { path: prefix, message: detail }
        : {
            path: [...prefix, ...(detail.instancePath ?? '').split('/').filter(Boolean)],
            message: `${(detail.instancePath ?? '').replace(/^\//, '') || 'the event'} ${detail.message ?? 'is invalid'} (CloudEvents 1.0)`,
          },
    );
  }
}
