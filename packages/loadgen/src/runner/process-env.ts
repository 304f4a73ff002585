/**
 * Sets `env` (`--env K=V`) in process.env for a run; returns what puts the previous values back.
 * process.env, not a private map: the scenario module reads it when imported (k6 scripts size
 * their options from `__ENV`), and worker threads start with a copy of it.
 */
export function setEnv(env: Record<string, string>): () => void {
  const before = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    before.set(k, process.env[k]);
    process.env[k] = v;
  }
  return () => {
    for (const [k, v] of before) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
