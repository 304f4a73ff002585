import type { JsonObject } from '@leviathan/protocol';
import type { CommandContext } from './context.js';

/**
 * A command players type (`cmd.line`) or send as a structured `action` (`action.name`, `args`).
 * `A` is what `parse` turns the rest of the line into.
 */
export interface CommandDefinition<A = string> {
  /** The word that invokes it, lower case, no spaces. */
  readonly name: string;
  /** Other words that invoke it (`l` for `look`). */
  readonly aliases?: readonly string[];
  /** One line of usage for help: `say <text>`. */
  readonly usage?: string;
  /** Help text. */
  readonly help?: string;
  /** A role the player must have (from the auth verifier); the command is hidden from others. */
  readonly role?: string;
  /** Keep this command out of generated help. */
  readonly hidden?: boolean;
  /**
   * Turns the rest of the line (after the command word, trimmed) into arguments. Throw a
   * `CommandError` to answer with a usage message. Default: the rest of the line as a string.
   */
  readonly parse?: (rest: string, ctx: CommandContext) => A;
  /**
   * Turns the args of an `action` message into arguments. Default: the rest-of-line parser over
   * `args.text` when it is a string, else an empty string.
   */
  readonly parseAction?: (args: JsonObject, ctx: CommandContext) => A;
  /** Runs the command. Throw a `CommandError` for an expected failure; other errors are logged. */
  readonly run: (ctx: CommandContext, args: A) => void;
}

/** Defines a command with its argument type inferred from `parse`. */
export function defineCommand<A = string>(definition: CommandDefinition<A>): CommandDefinition<A> {
  return definition;
}

/** The game's commands, looked up by name or alias. */
export interface CommandTable {
  get(word: string): CommandDefinition<unknown> | undefined;
  /** Every command once, in definition order. */
  list(): readonly CommandDefinition<unknown>[];
}
