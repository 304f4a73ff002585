import type { GameService } from '@leviathan/engine';
import { createTelnetServer } from '../telnet/index.js';

/**
 * The MUD's telnet port as a game service: started on the server's main thread once it listens,
 * closed first when it stops. Its sessions speak to the gateway on loopback, so logins, limits and
 * routing stay the gateway's. What the password prompt sends follows the server's auth mode: a
 * password with accounts, a token otherwise (empty means `test-token` in development mode).
 */
export function telnetService(port: number, banner: string, mudName?: string): GameService {
  return {
    name: 'telnet',
    async start(host) {
      const telnet = createTelnetServer({
        host: host.host,
        port,
        gatewayUrl: host.gatewayUrl,
        banner,
        ...(mudName !== undefined ? { mudName } : {}),
        ...(host.authMode === 'dev'
          ? { secretAs: 'token' as const, defaultToken: 'test-token' }
          : { secretAs: host.authMode === 'accounts' ? ('password' as const) : ('token' as const) }),
      });
      await telnet.listen();
      return { port: telnet.port, close: () => telnet.close() };
    },
  };
}
