/**
 * Scenario 9, what the incident record costs the alert path: scenario 1 (alert → first
 * action, Firebreak and the baseline alternating) with the workflows' projection off (no
 * `DATABASE_URL`) and on (an embedded PGlite record, as `npm start` runs it), in alternating
 * blocks on a fresh worker each, so drift in the machine falls on both sides. The baseline
 * runs in every block: the overhead is read on the ratio to it as well as on the raw times.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ratio, type Summary, summarize } from '../lib/stats';
import type { System } from '../lib/system';
import { latencyScenario } from './latency';
import { startEmbeddedRecord, stopChild } from './record';

export interface ProjectionOptions {
  /** Samples per side (record off, record on), spread over `blocks` blocks each. */
  samples: number;
  warmup: number;
  blocks: number;
}

interface Side {
  firebreak: Summary;
  baseline: Summary;
  ratio_p50: number;
}

export interface ProjectionResult {
  options: ProjectionOptions;
  without_record: Side;
  with_record: Side;
  /** How much later the first action comes with the record, in percent, on p50 and p99 of the raw times. */
  overhead_p50_pct: number;
  overhead_p99_pct: number;
  /** The same on the p50 ratio to the baseline (machine drift between blocks cancels out). */
  overhead_ratio_p50_pct: number;
  target_pct: number;
  met: boolean;
}

const TARGET_PCT = 5;

const percentMore = (value: number, reference: number) => Math.round((value / reference - 1) * 1000) / 10;

export async function projectionScenario(system: System, embeddedServer: string, options: ProjectionOptions, log: (line: string) => void): Promise<ProjectionResult> {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-projection-'));
  const record = await startEmbeddedRecord(embeddedServer, dir);
  const samples = { off: { firebreak: [] as number[], baseline: [] as number[] }, on: { firebreak: [] as number[], baseline: [] as number[] } };
  const perBlock = Math.max(1, Math.round(options.samples / options.blocks));
  try {
    for (let block = 0; block < options.blocks; block++) {
      // Off first in even blocks and on first in odd ones, so neither side always runs first.
      const order = block % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
      for (const side of order) {
        await system.startWorker(side === 'on' ? { databaseUrl: record.value } : {});
        const run = await latencyScenario(system, { samples: perBlock, warmup: options.warmup });
        samples[side].firebreak.push(...run.samples_ms.firebreak);
        samples[side].baseline.push(...run.samples_ms.baseline);
        log(`  block ${block + 1}/${options.blocks}, record ${side}: p50 ${run.firebreak.p50} ms (baseline ${run.baseline.p50} ms)`);
      }
    }
  } finally {
    // The next scenario gets a worker without the record.
    await system.startWorker();
    await stopChild(record.child, () => record.child.kill('SIGTERM'));
    rmSync(dir, { recursive: true, force: true });
  }
  const sideOf = ({ firebreak, baseline }: { firebreak: number[]; baseline: number[] }): Side => {
    const f = summarize(firebreak);
    const b = summarize(baseline);
    return { firebreak: f, baseline: b, ratio_p50: ratio(f.p50, b.p50) };
  };
  const off = sideOf(samples.off);
  const on = sideOf(samples.on);
  const overhead = percentMore(on.firebreak.p50, off.firebreak.p50);
  const overheadRatio = percentMore(on.ratio_p50, off.ratio_p50);
  return {
    options,
    without_record: off,
    with_record: on,
    overhead_p50_pct: overhead,
    overhead_p99_pct: percentMore(on.firebreak.p99, off.firebreak.p99),
    overhead_ratio_p50_pct: overheadRatio,
    target_pct: TARGET_PCT,
    met: overhead <= TARGET_PCT && overheadRatio <= TARGET_PCT,
  };
}
