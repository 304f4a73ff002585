/**
 * The roadmap's k6 script (scripts/load-test.js in the seed), ported to @leviathan/loadgen:
 *
 *   k6                                           leviathan-load
 *   export let options = { stages: [...] }       export const options = { stages: [...] }
 *   new WebSocket('ws://localhost:8080/ws')      await vu.connect(url)
 *   ws.send(JSON.stringify({type:'auth',...}))   await ws.auth({ username, token })  (timed: ws_auth_duration)
 *   check(data, {'auth successful': ...})        vu.check(answer, {'auth successful': ...})
 *   __VU                                         vu.id
 *   sleep(1)                                     await vu.sleep(1000)
 *
 * Run: `pnpm --filter @leviathan/example-load-test load` (or `leviathan-load run src/seed.ts`).
 */
import type { Options } from '@leviathan/loadgen';
import { loginIteration } from './login.js';

export const options: Options = {
  stages: [
    { duration: '2m', target: 10 }, // ramp up
    { duration: '5m', target: 100 }, // up to 100 users
    { duration: '2m', target: 0 }, // ramp down
  ],
};

export default loginIteration;
