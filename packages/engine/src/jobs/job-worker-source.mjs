// The job pool's worker entry when the engine runs from its TypeScript sources (vitest, tsx):
// Node 20 cannot load .ts in a worker by itself, and applies `--import tsx` in a worker only
// after loading its entry, so this plain-JS entry registers tsx first, then loads the real one.
// The build (dist/) uses jobs/job-worker.js directly and never loads this file.
import { register } from 'tsx/esm/api';

register();
const { default: runJob } = await import('./job-worker.ts');
export default runJob;
