import type { CliCommand } from '../cli-command.js';

/**
 * Every subcommand, loaded only when run so `leviathan --version` stays instant. Add a line here
 * for a new command (`migrate` comes with the store).
 */
export const COMMANDS: Readonly<Record<string, () => Promise<CliCommand>>> = {
  serve: async () => (await import('./serve.js')).serveCommand,
  drain: async () => (await import('./drain.js')).drainCommand,
  token: async () => (await import('./token.js')).tokenCommand,
  migrate: async () => (await import('../migrate-command.js')).migrateCommand,
  top: async () => (await import('./top/top-command.js')).topCommand,
};
