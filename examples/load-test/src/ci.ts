/**
 * The seed's load test, shortened for CI (7 s, up to 10 VUs), with thresholds: any failed
 * login, iteration error or slow authentication fails the job (exit code 99).
 */
import type { Options } from '@leviathan/loadgen';
import { loginIteration } from './login.js';

export const options: Options = {
  stages: [
    { duration: '2s', target: 5 },
    { duration: '3s', target: 10 },
    { duration: '2s', target: 0 },
  ],
  thresholds: {
    checks: ['rate==1'],
    'checks{check:auth successful}': ['rate==1'],
    ws_auth_duration: ['p(95)<500'],
    ws_connecting: ['p(95)<1000'],
    iteration_errors: ['count==0'],
    ws_errors: ['count==0'],
  },
};

export default loginIteration;
