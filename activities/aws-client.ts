/** What the AWS adapters (ECS, CloudWatch) share in building their clients. */

/**
 * An official AWS client's settings: the SDK's own retries off (Temporal retries the
 * activity) and a deadline on every request. Credentials come from the SDK's default chain
 * unless given.
 */
export function awsClientConfig<Credentials>(settings: { region: string; endpoint?: string }, timeoutMs: number, credentials?: Credentials) {
  return {
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: 1,
    // Without throwOnRequestTimeout the handler only warns when the deadline passes.
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs, throwOnRequestTimeout: true },
  };
}
