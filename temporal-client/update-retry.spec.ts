import { isTransientUpdateFailure, withUpdateRetry } from './update-retry';

const grpc = (code: number, message: string) => Object.assign(new Error(`${code} ${message}`), { code });

describe('updates that meet a workflow task ending', () => {
  it('are tried again, and other failures are not', async () => {
    const closing = grpc(9, 'FAILED_PRECONDITION: Unable to perform workflow execution update due to unexpected workflow task failure.');
    expect(isTransientUpdateFailure(closing)).toBe(true);
    expect(isTransientUpdateFailure(new Error('wrapped', { cause: grpc(9, 'FAILED_PRECONDITION: Update-with-Start could not be executed.') }))).toBe(true);
    expect(isTransientUpdateFailure(grpc(9, 'FAILED_PRECONDITION: something else'))).toBe(false);
    expect(isTransientUpdateFailure(grpc(3, 'INVALID_ARGUMENT: unexpected workflow task failure'))).toBe(false);

    let calls = 0;
    await expect(withUpdateRetry(async () => (++calls < 3 ? Promise.reject(closing) : 'applied'))).resolves.toBe('applied');
    expect(calls).toBe(3);

    calls = 0;
    const refused = new Error('not allowed');
    await expect(withUpdateRetry(async () => (calls++, Promise.reject(refused)))).rejects.toBe(refused);
    expect(calls).toBe(1);

    calls = 0;
    await expect(withUpdateRetry(async () => (calls++, Promise.reject(closing)))).rejects.toBe(closing);
    expect(calls).toBe(6);
  });
});
