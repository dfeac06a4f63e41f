import type { BaselineStepInput } from './messages';

/**
 * The baseline's one activity: a no-op whose first line reports when it ran (step 0 only,
 * the "first action"; the last step too, for the runbook comparison).
 */
export function createBaselineActivities(mark: (key: string) => void) {
  return {
    async baselineStep({ key, step }: BaselineStepInput): Promise<number> {
      if (step === 0) mark(key);
      return step;
    },
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
