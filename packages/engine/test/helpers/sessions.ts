import { ErrorCode } from '@leviathan/protocol';
import { type ServerMsg, TestClient } from './test-client.js';

/** A connection that authenticated (or was refused), with the server's answer. */
export interface Entered {
  readonly client: TestClient;
  readonly answer: ServerMsg;
}

/** Connects and sends `auth` (development mode, structured events); resolves with the answer. */
export async function enter(
  port: number,
  username: string,
  extra: Record<string, unknown> = {},
): Promise<Entered> {
  const client = await TestClient.connect(port);
  client.send({ type: 'auth', username, token: 'test-token', capabilities: ['events'], ...extra });
  const answer = await client.next((m) => m.type === 'auth-ok' || m.type === 'auth-error');
  return { client, answer };
}

/** The gateway thread and connection id of a login, from its `auth-ok.session` (`time.gateway.conn`). */
export function sessionOf(answer: ServerMsg): { gateway: number; conn: number } {
  const [, gateway, conn] = String(answer.session).split('.');
  return { gateway: Number.parseInt(gateway ?? '', 36), conn: Number.parseInt(conn ?? '', 36) };
}

/**
 * Reconnects with a resume token; a resume the server cannot finish yet (`LEV_ERR_SHARD_UNAVAILABLE`,
 * close 1013: the character is being moved) is tried again, as a client should.
 */
export async function resumeWith(port: number, username: string, token: string): Promise<Entered> {
  for (let attempt = 0; ; attempt++) {
    const entered = await enter(port, username, { resume: token });
    if (entered.answer.type === 'auth-ok') return entered;
    if (entered.answer.code !== ErrorCode.ShardUnavailable || attempt >= 20)
      throw new Error(`resume refused: ${JSON.stringify(entered.answer)}`);
    await entered.client.closed();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Whether `client` was sent a text containing `part`. */
export function heard(client: TestClient, part: string): boolean {
  return client.messages.some((m) => m.type === 'text' && String(m.text).includes(part));
}
