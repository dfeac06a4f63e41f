import { ApplicationFailure } from '@temporalio/common';
import type { HttpResponse } from '../../core/schemas/capabilities/http';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import type { HttpPort, HttpRequestCommand } from './port';

/**
 * The HTTP step when `HTTP_STEP_ALLOWED_HOSTS` is unset: it may reach no host, so it refuses
 * every request (not retried) and says which setting would allow it. Nothing is sent, and no
 * name is looked up.
 */
export class NoHostsHttp implements HttpPort {
  async request({ method, url }: HttpRequestCommand): Promise<HttpResponse> {
    throw ApplicationFailure.create({
      message: `HTTP step ${method} ${new URL(url).origin} refused: HTTP_STEP_ALLOWED_HOSTS is unset, so the HTTP step may reach no host (list the hosts it may call)`,
      type: CapabilityFailure.Misconfigured,
      nonRetryable: true,
    });
  }
}
