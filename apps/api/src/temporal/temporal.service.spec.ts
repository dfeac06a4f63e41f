import { BadRequestException } from '@nestjs/common';
import { ServiceError } from '@temporalio/client';
import { loadConfig } from '../../../../core/schemas/config';
import { TemporalRejectedError } from './temporal-rejected.error';
import { TemporalService } from './temporal.service';
import { TemporalUnavailableError } from './temporal-unavailable.error';

/** An error as gRPC raises it, wrapped as the Temporal client does. */
function grpcError(code: number, details: string): ServiceError {
  const cause = Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  return new ServiceError(details, { cause });
}

describe('TemporalService.call', () => {
  const temporal = new TemporalService(loadConfig({ API_KEYS: 'ops:admin:Ad7Qm2Xv9Lk4Rt8Wn1Yb6Hj3Gf5Dc0Za' }));
  afterAll(() => temporal.onApplicationShutdown());

  it('answers a value Temporal refuses as invalid with a 400, not a 503 or a 500', async () => {
    const refused = temporal.call('listing incidents', () => Promise.reject(grpcError(3, 'invalid page token')));
    await expect(refused).rejects.toBeInstanceOf(TemporalRejectedError);
    await expect(refused).rejects.toBeInstanceOf(BadRequestException);
  });

  it('still answers an unreachable Temporal with TemporalUnavailableError, and passes anything else on', async () => {
    await expect(temporal.call('reading', () => Promise.reject(grpcError(14, 'unavailable')))).rejects.toBeInstanceOf(TemporalUnavailableError);
    const other = new Error('something else');
    await expect(temporal.call('reading', () => Promise.reject(other))).rejects.toBe(other);
  });

  it('answers a query no worker answered with TemporalUnavailableError (503), whatever code the server gave', async () => {
    const unanswered = Object.assign(new Error('9 FAILED_PRECONDITION: query failed'), { code: 9, details: 'query failed', metadata: {} });
    await expect(temporal.call('reading an incident', () => Promise.reject(new ServiceError('Failed to query Workflow', { cause: unanswered })))).rejects.toBeInstanceOf(
      TemporalUnavailableError,
    );
  });
});
