/**
 * Process exit codes of `leviathan-load`. Stable; documented in docs/loadgen.md. Close to k6's where
 * k6 has the same case (99 thresholds, 100/101 setup/teardown timeout, 104 invalid config,
 * 105 interrupted, 107 script error: k6's ScriptException, which a throwing setup() is too), so CI
 * jobs written for k6 keep their meaning.
 */
export const ExitCode = {
  /** The test ran and every threshold and baseline check passed. */
  Ok: 0,
  /** Wrong command line (unknown flag, missing file argument). */
  Usage: 2,
  /** `--baseline`: the run regressed beyond the tolerances against the baseline summary. */
  BaselineRegression: 98,
  /** At least one threshold failed (also when an abortOnFail threshold stopped the test early). */
  ThresholdsFailed: 99,
  /** `setup()` ran past `setupTimeout`; no VU started. */
  SetupTimeout: 100,
  /** `teardown()` ran past `teardownTimeout`; the results stand. */
  TeardownTimeout: 101,
  /** The options, a threshold expression or the environment (open-files limit) are invalid. */
  InvalidConfig: 104,
  /** Stopped by SIGINT or SIGTERM before the end; the partial summary is still written. */
  Interrupted: 105,
  /** The scenario could not be loaded, setup() or teardown() threw, or a generator worker crashed. */
  ScriptError: 107,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
