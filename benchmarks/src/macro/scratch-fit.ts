import { fixedRate } from './load-figures.js';
import { ServerHandle, type ServerKind } from './server-handle.js';

const kind = process.argv[2] as ServerKind;
const rate = Number(process.argv[3] ?? 2000);
const s = await ServerHandle.start(kind, 10);
try {
  const r = await fixedRate(s, { rate, sessions: 800, warmupMs: Number(process.env.WARM ?? 4000), windowMs: Number(process.env.WIN ?? 6000) });
  console.log(`${kind} rate ${rate}: ${r.cpuUsPerCommand.toFixed(2)} µs/cmd`);
} finally {
  await s.stop();
}
