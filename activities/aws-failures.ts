/** What the AWS adapters (ECS, CloudWatch) share: reading an AWS SDK error as a vendor call problem. */
import { describeNetworkError, parseRetryAfter, type VendorCallProblem } from './http-failures';

/**
 * What went wrong, from an AWS SDK error (a modeled service exception, or no answer), for
 * `vendorFailure`. The SDK signs requests itself, so its errors hold no credential.
 */
export function awsProblem(vendor: string, operation: string, error: unknown): VendorCallProblem {
  const failed = error as {
    name?: string;
    message?: string;
    $fault?: 'client' | 'server';
    $metadata?: { httpStatusCode?: number };
    $retryable?: { throttling?: boolean };
    $response?: { headers?: Record<string, string | undefined> };
  };
  const status = failed.$metadata?.httpStatusCode;
  if (status === undefined) return { vendor, operation, networkError: describeNetworkError(error) };
  // AWS throttles with 400 ThrottlingException, Throttling (CloudWatch) and kin, not 429.
  const throttled = failed.$retryable?.throttling === true || /Throttl|TooManyRequests|RequestLimitExceeded/.test(failed.name ?? '');
  const retryAfterMs = parseRetryAfter(failed.$response?.headers?.['retry-after']);
  return { vendor, operation, status, detail: `${failed.name}: ${failed.message}`, throttled, retryAfterMs };
}
