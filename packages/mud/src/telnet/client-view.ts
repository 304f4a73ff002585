import type { JsonValue } from '@leviathan/protocol';
import { colourForLine } from './colour-message.js';
import { roomInfo } from './gmcp.js';
import { renderForLine, stripControls } from './render-message.js';
import { wordWrap } from './telnet-codec.js';
import type { TelnetLink } from './telnet-link.js';

type Message = { type?: unknown; [k: string]: unknown };

/**
 * What a line-mode player's client is shown of the game's messages: their text, coloured and
 * wrapped as the client negotiated, and GMCP for its panels and mapper (Char.Status, Room.Info,
 * Comm.Channel.Text), built from the structured `room` and `chat` messages the game sends beside
 * the text.
 */
export class ClientView {
  readonly #link: TelnetLink;
  /** The last room: its title, to colour its text, and its Room.Info, sent on a move or GMCP's start. */
  #room: { id: string; title: string; info: JsonValue } | undefined;
  #name: string | undefined;

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
    const plain = renderForLine(msg);
    if (plain === undefined) return undefined;
    const out = this.#link.colour ? colourForLine(msg, plain, this.#room?.title) : plain;
    return wordWrap(out, this.#link.wrap);
  }

  /** Char.Status: who is playing; the MUD has no health or other vitals yet to send. */
  #sendState(): void {
    if (this.#name === undefined) return;
    this.#link.gmcp('Char.Status', { name: this.#name });
    if (this.#room !== undefined) this.#link.gmcp('Room.Info', this.#room.info);
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
