import { GameDefinitionError } from '../errors.js';
import type { CommandDefinition, CommandTable } from '../game/command.js';

/** The game's commands by name and alias (lower case), built once per shard. */
export class CommandTableImpl implements CommandTable {
  readonly #byWord = new Map<string, CommandDefinition<unknown>>();
  readonly #list: CommandDefinition<unknown>[] = [];

  constructor(commands: readonly CommandDefinition<unknown>[]) {
    for (const command of commands) {
      this.#list.push(command);
      for (const word of [command.name, ...(command.aliases ?? [])]) {
        const key = word.toLowerCase();
        if (key.length === 0 || /\s/.test(key))
          throw new GameDefinitionError(`invalid command word "${word}"`);
        if (this.#byWord.has(key))
          throw new GameDefinitionError(`the command word "${key}" is defined twice`);
        this.#byWord.set(key, command);
      }
    }
  }

  get(word: string): CommandDefinition<unknown> | undefined {
    return this.#byWord.get(word.toLowerCase());
  }

  list(): readonly CommandDefinition<unknown>[] {
    return this.#list;
  }
}
