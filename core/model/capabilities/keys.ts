/**
 * The parts of the capability contract that workflow code needs: idempotency keys and
 * failure types. The schemas are in core/schemas/capabilities/.
 */

/** The idempotency key for step `stepId` of workflow `workflowId`. */
export function stepIdempotencyKey(workflowId: string, stepId: string): string {
  return `${workflowId}/${stepId}`;
}

/** Failure types adapters raise; workflows branch on these, never on messages. */
export const CapabilityFailure = {
  /** The vendor refused the request for good (400/401/403/404/422): retrying cannot help. */
  Rejected: 'VendorRejected',
  /** A setting the adapter needs is missing or wrong. */
  Misconfigured: 'AdapterMisconfigured',
  /** A bound was hit (scaling past max, no earlier release to roll back to). */
  OutOfBounds: 'OutOfBounds',
  /** The step's input broke its schema: a bug in the caller, so retrying cannot help. */
  InvalidInput: 'InvalidStepInput',
  /** The vendor asked us to slow down (429, or its own throttling error); retried after its delay. */
  Throttled: 'VendorThrottled',
  /** The vendor failed or was not reached in time (5xx, network error, timeout); retried. */
  Unavailable: 'VendorUnavailable',
} as const;
export type CapabilityFailure = (typeof CapabilityFailure)[keyof typeof CapabilityFailure];
