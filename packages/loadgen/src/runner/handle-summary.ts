import type { Summary } from '../summary/summary.js';
import type { ScenarioModule } from '../worker/load-scenario.js';

/**
 * What `handleSummary(data)` receives: the end-of-test summary (the `--summary-export` JSON:
 * `metrics[key].values` hold k6's names, `avg`, `p(95)`, `count`, `rate`, ...) with setup()'s
 * data, as k6's `data.setup_data`.
 */
export type SummaryData = Summary & { setupData?: unknown };

/** Destination (`stdout`, `stderr`, or a file path) → contents. */
export type SummaryOutputs = Record<string, string | Uint8Array>;

/**
 * Calls the scenario's `handleSummary(data)`, if it exports one, and checks its answer: an object
 * of destinations to strings or bytes. Undefined without the hook. A hook that throws or returns
 * anything else yields a warning and undefined, so the default outputs still appear (k6 falls
 * back to its default summary the same way).
 */
export async function callHandleSummary(
  mod: ScenarioModule,
  data: SummaryData,
  warn: (message: string) => void,
): Promise<SummaryOutputs | undefined> {
  const fn = mod.handleSummary;
  if (typeof fn !== 'function') return undefined;
  let out: unknown;
  try {
    out = await (fn as (d: SummaryData) => unknown)(data);
  } catch (e) {
    warn(
      `handleSummary() threw, the default summary is written instead: ${e instanceof Error ? e.message : String(e)}`,
    );
    return undefined;
  }
  if (typeof out !== 'object' || out === null || Array.isArray(out)) {
    warn(
      'handleSummary() must return an object of destinations to contents; the default summary is written instead',
    );
    return undefined;
  }
  const outputs: SummaryOutputs = {};
  for (const [dest, content] of Object.entries(out)) {
    if (typeof content === 'string' || content instanceof Uint8Array) outputs[dest] = content;
    else
      warn(
        `handleSummary() returned a ${typeof content} for ${JSON.stringify(dest)}; strings and bytes only, skipped`,
      );
  }
  return outputs;
}
