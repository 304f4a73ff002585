// The connection to the server: login, JSON-lines framing, reconnect with backoff and the resume
// token. No DOM here: client.js draws what this reports.

/** Close codes after which reconnecting cannot help (docs/protocol.md). */
const FINAL = new Set([1000, 4001, 4006, 4008, 4009, 4010]);

/**
 * Backoff before reconnect attempt `n` (0-based), in ms: 500 ms doubling to 15 s, with ±25 %
 * jitter so a restarted server is not hit by every client in the same millisecond.
 */
export function backoffMs(n, random = Math.random) {
  const base = Math.min(15_000, 500 * 2 ** n);
  return Math.round(base * (0.75 + random() * 0.5));
}

/**
 * @param {{ url: string, onMessage: (msg: any) => void, onStatus: (status: string, detail?: string) => void }} options
 */
export function createConnection({ url, onMessage, onStatus }) {
  /** @type {WebSocket | undefined} */
  let ws;
  let credentials;
  let resume;
  let attempts = 0;
  let timer;
  let stopped = true;
  let authenticated = false;
  let nextId = 1;

  function send(message) {
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(message));
    return true;
  }

  function open() {
    clearTimeout(timer);
    authenticated = false;
    onStatus(attempts === 0 ? 'connecting' : 'reconnecting');
    const socket = new WebSocket(url);
    ws = socket;
    socket.onopen = () => {
      const { mode, username, secret } = credentials;
      const first =
        mode === 'register' && !resume
          ? { type: 'register', username, password: secret }
          : { type: 'auth', username, ...(mode === 'token' ? { token: secret } : { password: secret }) };
      first.capabilities = ['events', 'batch'];
      if (resume && first.type === 'auth') first.resume = resume;
      socket.send(JSON.stringify(first));
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      for (const line of event.data.split('\n')) {
        if (line === '') continue;
        let msg;
        try {
          msg = JSON.parse(line);
        } catch {
          continue;
        }
        if (msg.type === 'auth-ok') {
          authenticated = true;
          attempts = 0;
          if (msg.resume) resume = msg.resume;
          // After a password login or a registration, reconnects use the account's session token
          // (auth-ok.token) and the password is forgotten; without one, a registration's
          // reconnects log in to the new account.
          if (typeof msg.token === 'string' && credentials.mode !== 'token')
            credentials = { ...credentials, mode: 'token', secret: msg.token };
          else if (credentials.mode === 'register') credentials = { ...credentials, mode: 'login' };
          onStatus('online', msg.username);
        } else if (msg.type === 'auth-error') {
          // A stale resume token: try once more without it.
          if (resume) {
            resume = undefined;
            socket.onclose = null;
            socket.close();
            open();
            return;
          }
          stopped = true;
        }
        onMessage(msg);
      }
    };
    socket.onclose = (event) => {
      if (ws !== socket) return;
      ws = undefined;
      if (stopped || FINAL.has(event.code) || (!authenticated && attempts > 0 && event.code === 4001)) {
        stopped = true;
        onStatus('offline', event.reason || undefined);
        return;
      }
      const delay = backoffMs(attempts++);
      onStatus('reconnecting', `in ${Math.ceil(delay / 1000)} s`);
      timer = setTimeout(open, delay);
    };
  }

  return {
    /** @param {{ mode: 'login' | 'register' | 'token', username: string, secret: string }} creds */
    connect(creds) {
      credentials = creds;
      resume = undefined;
      attempts = 0;
      stopped = false;
      open();
    },
    /** Sends a typed line; `quit` leaves properly with the protocol's quit message. */
    command(line) {
      if (line.trim().toLowerCase() === 'quit') {
        stopped = true;
        return send({ type: 'quit', id: nextId++ });
      }
      return send({ type: 'cmd', line, id: nextId++ });
    },
    close() {
      stopped = true;
      clearTimeout(timer);
      ws?.close(1000, 'bye');
    },
    get online() {
      return authenticated && ws?.readyState === WebSocket.OPEN;
    },
  };
}
