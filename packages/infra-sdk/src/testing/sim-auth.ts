import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Ticket lifetime, as pve-access-control's: two hours. */
export const TICKET_LIFETIME_MS = 2 * 60 * 60 * 1000;

export type AuthResult =
  | { ok: true; user: string; ticket: boolean; tokenId?: string }
  | { ok: false; message: string };

/**
 * Token and ticket authentication, checked the way pve-http-server does: an `Authorization:
 * PVEAPIToken=...` header, or a `PVEAuthCookie` ticket that must come with a `CSRFPreventionToken`
 * header on every request that is not a GET. Tickets are HMAC-signed here (Proxmox signs with RSA).
 */
export class SimAuth {
  readonly #key = randomBytes(32);
  readonly #users: Map<string, string>;
  readonly #tokens: Map<string, string>;
  readonly #now: () => number;
  /** Tickets issued (logins and renewals). */
  issued = 0;

  constructor(users: Record<string, string>, tokens: Record<string, string>, now: () => number) {
    this.#users = new Map(Object.entries(users));
    this.#tokens = new Map(Object.entries(tokens));
    this.#now = now;
  }

  #sign(text: string): string {
    return createHmac('sha256', this.#key).update(text).digest('base64');
  }

  /** `POST /access/ticket`: password, or a still-valid ticket as the password (renewal). */
  login(
    username: string,
    password: string,
    realm?: string,
  ): { ticket: string; CSRFPreventionToken: string; username: string } | undefined {
    const user = realm && !username.includes('@') ? `${username}@${realm}` : username;
    const renewing = password.startsWith('PVE:') && this.#verifyTicket(password) === user;
    const expected = this.#users.get(user);
    if (!renewing && (expected === undefined || !safeEqual(expected, password))) return undefined;
    const hexTime = Math.floor(this.#now() / 1000)
      .toString(16)
      .toUpperCase()
      .padStart(8, '0');
    const plain = `PVE:${user}:${hexTime}`;
    this.issued++;
    return {
      ticket: `${plain}::${this.#sign(plain)}`,
      CSRFPreventionToken: `${hexTime}:${this.#sign(`${hexTime}:${user}`)}`,
      username: user,
    };
  }

  /** The user of a valid, unexpired ticket. */
  #verifyTicket(ticket: string): string | undefined {
    const m = /^(PVE:([^:]+):([0-9A-F]{8}))::(.+)$/.exec(ticket);
    if (!m || !safeEqual(this.#sign(m[1]!), m[4]!)) return undefined;
    const issuedMs = Number.parseInt(m[3]!, 16) * 1000;
    if (this.#now() - issuedMs >= TICKET_LIFETIME_MS) return undefined;
    return m[2];
  }

  #verifyCsrf(token: string | undefined, user: string): boolean {
    if (!token) return false;
    const m = /^([0-9A-F]{8}):(.+)$/.exec(token);
    if (!m) return false;
    if (this.#now() - Number.parseInt(m[1]!, 16) * 1000 >= TICKET_LIFETIME_MS) return false;
    return safeEqual(this.#sign(`${m[1]}:${user}`), m[2]!);
  }

  check(method: string, headers: Record<string, string | string[] | undefined>): AuthResult {
    const authz = headerValue(headers.authorization);
    if (authz) {
      const m = /^PVEAPIToken=([^=\s]+)=(\S+)$/.exec(authz.trim());
      if (!m) return { ok: false, message: 'invalid token value!' };
      const secret = this.#tokens.get(m[1]!);
      if (secret === undefined || !safeEqual(secret, m[2]!))
        return { ok: false, message: 'invalid token value!' };
      return { ok: true, user: m[1]!.split('!')[0]!, ticket: false, tokenId: m[1]! };
    }
    const cookie = headerValue(headers.cookie);
    const m = cookie ? /(?:^|;\s*)PVEAuthCookie=([^;]+)/.exec(cookie) : null;
    if (!m) return { ok: false, message: 'No ticket' };
    const user = this.#verifyTicket(decodeURIComponent(m[1]!));
    if (!user) return { ok: false, message: 'invalid PVE ticket' };
    if (method !== 'GET' && !this.#verifyCsrf(headerValue(headers.csrfpreventiontoken), user)) {
      return { ok: false, message: 'Permission denied - invalid csrf token' };
    }
    return { ok: true, user, ticket: true };
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
