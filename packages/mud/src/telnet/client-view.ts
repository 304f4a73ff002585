import { isVitalsMessage, type JsonValue, type VitalsMessage } from '@leviathan/protocol';
import { colourForLine } from './colour-message.js';
import { charQuests, charStatus, charVitals, roomInfo } from './gmcp.js';
import { renderForLine, stripControls } from './render-message.js';
import { wordWrap } from './telnet-codec.js';
import type { TelnetLink } from './telnet-link.js';

type Message = { type?: unknown; [k: string]: unknown };

/**
 * What a line-mode player's client is shown of the game's messages: their text, coloured and
 * wrapped as the client negotiated, and GMCP for its panels and mapper (Char.Status, Char.Vitals,
 * Char.Quests, Room.Info, Comm.Channel.Text), built from the structured `vitals`, `room`, `chat`
 * and `quests` event messages the game sends beside the text.
 */
export class ClientView {
  readonly #link: TelnetLink;
  /** The last room: its title, to colour its text, and its Room.Info, sent on a move or GMCP's start. */
  #room: { id: string; title: string; info: JsonValue } | undefined;
  #name: string | undefined;
  /** The last vitals, for Char.Status's level and experience and when GMCP starts late. */
  #vitals: VitalsMessage | undefined;
  /** The last Char.Quests, for a client that turns GMCP on after the game sent the journal. */
  #quests: JsonValue | undefined;

  constructor(link: TelnetLink) {
    this.#link = link;
    link.onGmcpReady = () => this.#sendState();
  }

  /** The player is in: Char.Status, once GMCP is on (now, or when the client agrees to it). */
  loggedIn(name: string): void {
    this.#name = name;
    this.#sendState();
  }

  /** A message from the game: its GMCP, and the text to write (undefined when it has none). */
  show(msg: Message): string | undefined {
    if (msg.type === 'room') this.#roomChanged(msg);
    else if (msg.type === 'chat') this.#chat(msg);
    else if (msg.type === 'vitals') this.#vitalsChanged(msg);
    else if (msg.type === 'event' && msg.name === 'quests') this.#questsChanged(msg.data);
    const plain = renderForLine(msg);
    if (plain === undefined) return undefined;
    const out = this.#link.colour ? colourForLine(msg, plain, this.#room?.title) : plain;
    return wordWrap(out, this.#link.wrap);
  }

  /** Everything a client's panels show, for a client that just turned GMCP on or logged in. */
  #sendState(): void {
    if (this.#name === undefined) return;
    this.#link.gmcp('Char.Status', charStatus(this.#name, this.#vitals));
    if (this.#vitals !== undefined) this.#link.gmcp('Char.Vitals', charVitals(this.#vitals));
    if (this.#quests !== undefined) this.#link.gmcp('Char.Quests', this.#quests);
    if (this.#room !== undefined) this.#link.gmcp('Room.Info', this.#room.info);
  }

  /** Char.Quests on every `quests` event: the game sends one when the journal changed. */
  #questsChanged(data: unknown): void {
    const quests = charQuests(data);
    if (quests === undefined) return;
    this.#quests = quests;
    if (this.#name !== undefined) this.#link.gmcp('Char.Quests', quests);
  }

  /**
   * Char.Vitals on every `vitals` (the game sends one when a figure changed), and Char.Status again
   * when the level or experience it carries changed. A malformed one is dropped whole, so a panel
   * never shows half of it.
   */
  #vitalsChanged(msg: Message): void {
    if (!isVitalsMessage(msg)) return;
    const before = this.#vitals;
    this.#vitals = msg;
    if (this.#name === undefined) return;
    this.#link.gmcp('Char.Vitals', charVitals(msg));
    if (before?.level !== msg.level || before.xp !== msg.xp) {
      this.#link.gmcp('Char.Status', charStatus(this.#name, msg));
    }
  }

  #chat(msg: Message): void {
    const { channel, from, text, to } = msg;
    if (typeof channel !== 'string' || typeof from !== 'string' || typeof text !== 'string') return;
    this.#link.gmcp('Comm.Channel.Text', {
      channel,
      talker: from,
      text: stripControls(text),
      ...(typeof to === 'string' ? { to } : {}),
    });
  }

  /** Room.Info on a move; not again for the same room (a `look`, or its items changing). */
  #roomChanged(msg: Message): void {
    const room = msg as unknown as Parameters<typeof roomInfo>[0];
    if (typeof room.id !== 'string' || typeof room.title !== 'string' || !Array.isArray(room.exits)) return;
    const moved = this.#room?.id !== room.id;
    this.#room = { id: room.id, title: room.title, info: roomInfo(room) };
    if (moved) this.#link.gmcp('Room.Info', this.#room.info);
  }
}
