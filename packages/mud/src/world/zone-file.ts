import { isDeepStrictEqual } from 'node:util';
import { type Document, isMap, isSeq, parseDocument, Scalar, type YAMLMap } from 'yaml';
import type { Direction } from './world-types.js';

/**
 * How edited zone files are printed: no folding of long lines (authors wrap their own prose, and a
 * folded line would show as a change), and flow maps padded as the example world writes them
 * (`{ north: quay }`).
 */
const PRINT = { lineWidth: 0, flowCollectionPadding: true } as const;

/**
 * A zone file being edited by builder commands, kept diff-friendly: each edit is made on the YAML
 * Document (comments, key order and styles survive), and only the lines the edit changed are
 * taken from the printed document; every other line is copied from the file as it was. (Printing
 * the whole document is not enough: `yaml` normalises flow padding, so `[anchor]` would come back
 * as `[ anchor ]` everywhere and each edit would touch unrelated lines.)
 */
export class ZoneFile {
  #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  /** The file's text with every edit made so far. */
  get text(): string {
    return this.#text;
  }

  /** Adds a room at the end of `rooms`, after a blank line, its description as a `|` block. */
  addRoom(id: string, title: string, description: string, exits: Partial<Record<Direction, string>>): void {
    this.#edit((doc) => {
      const rooms = doc.get('rooms');
      if (!isMap(rooms)) throw new Error('the zone file has no rooms mapping');
      const room: Record<string, unknown> = { title, description: asBlock(description) };
      if (Object.keys(exits).length > 0) room.exits = exits;
      const node = doc.createNode(room) as YAMLMap;
      const desc = node.get('description', true) as Scalar;
      desc.type = Scalar.BLOCK_LITERAL;
      const exitNode = node.get('exits', true);
      if (isMap(exitNode)) exitNode.flow = true;
      const key = doc.createNode(id) as Scalar;
      key.spaceBefore = true;
      rooms.add(doc.createPair(key, node));
    });
  }

  /** Sets (or replaces) an exit of a room; `to` as the file writes it (`quay` or `cliffs:path`). */
  setExit(room: string, direction: Direction, to: string): void {
    this.#edit((doc) => {
      const exits = doc.getIn(['rooms', room, 'exits']);
      if (isMap(exits)) exits.set(direction, to);
      else {
        const node = doc.createNode({ [direction]: to }) as YAMLMap;
        node.flow = true;
        doc.setIn(['rooms', room, 'exits'], node);
      }
    });
  }

  /** Removes an exit; removes `exits` too when it was the last one. */
  removeExit(room: string, direction: Direction): void {
    this.#edit((doc) => {
      doc.deleteIn(['rooms', room, 'exits', direction]);
      const exits = doc.getIn(['rooms', room, 'exits']);
      if (isMap(exits) && exits.items.length === 0) doc.deleteIn(['rooms', room, 'exits']);
    });
  }

  /** Sets a room's title, or its description (as a `|` block, as authors write prose). */
  setRoomText(room: string, field: 'title' | 'description', value: string): void {
    this.#edit((doc) => {
      const node = doc.createNode(field === 'description' ? asBlock(value) : value) as Scalar;
      if (field === 'description') node.type = Scalar.BLOCK_LITERAL;
      doc.setIn(['rooms', room, field], node);
    });
  }

  /** Adds an item to a room's placements (`items: [anchor]`), creating the list when needed. */
  addRoomItem(room: string, item: string): void {
    this.#edit((doc) => {
      const items = doc.getIn(['rooms', room, 'items']);
      if (isSeq(items)) items.add(doc.createNode(item));
      else if (items === undefined) {
        const node = doc.createNode([item]);
        if (isSeq(node)) node.flow = true;
        doc.setIn(['rooms', room, 'items'], node);
      } else throw new Error(`rooms.${room}.items is not a list`);
    });
  }

  /** Moves an NPC's spawn room (`npcs.<id>.spawn`), written as the room's local id. */
  setNpcSpawn(npc: string, room: string): void {
    this.#edit((doc) => {
      if (!doc.hasIn(['npcs', npc])) throw new Error(`npc "${npc}" is not defined in this zone file`);
      doc.setIn(['npcs', npc, 'spawn'], room);
    });
  }

  /**
   * Makes one edit: prints the document before and after it, and splices the lines that differ
   * (between their common first and last lines) into the file's own text. Falls back to the
   * whole printed document when the file's lines do not map one to one onto the printed ones, or
   * when the spliced text would not read back as the edited data (never a wrong file).
   */
  #edit(change: (doc: Document) => void): void {
    const doc = parseDocument(this.#text, { uniqueKeys: true });
    if (doc.errors.length > 0) throw doc.errors[0]!;
    const before = doc.toString(PRINT);
    change(doc);
    const after = doc.toString(PRINT);
    this.#text = spliceChange(this.#text, before, after) ?? after;
    const check = parseDocument(this.#text);
    if (check.errors.length > 0 || !isDeepStrictEqual(check.toJS(), doc.toJS())) this.#text = after;
  }
}

/** Prose ends with a newline, so it prints as `|` (as authors write it), not `|-`. */
function asBlock(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * The file's text with the lines that changed between two printings of it replaced; undefined
 * when the file and its first printing have different line counts (no line-for-line mapping).
 */
export function spliceChange(file: string, before: string, after: string): string | undefined {
  const own = file.split('\n');
  const a = before.split('\n');
  const b = after.split('\n');
  if (own.length !== a.length) return undefined;
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  return [...own.slice(0, head), ...b.slice(head, b.length - tail), ...own.slice(own.length - tail)].join(
    '\n',
  );
}
