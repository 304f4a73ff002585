import type { Socket } from 'node:net';
import {
  ErrorCode,
  FORWARDED_HEADER,
  LineSplitter,
  type ProtocolError,
  USERNAME_PATTERN,
} from '@leviathan/protocol';
import WebSocket from 'ws';
import { ClientView } from './client-view.js';
import type { DroppedCharacter, LinkDeadCharacters } from './link-dead.js';
import { encodeTelnetText } from './telnet-codec.js';
import { TelnetLink, type TelnetLinkOptions } from './telnet-link.js';

export interface TelnetSessionOptions {
  /** The gateway's WebSocket URL this session speaks through. */
  gatewayUrl: string;
  /** How the secret typed at the password prompt is sent: as an account password or a token. */
  secretAs: 'password' | 'token';
  /** Sent as the token when the player leaves the secret empty (development mode only). */
  defaultToken: string | undefined;
  /** Text shown to line-mode clients on connect. */
  banner: string;
  /** Columns to wrap text at when the client does not report its width; 0 for none. */
  wrap: number;
  /** The MSSP variables for MUD listings' crawlers. */
  mssp: TelnetLinkOptions['mssp'];
  /** Longest input line, in bytes. */
  maxLineBytes: number;
  /** Wait this long for a first line before greeting, so JSON bots that speak first get no banner. */
  greetDelayMs: number;
  /** Lines held while the WebSocket opens; past this the client is too fast and is closed. */
  maxQueued: number;
  /** The resume tokens of line-mode characters whose client dropped. */
  linkDead: LinkDeadCharacters;
  /** Every gateway connection of the server's sessions, open or closing, so close() can wait. */
  gatewaySockets: Set<WebSocket>;
}

type Phase =
  | 'detect'
  | 'name'
  | 'password'
  | 'new-name'
  | 'new-password'
  | 'authenticating'
  | 'playing'
  | 'json'
  | 'closed';

/** Login attempts allowed per TCP connection. */
const MAX_ATTEMPTS = 3;

/**
 * One TCP client. Line mode: a login dialogue, then every line is a `cmd`, and the text of what
 * comes back is written with CR LF line ends, word-wrapped. JSON-lines mode (the first line starts
 * with `{`): lines go to the gateway as they are and messages come back one per line. Either way
 * the session speaks to the gateway's own `/ws`, so auth, rate limits, routing to shards and
 * handoffs are the gateway's, never a second implementation.
 */
