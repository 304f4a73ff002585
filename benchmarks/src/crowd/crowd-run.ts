import { fileURLToPath } from 'node:url';
import { Aggregate, runTest } from '@leviathan/loadgen';
import { median } from '../harness/gate.js';
import type { MudServer } from './mud-server.js';
import {
  ALONE_S,
  COMMAND_TIMEOUT_MS,
  CROWD,
  CROWD_HOLD_S,
  CROWD_RAMP_S,
  CROWD_START_S,
} from './scenarios/crowd.js';

const scenario = fileURLToPath(new URL('./scenarios/crowd.ts', import.meta.url));
const INTERVAL_MS = 500;

/** Commands of one window of the run. */
export interface WindowFigures {
  /** Command round trip p99, in ms (from the intended send time to the reply). */
  p99: number;
  p50: number;
  commands: number;
  /** Commands not answered within the timeout, or answered with an error (or not at all). */
  unanswered: number;
}

export interface CrowdRunResult {
  /** The lone player, from its second second on. */
  alone: WindowFigures;
  /** While the crowd logs in. */
  forming: WindowFigures;
  /** The crowd formed: from 5 s after the last login to the end. */
  formed: WindowFigures;
  /** Server RSS before the crowd (after the lone player left) and once it had formed, in bytes. */
  rssBefore: number;
  rssFormed: number;
  /** JavaScript heap of every thread before the crowd came and once it formed (smallest reading). */
  heapBefore: number;
  heapFormed: number;
  /** Authenticated players when the crowd had formed (from the server's metrics). */
  players: number;
  /** The server's shed-message counters at the end (`leviathan_messages_dropped_total`), by reason. */
  dropped: Record<string, number>;
}

/** A window of the run: the intervals whose end falls in [fromS, toS) seconds of the test. */
class Window {
  readonly agg = new Aggregate();
  readonly fromMs: number;
  readonly toMs: number;
  constructor(fromS: number, toS: number) {
    this.fromMs = fromS * 1000;
    this.toMs = toS * 1000;
  }
  add(elapsedMs: number, interval: Aggregate): void {
    if (elapsedMs > this.fromMs && elapsedMs <= this.toMs) this.agg.add(interval.toSnapshot());
  }
  figures(what: string): WindowFigures {
    const count = this.agg.values('ws_cmd_duration', 0);
    const checks = this.agg.values('checks', 0);
    const commands = count?.type === 'trend' ? count.values.count : 0;
    const unanswered = checks?.type === 'rate' ? checks.values.fails : 0;
    if (commands === 0 && unanswered === 0) throw new Error(`crowd: no command was sent ${what}`);
    // A command not answered took at least the timeout: when more than 1 % of them were not,
    // the p99 is (at least) the timeout.
    const timedOut = unanswered > (commands + unanswered) / 100;
    return {
      p99: timedOut ? COMMAND_TIMEOUT_MS : (this.agg.percentile('ws_cmd_duration', 99) as number),
      p50: commands === 0 ? COMMAND_TIMEOUT_MS : (this.agg.percentile('ws_cmd_duration', 50) as number),
      commands,
      unanswered,
    };
  }
}

/** The JavaScript heap of every thread (leviathan_heap_used_bytes, kept per thread), summed. */
function heapOf(metrics: string): number {
  return metricValue(metrics, 'leviathan_heap_used_bytes');
}

function metricValue(text: string, name: string): number {
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) sum += Number(m[1]);
  return sum;
}

function droppedByReason(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^leviathan_messages_dropped_total\{[^}]*reason="([^"]+)"[^}]*\} (\S+)$/gm))
    out[m[1] as string] = (out[m[1] as string] ?? 0) + Number(m[2]);
  return out;
}

/**
 * Drives `server` with the crowd scenario (@leviathan/loadgen, in this process: two worker
 * threads, as the 3,000 sessions' frames are more than one thread parses in time) and cuts the
 * run into windows. RSS is read twice: between the phases (the lone player gone, nobody in) and
 * at the end of the crowd's hold, with the crowd in and playing.
 */
export async function crowdRun(server: MudServer): Promise<CrowdRunResult> {
  process.env.CROWD_URL = server.url;
  const formedAtS = CROWD_START_S + CROWD_RAMP_S;
  const endS = formedAtS + CROWD_HOLD_S;
  const windows = {
    alone: new Window(1, ALONE_S),
    forming: new Window(CROWD_START_S, formedAtS),
    formed: new Window(formedAtS + 5, endS - 0.5),
  };
  // RSS moves by megabytes between readings (collections in each thread, malloc giving memory
  // back): before the crowd, the last of three readings a second apart in the quiet gap; once
  // formed, the median of five readings a second apart at the end of the hold. In one run RSS
  // once formed was 21 MB below RSS before (−7 KB a player): the JavaScript heap (the smallest of
  // the same readings, garbage being what moves it) is the figure judged.
  const verbose = process.env.CROWD_VERBOSE === '1';
  const progress = new Aggregate();
  const before: Array<Promise<number>> = [];
  const after: Array<Promise<number>> = [];
  const heapsBefore: Array<Promise<number>> = [];
  const heapsAfter: Array<Promise<number>> = [];
  let metricsFormed: Promise<string> | undefined;
  const { crashed } = await runTest({
    scenario,
    workers: 2,
    intervalMs: INTERVAL_MS,
    onWarning: () => {},
    outputs: [
      {
        interval: ({ elapsedMs: elapsed, agg: interval }) => {
          for (const w of Object.values(windows)) w.add(elapsed, interval);
          if (verbose) {
            progress.add(interval.toSnapshot());
            if (elapsed % 5000 < INTERVAL_MS) {
              const cmd = progress.values('ws_cmd_duration', 0);
              const checks = progress.values('checks', 0);
              process.stderr.write(
                `[crowd] ${(elapsed / 1000).toFixed(0)} s: ${cmd?.type === 'trend' ? `${cmd.values.count} answered, p50 ${cmd.values.med} ms, p99 ${cmd.values['p(99)']} ms` : 'none answered'}, ${checks?.type === 'rate' ? checks.values.fails : 0} not\n`,
              );
              progress.destroy();
            }
          }
          const s = elapsed / 1000;
          if (s >= ALONE_S + 1 + before.length && s < CROWD_START_S && before.length < 3) {
            before.push(server.rss());
            heapsBefore.push(server.metrics().then(heapOf));
          }
          if (s >= endS - 6 + after.length && after.length < 5) {
            after.push(server.rss());
            heapsAfter.push(server.metrics().then(heapOf));
          }
          if (metricsFormed === undefined && s >= endS - 2) metricsFormed = server.metrics();
        },
      },
    ],
  });
  if (crashed) throw new Error("crowd: the load generator's worker crashed");
  if (before.length === 0 || after.length === 0 || metricsFormed === undefined)
    throw new Error('crowd: the run ended early');
  const rssFormed = median(await Promise.all(after));
  const formedMetrics = await metricsFormed;
  const metrics = await server.metrics();
  return {
    alone: windows.alone.figures('alone'),
    forming: windows.forming.figures('while the crowd formed'),
    formed: windows.formed.figures('once the crowd formed'),
    rssBefore: (await Promise.all(before)).at(-1) as number,
    rssFormed,
    heapBefore: Math.min(...(await Promise.all(heapsBefore))),
    heapFormed: Math.min(...(await Promise.all(heapsAfter))),
    players: metricValue(formedMetrics, 'leviathan_connected_players'),
    dropped: droppedByReason(metrics),
  };
}

export { CROWD };
