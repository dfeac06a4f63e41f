/**
 * The request id as it travels through Temporal: a header on the API's workflow calls, which
 * the workflow interceptor hands on to the activities a call leads to. Imported by workflow
 * interceptors too, so it stays free of Node and of the Temporal client.
 */
import { defaultPayloadConverter, type Headers } from '@temporalio/common';

/** The Temporal header that carries the request id. */
export const REQUEST_ID_HEADER = 'firebreak-request-id';

/** A request id taken from a caller: a short token that is safe in a log line and a header. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Whether `value` may be used as a request id as given (1 to 128 of `A-Z a-z 0-9 . _ : -`). */
export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID.test(value);
}

/** The request id in Temporal headers, or undefined when absent or not a request id. */
export function requestIdFromHeaders(headers: Headers | undefined): string | undefined {
  const payload = headers?.[REQUEST_ID_HEADER];
  if (!payload) return undefined;
  try {
    const value = defaultPayloadConverter.fromPayload(payload);
    return isRequestId(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `headers` with the request id set, or as they are when there is none. */
export function headersWithRequestId(headers: Headers, requestId: string | undefined): Headers {
  if (requestId === undefined) return headers;
  return { ...headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) };
}
