/**
 * The Kubernetes API through `@kubernetes/client-node`: credentials from one kubeconfig file
 * or the pod's service account, every request under a deadline, and failures mapped once.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  createConfiguration,
  KubeConfig,
  type Middleware,
  type RequestContext,
  ServerConfiguration,
} from '@kubernetes/client-node';
import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { ConfigError } from '../../core/schemas/config';
import type { KubernetesSettings } from '../../core/schemas/integrations-config';
import { describeNetworkError, parseRetryAfter, redact, vendorFailure, vendorMessage } from '../http-failures';

const VENDOR = 'Kubernetes';
/** Where a pod's service account token is mounted. */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The kubeconfig the settings name, checked at start-up: a missing file, an unreadable one
 * or an unknown context stops the worker with a {@link ConfigError} naming the setting.
 */
export function loadKubeConfig(settings: Pick<KubernetesSettings, 'kubeconfig' | 'inCluster' | 'context'>): KubeConfig {
  const config = new KubeConfig();
  if (settings.inCluster) {
    config.loadFromCluster();
    // Without the pod's variables the client builds a server URL of "undefined" parts.
    if (!existsSync(SERVICE_ACCOUNT_TOKEN) || /undefined/.test(config.getCurrentCluster()?.server ?? '')) {
      throw new ConfigError([`KUBERNETES_IN_CLUSTER: true, but the worker does not run in a pod (no ${SERVICE_ACCOUNT_TOKEN}, or KUBERNETES_SERVICE_HOST unset)`]);
    }
    return config;
  }
  const file = settings.kubeconfig ?? join(homedir(), '.kube', 'config');
  if (!existsSync(file)) {
    throw new ConfigError([
      settings.kubeconfig ? `KUBECONFIG: no file at ${file}` : `KUBECONFIG: unset, and there is no ${file}; set KUBECONFIG, or KUBERNETES_IN_CLUSTER=true in a pod`,
    ]);
  }
  try {
    config.loadFromFile(file);
  } catch (error) {
    throw new ConfigError([`KUBECONFIG: ${file} is not a kubeconfig: ${error instanceof Error ? error.message : String(error)}`]);
  }
  if (settings.context !== undefined) {
    const names = config.getContexts().map((context) => context.name);
    if (!names.includes(settings.context)) {
      throw new ConfigError([`KUBERNETES_CONTEXT: ${file} has no context "${settings.context}" (it has ${names.join(', ') || 'none'})`]);
    }
    config.setCurrentContext(settings.context);
  }
  if (!config.getCurrentCluster()) {
    throw new ConfigError([`${settings.context ? 'KUBERNETES_CONTEXT' : 'KUBECONFIG'}: the context "${config.getCurrentContext()}" of ${file} names no cluster`]);
  }
  return config;
}

/** Thrown by {@link KubernetesApi.call} on 409 Conflict: the object changed since it was read. */
export class KubernetesConflict extends Error {
  constructor(readonly failure: ApplicationFailure) {
    super(failure.message);
    this.name = 'KubernetesConflict';
  }
}

/** One cluster's API: the apps/v1 and core/v1 groups, each request under `timeoutMs`. */
export class KubernetesApi {
  readonly apps: AppsV1Api;
  readonly core: CoreV1Api;
  private readonly secrets: string[];

  constructor(config: KubeConfig, timeoutMs: number) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new ConfigError(['KUBECONFIG: its current context names no cluster']);
    const user = config.getCurrentUser();
    this.secrets = [user?.token, user?.password].filter((secret): secret is string => typeof secret === 'string');
    const deadline: Middleware = {
      pre: async (request: RequestContext) => {
        request.setSignal(AbortSignal.timeout(timeoutMs));
        return request;
      },
      post: async (response) => response,
    };
    const configuration = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: config },
      promiseMiddleware: [deadline],
    });
    this.apps = new AppsV1Api(configuration);
    this.core = new CoreV1Api(configuration);
  }

  /**
   * Calls the API; a failure becomes the Temporal failure it means. `subject` names what was
   * asked for (`deployment shop/checkout`), so a 404 says what is missing.
   */
  async call<T>(operation: string, subject: string, fn: (api: KubernetesApi) => Promise<T>): Promise<T> {
    try {
      return await fn(this);
    } catch (error) {
      throw this.failure(operation, subject, error);
    }
  }

  private failure(operation: string, subject: string, error: unknown): Error {
    if (!(error instanceof ApiException)) {
      const { name, type } = (error ?? {}) as { name?: unknown; type?: unknown };
      if (name === 'AbortError' || name === 'FetchError' || type === 'system') {
        return vendorFailure({ vendor: VENDOR, operation, networkError: describeNetworkError(error) }, this.secrets);
      }
      // The client refused before sending (a kubeconfig it cannot use, an exec plugin that failed).
      return ApplicationFailure.create({
        message: redact(`${VENDOR} ${operation}: the client could not send the request: ${error instanceof Error ? error.message : String(error)}`, this.secrets),
        type: CapabilityFailure.Misconfigured,
        nonRetryable: true,
      });
    }
    const status = error.code;
    const detail = statusMessage(error.body);
    const retryAfterMs = parseRetryAfter(header(error.headers, 'retry-after'));
    if (status === 401 || status === 403) {
      const why = status === 401 ? 'the credentials were not accepted' : 'the credentials lack a permission (see RBAC in docs/integrations.md)';
      return ApplicationFailure.create({
        message: redact(`${VENDOR} ${operation} failed: HTTP ${status}: ${why}${detail ? `: ${detail}` : ''}`, this.secrets),
        type: CapabilityFailure.Misconfigured,
        nonRetryable: true,
        details: [{ vendor: VENDOR, operation, status }],
      });
    }
    if (status === 404) {
      return ApplicationFailure.create({
        message: redact(`${VENDOR} ${operation} failed: ${subject} not found (HTTP 404)`, this.secrets),
        type: CapabilityFailure.Rejected,
        nonRetryable: true,
        details: [{ vendor: VENDOR, operation, status }],
      });
    }
    const failure = vendorFailure({ vendor: VENDOR, operation, status, detail, retryAfterMs }, this.secrets);
    if (status === 409) {
      // Retried within the attempt by whoever read the object (optimistic concurrency); retryable past that.
      return new KubernetesConflict(
        ApplicationFailure.create({ message: failure.message, type: CapabilityFailure.Unavailable, details: [{ vendor: VENDOR, operation, status }] }),
      );
    }
    return failure;
  }
}

export const createKubernetesApi = (settings: KubernetesSettings, timeoutMs: number) => new KubernetesApi(loadKubeConfig(settings), timeoutMs);

/** The API server's explanation: a `Status` object's `message`, from the body the client kept as text. */
function statusMessage(body: unknown): string | undefined {
  if (typeof body !== 'string') return vendorMessage(body);
  try {
    return vendorMessage(JSON.parse(body));
  } catch {
    return vendorMessage(body);
  }
}

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return found?.[1];
}
