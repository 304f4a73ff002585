/**
 * `pnpm --filter @leviathan/example-demo start`: the engine serving the demo game on port 8080
 * (LEVIATHAN_PORT and every other LEVIATHAN_* variable apply, see docs/configuration.md), with
 * development logins: any name, the token "test-token".
 */
import { createServer } from '@leviathan/engine';
import { demoGameModule } from './index.js';

const server = createServer({ game: demoGameModule(), auth: { mode: 'dev' }, handleSignals: true });
const { port } = await server.listen();
console.log(`the demo game is open: ws://localhost:${port}/ws (any name, token "test-token")`);
