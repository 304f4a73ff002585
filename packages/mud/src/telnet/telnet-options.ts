/**
 * Telnet option negotiation by RFC 1143's Q method: each option has a state for each side (this
 * server's, `us`, and the client's, `him`), and a request pending while a previous one is
 * unanswered is queued instead of sent. The method's whole point is that no sequence of
 * WILL/WONT/DO/DONT from a client, however buggy, makes the two sides answer each other forever.
 */
export const TelnetOption = {
  /** RFC 857: the server echoes, so a client hides what is typed (the password). */
  Echo: 1,
  /** RFC 858: no go-ahead; offered with ECHO, as every MUD client expects. */
  SuppressGoAhead: 3,
  /** RFC 1073: the client reports its window size, used to word-wrap. */
  Naws: 31,
  /** MUD Server Status Protocol: what MUD listings crawl (name, players, uptime). */
  Mssp: 70,
  /** MUD Client Compression Protocol v2: output as a zlib stream. */
  Compress2: 86,
  /** Generic MUD Communication Protocol: JSON side channel for client UIs and mappers. */
  Gmcp: 201,
} as const;
export type TelnetOption = (typeof TelnetOption)[keyof typeof TelnetOption];

export const WILL = 0xfb;
export const WONT = 0xfc;
export const DO = 0xfd;
export const DONT = 0xfe;

type State = 'no' | 'yes' | 'wantno' | 'wantyes';

/** One side of one option: its state, and whether the opposite request is queued (RFC 1143 §7). */
interface Side {
  state: State;
  opposite: boolean;
}

export type Party = 'us' | 'him';

/** What the table tells its owner: bytes to send, and an option that changed on one side. */
export interface OptionEvents {
  send(verb: number, option: number): void;
  changed(party: Party, option: number, enabled: boolean): void;
}

/**
 * The options of one connection. `usAllowed` are options this server will enable when a client
 * asks (DO); `himAllowed` those it lets a client enable (WILL). Anything else is refused, so an
 * unknown option costs one answer and no state.
 */
export class OptionTable {
  readonly #us = new Map<number, Side>();
  readonly #him = new Map<number, Side>();
  readonly #usAllowed: ReadonlySet<number>;
  readonly #himAllowed: ReadonlySet<number>;
  readonly #events: OptionEvents;

  constructor(usAllowed: Iterable<number>, himAllowed: Iterable<number>, events: OptionEvents) {
    this.#usAllowed = new Set(usAllowed);
    this.#himAllowed = new Set(himAllowed);
    this.#events = events;
  }

  /** Whether the option is in effect on that side. */
  enabled(party: Party, option: number): boolean {
    return (party === 'us' ? this.#us : this.#him).get(option)?.state === 'yes';
  }

  /** Asks to enable (`WILL` for us, `DO` for him) or disable an option; queued while one is pending. */
  request(party: Party, option: number, enable: boolean): void {
    const side = this.#side(party, option);
    const [yes, no] = party === 'us' ? [WILL, WONT] : [DO, DONT];
    const want: State = enable ? 'wantyes' : 'wantno';
    const other: State = enable ? 'wantno' : 'wantyes';
    if (side.state === (enable ? 'no' : 'yes')) {
      side.state = want;
      this.#events.send(enable ? yes : no, option);
    } else if (side.state === other) side.opposite = true;
    else if (side.state === want) side.opposite = false;
    // Already in the state asked for: nothing to say.
  }

  /** A WILL, WONT, DO or DONT received from the client. */
  received(verb: number, option: number): void {
    const party: Party = verb === WILL || verb === WONT ? 'him' : 'us';
    const enable = verb === WILL || verb === DO;
    const allowed = (party === 'us' ? this.#usAllowed : this.#himAllowed).has(option);
    const [yes, no] = party === 'us' ? [WILL, WONT] : [DO, DONT];
    const map = party === 'us' ? this.#us : this.#him;
    const side = map.get(option);
    if (side === undefined || side.state === 'no') {
      if (!enable) return; // never acknowledge a refusal of what is already off (RFC 854)
      if (allowed) {
        this.#side(party, option).state = 'yes';
        this.#events.send(yes, option);
        this.#events.changed(party, option, true);
      } else this.#events.send(no, option);
      return;
    }
    if (enable) this.#enableReceived(party, option, side, no);
    else this.#disableReceived(party, option, side, yes, no);
  }

  #enableReceived(party: Party, option: number, side: Side, no: number): void {
    switch (side.state) {
      case 'wantno':
        // An answer to our disable that says yes: a client error, taken as it stands (RFC 1143).
        side.state = side.opposite ? 'yes' : 'no';
        side.opposite = false;
        if (side.state === 'yes') this.#events.changed(party, option, true);
        return;
      case 'wantyes':
        if (side.opposite) {
          side.state = 'wantno';
          side.opposite = false;
          this.#events.send(no, option);
        } else {
          side.state = 'yes';
          this.#events.changed(party, option, true);
        }
        return;
      default:
        return; // yes already
    }
  }

  #disableReceived(party: Party, option: number, side: Side, yes: number, no: number): void {
    switch (side.state) {
      case 'yes':
        side.state = 'no';
        this.#events.send(no, option);
        this.#events.changed(party, option, false);
        return;
      case 'wantno':
        if (side.opposite) {
          side.state = 'wantyes';
          side.opposite = false;
          this.#events.send(yes, option);
        } else side.state = 'no';
        if (side.state === 'wantyes' || side.state === 'no') this.#events.changed(party, option, false);
        return;
      case 'wantyes':
        side.state = 'no';
        side.opposite = false;
        return;
      default:
        return;
    }
  }

  #side(party: Party, option: number): Side {
    const map = party === 'us' ? this.#us : this.#him;
    let side = map.get(option);
    if (side === undefined) {
      side = { state: 'no', opposite: false };
      map.set(option, side);
    }
    return side;
  }
}
