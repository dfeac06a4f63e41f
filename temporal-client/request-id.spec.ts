import { defaultPayloadConverter } from '@temporalio/common';
import fc from 'fast-check';
import { headersWithRequestId, isRequestId, REQUEST_ID_HEADER, requestIdFromHeaders } from './request-id';

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-';

describe('request ids', () => {
  it('takes 1 to 128 characters of A-Z a-z 0-9 . _ : -, and nothing else', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 128 }), (id) => isRequestId(id)));
    expect(isRequestId('a'.repeat(129))).toBe(false);
    for (const odd of ['', ' ', 'a b', 'id\n', 'ünïcode', '日本', '🔑', 'a/b', 'a"b', '<script>', 'x'.repeat(1000)]) expect(isRequestId(odd)).toBe(false);
    for (const notText of [undefined, null, 42, ['a'], { id: 'a' }]) expect(isRequestId(notText)).toBe(false);
  });

  it('travels in a Temporal header and back; a missing, malformed or unsafe header reads as none', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 128 }), (id) => {
        expect(requestIdFromHeaders(headersWithRequestId({}, id))).toBe(id);
      }),
    );
    const other = { other: defaultPayloadConverter.toPayload('kept') };
    expect(headersWithRequestId(other, undefined)).toBe(other);
    expect(Object.keys(headersWithRequestId(other, 'req-1'))).toEqual(['other', REQUEST_ID_HEADER]);
    expect(requestIdFromHeaders(undefined)).toBeUndefined();
    expect(requestIdFromHeaders({})).toBeUndefined();
    expect(requestIdFromHeaders({ [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload('has spaces') })).toBeUndefined();
    expect(requestIdFromHeaders({ [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(42) })).toBeUndefined();
    expect(requestIdFromHeaders({ [REQUEST_ID_HEADER]: { metadata: { encoding: new TextEncoder().encode('no/such') }, data: new Uint8Array() } })).toBeUndefined();
  });
});
