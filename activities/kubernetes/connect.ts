/* eslint-disable @typescript-eslint/no-require-imports */
import type { KubernetesSettings } from '../../core/schemas/integrations-config';
import type * as Client from './client';
import type * as Cluster from './kubernetes';
import type { KubernetesPort } from './port';

/**
 * The Kubernetes adapter on a cluster, loaded only when `KUBERNETES_PROVIDER=kubernetes`:
 * `@kubernetes/client-node` is about a thousand modules (a second of start-up, and of every
 * test file that builds the activities), which a worker on the local adapter never needs.
 */
export function connectKubernetes(settings: KubernetesSettings, timeoutMs: number): KubernetesPort {
  const { createKubernetesApi } = require('./client') as typeof Client;
  const { KubernetesDeployments } = require('./kubernetes') as typeof Cluster;
  return new KubernetesDeployments(createKubernetesApi(settings, timeoutMs), settings);
}
