import { ErrorCode, type JsonObject, type RequestId } from '@leviathan/protocol';
import { CommandError } from '../errors.js';
import type { CommandDefinition } from '../game/command.js';
import type { GameLogger } from '../game/context.js';
import type { GameDefinition } from '../game/game-definition.js';
import type { CommandTableImpl } from './command-table.js';
import type { ShardContext } from './shard-context.js';
import type { PlayerImpl, ZoneImpl } from './world-objects.js';

/** Counters the worker turns into metrics. */
export interface CommandCounters {
  commands: number;
  commandErrors: number;
  systemErrors: number;
}

/**
 * Runs one command of a player: splits the line into its first word and the rest (or takes an
 * action's name and `args.text`), finds the command by name or alias, checks its role, parses and
 * runs it with the shard's context, and answers. A CommandError is a refusal the player reads; any
 * other error is logged and answered with a generic failure: a game bug costs that command, never
 * the shard.
 */
export class CommandRunner {
  readonly #commands: CommandTableImpl;
  readonly #game: GameDefinition;
  readonly #ctx: ShardContext;
  readonly #log: GameLogger;
  readonly counters: CommandCounters = { commands: 0, commandErrors: 0, systemErrors: 0 };

  constructor(commands: CommandTableImpl, game: GameDefinition, ctx: ShardContext, log: GameLogger) {
    this.#commands = commands;
    this.#game = game;
    this.#ctx = ctx;
    this.#log = log;
  }

  run(
    player: PlayerImpl,
    here: ZoneImpl,
    line: string,
    id: RequestId | null,
    receivedAt: number,
    actionArgs: JsonObject | null,
  ): void {
    this.counters.commands++;
    const ctx = this.#ctx;
    ctx.begin(player, here, line, id, receivedAt);
    let word: string;
    let rest: string;
    if (actionArgs === null) {
      const trimmed = line.trim();
      const space = trimmed.search(/\s/);
      word = space < 0 ? trimmed : trimmed.slice(0, space);
      rest = space < 0 ? '' : trimmed.slice(space + 1).trim();
    } else {
      word = line;
      rest = typeof actionArgs.text === 'string' ? actionArgs.text : '';
    }
    const command: CommandDefinition<unknown> | undefined =
      word.length > 0 ? this.#commands.get(word) : undefined;
    try {
      if (command === undefined || (command.role !== undefined && !player.roles.includes(command.role))) {
        if (command === undefined && this.#game.onUnknownCommand !== undefined && word.length > 0) {
          this.#game.onUnknownCommand(ctx, word);
        } else {
          ctx.fail(
            word.length === 0
              ? 'Say something: type a command.'
              : `Unknown command "${word.slice(0, 40)}". Type help.`,
            ErrorCode.UnknownCommand,
          );
        }
      } else {
        const args =
          actionArgs !== null && command.parseAction !== undefined
            ? command.parseAction(actionArgs, ctx)
            : command.parse !== undefined
              ? command.parse(rest, ctx)
              : rest;
        command.run(ctx, args);
      }
    } catch (err) {
      this.counters.commandErrors++;
      if (err instanceof CommandError) ctx.fail(err.message, ErrorCode.CommandFailed);
      else {
        this.#log.error({ err, command: command?.name, username: player.username }, 'command failed');
        ctx.fail('Something went wrong; nothing was changed.', ErrorCode.Internal);
      }
    }
    ctx.end();
  }
}
