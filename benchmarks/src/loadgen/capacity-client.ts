/**
 * The loadgen side of the capacity benchmark (capacity.ts): runs scenarios/capacity.ts in this one
 * process (one worker thread) and reports what a reader of the results would see: sessions
 * opened, errors of any kind, the process's RSS once all were connected, the round-trip max of
 * the run and of each one-second interval (with its wall-clock span, to find the stall's).
 */
import { fileURLToPath } from 'node:url';
import { runTest } from '@leviathan/loadgen';

export interface CapacityIntervalFigures {
  startEpochMs: number;
  endEpochMs: number;
  /** ws_cmd_duration max of the interval (ms), 0 without round trips. */
  maxMs: number;
  roundTrips: number;
}

export interface CapacityFigures {
  vus: number;
  sessions: number;
  /** ws_errors + ws_timeouts + iteration_errors. */
  failures: number;
  errors: Record<string, number>;
  rssBytes: number;
  /** ws_cmd_duration max over the run (ms). */
  maxMs: number;
  roundTrips: number;
  intervals: CapacityIntervalFigures[];
  durationMs: number;
}

const INTERVAL_MS = 1000;

export async function capacity(): Promise<CapacityFigures> {
  const intervals: CapacityIntervalFigures[] = [];
  const { summary } = await runTest({
    scenario: fileURLToPath(new URL('./scenarios/capacity.ts', import.meta.url)),
    workers: 1,
    intervalMs: INTERVAL_MS,
    onWarning: (m) => process.stderr.write(`[capacity] loadgen warning: ${m}\n`),
    outputs: [
      {
        interval: ({ endEpochMs, intervalMs, agg }) => {
          const v = agg.values('ws_cmd_duration', intervalMs);
          intervals.push({
            startEpochMs: endEpochMs - intervalMs,
            endEpochMs,
            maxMs: v?.type === 'trend' ? v.values.max : 0,
            roundTrips: v?.type === 'trend' ? v.values.count : 0,
          });
        },
      },
    ],
  });
  const m = summary.metrics;
  const count = (key: string) => {
    const s = m[key];
    return s?.type === 'counter' ? s.values.count : 0;
  };
  const cmd = m.ws_cmd_duration;
  const rss = m.bench_rss_bytes;
  return {
    vus: Number(process.env.BENCH_CONNECTIONS),
    sessions: count('ws_sessions'),
    failures: count('ws_errors') + count('ws_timeouts') + count('iteration_errors'),
    errors: summary.errors,
    rssBytes: rss?.type === 'gauge' ? rss.values.value : 0,
    maxMs: cmd?.type === 'trend' ? cmd.values.max : 0,
    roundTrips: cmd?.type === 'trend' ? cmd.values.count : 0,
    intervals,
    durationMs: summary.durationMs,
  };
}