export class TelnetSession {
  readonly #socket: Socket;
  readonly #options: TelnetSessionOptions;
  readonly #link: TelnetLink;
  readonly #view: ClientView;
  readonly #splitter: LineSplitter;
  #phase: Phase = 'detect';
  #ws: WebSocket | undefined;
  #queue: string[] = [];
  #username = '';
  #attempts = 0;
  #greetTimer: NodeJS.Timeout | undefined;
  #nextId = 1;
  /** The gateway's resume token and session id of this login (auth-ok), kept on a drop. */
  #resumable: DroppedCharacter | undefined;
  /** The character this login asks back (sent as `auth.resume`), until auth-ok says if it was. */
  #resuming: DroppedCharacter | undefined;
  /** The player typed quit: the close that follows is no drop. */
  #quitting = false;
  readonly #onClose: () => void;
  readonly #onWsMessage = (data: WebSocket.RawData, isBinary: boolean) => {
    if (!isBinary) this.#fromGateway(data.toString());
  };
  readonly #onWsOpen = () => {
    const ws = this.#ws;
    if (ws === undefined) return;
    for (const line of this.#queue) ws.send(line);
    this.#queue = [];
  };
  readonly #onWsClose = () => {
    const ws = this.#ws;
    if (ws !== undefined) this.#gatewayClosed(ws);
  };

  constructor(socket: Socket, options: TelnetSessionOptions, onClose: () => void) {
    this.#socket = socket;
    this.#options = options;
    this.#onClose = onClose;
    this.#link = new TelnetLink(socket, { wrap: options.wrap, mssp: options.mssp });
    this.#view = new ClientView(this.#link);
    this.#splitter = new LineSplitter(
      (line) => this.#line(line),
      (err) => this.#lineError(err),
      { maxLineBytes: options.maxLineBytes },
    );
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#data(chunk));
    socket.on('drain', () => this.#ws?.resume());
    socket.on('error', () => this.#close());
    socket.on('close', () => this.#close());
    this.#greetTimer = setTimeout(() => this.#greet(), options.greetDelayMs);
  }

  get phase(): Phase {
    return this.#phase;
  }

  /** The telnet layer: negotiated options, width, colour. */
  get link(): TelnetLink {
    return this.#link;
  }

  /** Ends the session from the server side (shutdown), with a last line for line-mode clients. */
  end(reason: string): void {
    this.#quitting = true;
    if (this.#phase !== 'json' && this.#phase !== 'closed') this.#write(`\n[${reason}]\n`);
    this.#close();
  }

  #data(chunk: Buffer): void {
    const data = this.#link.decoder.push(chunk);
    if (this.#phase === 'detect' && this.#link.speaksTelnet) this.#greet();
    if (data.length > 0) this.#splitter.push(data);
  }

  #greet(): void {
    if (this.#greetTimer !== undefined) clearTimeout(this.#greetTimer);
    this.#greetTimer = undefined;
    if (this.#phase !== 'detect') return;
    this.#phase = 'name';
    this.#link.offer();
    this.#write(`${this.#options.banner}\n\nBy what name are you known? (or "new" to create an account) `);
  }

  #line(line: string): void {
    if (this.#phase === 'detect') {
      if (line.trimStart().startsWith('{')) {
        if (this.#greetTimer !== undefined) clearTimeout(this.#greetTimer);
        this.#phase = 'json';
        this.#open();
      } else {
        this.#greet();
        if (line.trim() === '') return;
      }
    }
    switch (this.#phase) {
      case 'json':
        this.#send(line);
        return;
      case 'name':
        this.#askedName(line.trim());
        return;
      case 'new-name':
        this.#askedNewName(line.trim());
        return;
      case 'password':
      case 'new-password':
        this.#askedPassword(line);
        return;
      case 'playing':
        if (line.trim() === '') return;
        if (this.#colourCommand(line)) return;
        if (line.trim().toLowerCase() === 'quit')
          this.#send(JSON.stringify({ type: 'quit', id: this.#nextId++ }));
        else this.#send(JSON.stringify({ type: 'cmd', line, id: this.#nextId++ }));
        return;
      default:
        return; // authenticating: typing ahead of the login is dropped
    }
  }

  #askedName(name: string): void {
    if (name === '') {
      this.#write('By what name are you known? ');
      return;
    }
    if (name.toLowerCase() === 'new') {
      this.#phase = 'new-name';
      this.#write('Choose a name (a letter, then letters, digits, - or _): ');
      return;
    }
    if (!USERNAME_PATTERN.test(name)) {
      this.#write('Names start with a letter and hold letters, digits, - or _ (32 at most).\nName: ');
      return;
    }
    this.#username = name;
    this.#phase = 'password';
    this.#promptSecret(
      this.#options.defaultToken !== undefined
        ? 'Password (or Enter for a development login): '
        : 'Password: ',
    );
  }

  #askedNewName(name: string): void {
    if (!USERNAME_PATTERN.test(name)) {
      this.#write('Names start with a letter and hold letters, digits, - or _ (32 at most).\nName: ');
      return;
    }
    this.#username = name;
    this.#phase = 'new-password';
    this.#promptSecret('Choose a password: ');
  }

  /** Asks for a secret; a telnet client is told the server echoes, so it hides the typing. */
  #promptSecret(prompt: string): void {
    this.#write(prompt);
    if (this.#link.speaksTelnet) this.#link.echo(true);
  }

  /**
   * `colour`, `colour on`, `colour off` (or `color`): a display setting of this connection, so the
   * bridge answers it and the game never sees it.
   */
  #colourCommand(line: string): boolean {
    const match = /^\s*colou?r(?:\s+(on|off))?\s*$/i.exec(line);
    if (match === null) return false;
    if (match[1] !== undefined) this.#link.colourChoice = match[1].toLowerCase() === 'on';
    this.#write(
      this.#link.colour
        ? 'Colour is on ("colour off" turns it off).\n'
        : 'Colour is off ("colour on" turns it on).\n',
    );
    return true;
  }

  #askedPassword(secret: string): void {
    if (this.#link.speaksTelnet) {
      this.#link.echo(false);
      this.#write('\n');
    }
    const register = this.#phase === 'new-password';
    this.#phase = 'authenticating';
    // `events`: the structured room, chat and vitals messages, which become GMCP and colour.
    const base = { username: this.#username, id: 'login', capabilities: ['events'] };
    let message: Record<string, unknown>;
    if (register) message = { type: 'register', ...base, password: secret };
    else if (secret === '' && this.#options.defaultToken !== undefined)
      message = { type: 'auth', ...base, token: this.#options.defaultToken };
    else if (this.#options.secretAs === 'token') message = { type: 'auth', ...base, token: secret };
    else message = { type: 'auth', ...base, password: secret };
    // A character of this name dropped from this bridge: ask the gateway for it back. The secret
    // is checked as for any login; a token gone stale is an ordinary login.
    const dropped = register ? undefined : this.#options.linkDead.take(this.#username);
    if (dropped !== undefined) {
      message.resume = dropped.resume;
      this.#resuming = dropped;
    }
    this.#open();
    this.#send(JSON.stringify(message));
  }

  #open(): void {
    if (this.#ws !== undefined) return;
    // The gateway sees this bridge's loopback address; the header tells it the client's own (it is
    // trusted from loopback only), so per-address limits and logs see real clients.
    const ws = new WebSocket(this.#options.gatewayUrl, {
      perMessageDeflate: false,
      headers: { [FORWARDED_HEADER]: this.#socket.remoteAddress ?? '' },
    });
    const sockets = this.#options.gatewaySockets;
    sockets.add(ws);
    ws.once('close', () => sockets.delete(ws));
    this.#attach(ws);
  }

  #attach(ws: WebSocket): void {
    this.#ws = ws;
    ws.on('open', this.#onWsOpen);
    ws.on('message', this.#onWsMessage);
    ws.on('close', this.#onWsClose);
    // 'close' follows an error; a refused connection is reported there.
    ws.on('error', () => {});
  }

  /** Detaches the gateway connection from this session before it is closed. */
  #release(): WebSocket | undefined {
    const ws = this.#ws;
    this.#ws = undefined;
    if (ws === undefined) return undefined;
    ws.off('open', this.#onWsOpen);
    ws.off('message', this.#onWsMessage);
    ws.off('close', this.#onWsClose);
    return ws;
  }

  #send(line: string): void {
    const ws = this.#ws;
    if (ws !== undefined && ws.readyState === WebSocket.OPEN) {
      ws.send(line);
      return;
    }
    if (this.#queue.length >= this.#options.maxQueued) {
      this.#socket.destroy();
      return;
    }
    this.#queue.push(line);
  }

  #fromGateway(text: string): void {
    if (this.#phase === 'json') {
      if (!this.#socket.write(`${text}\n`)) this.#ws?.pause();
      return;
    }
    for (const line of text.split('\n')) {
      let msg: { type?: unknown; [k: string]: unknown };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        continue;
      }
      if (msg.type === 'auth-ok') {
        this.#phase = 'playing';
        this.#attempts = 0;
        this.#loggedIn(msg);
        this.#view.loggedIn(this.#username);
      }
      const out = this.#view.show(msg);
      if (out !== undefined) this.#write(`${out}\n`);
    }
  }

  /**
   * Keeps what a drop needs (the resume token, when the server has sessions), and tells a player
   * who got a dropped character back: the gateway then sends what it missed, and the game the room.
   */
  #loggedIn(msg: { [k: string]: unknown }): void {
    const session = typeof msg.session === 'string' ? msg.session : '';
    this.#resumable =
      typeof msg.resume === 'string' && msg.resume !== '' ? { resume: msg.resume, session } : undefined;
    if (this.#resuming !== undefined && this.#resuming.session === session)
      this.#write('You take your character back.\n');
    this.#resuming = undefined;
  }

  #gatewayClosed(ws: WebSocket): void {
    if (this.#ws !== ws) return;
    this.#ws = undefined;
    this.#queue = [];
    if (this.#phase === 'closed') return;
    // A login that asked for a dropped character and failed (a wrong secret): the character is
    // still waiting, for a login that gets it right.
    if (this.#phase === 'authenticating' && this.#resuming !== undefined) {
      this.#options.linkDead.remember(this.#username, this.#resuming);
      this.#resuming = undefined;
    }
    if (this.#phase === 'authenticating' && ++this.#attempts < MAX_ATTEMPTS) {
      // A failed login: the gateway closes the socket; offer another try on a new one.
      this.#phase = 'name';
      this.#write('\nBy what name are you known? (or "new" to create an account) ');
      return;
    }
    if (this.#phase !== 'json') this.#write('\nConnection closed. Farewell.\n');
    this.#close();
  }

  #lineError(err: ProtocolError): void {
    if (this.#phase === 'json')
      this.#socket.write(`${JSON.stringify({ type: 'error', code: err.code, message: err.message })}\n`);
    else if (err.code === ErrorCode.LineTooLarge)
      this.#write(`That line is too long (${this.#options.maxLineBytes} bytes at most).\n`);
    else this.#write('That line is not valid UTF-8 text; it was ignored.\n');
  }

  #write(text: string): void {
    if (this.#socket.destroyed || !this.#socket.writable) return;
    if (!this.#link.write(encodeTelnetText(text))) this.#ws?.pause();
  }

  #close(): void {
    if (this.#phase === 'closed') return;
    const wasPlaying = this.#phase === 'playing';
    this.#phase = 'closed';
    if (this.#greetTimer !== undefined) clearTimeout(this.#greetTimer);
    const ws = this.#release();
    // A drop without quit, on a server with sessions: closed as a drop (1001), so the gateway keeps
    // the character for its grace period; the token asks for it back. Otherwise a plain logout.
    const drop = ws !== undefined && wasPlaying && !this.#quitting && this.#resumable !== undefined;
    if (drop) this.#options.linkDead.remember(this.#username, this.#resumable!);
    if (ws !== undefined && ws.readyState !== WebSocket.CLOSED && ws.readyState !== WebSocket.CLOSING) {
      if (drop) ws.close(1001, 'telnet client dropped');
      else ws.close(1000, 'telnet client left');
    }
    this.#link.end();
    this.#onClose();
  }
}
