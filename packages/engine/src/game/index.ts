export { type CommandDefinition, type CommandTable, defineCommand } from './command.js';
export type {
  BroadcastOptions,
  CommandContext,
  GameContext,
  GameLogger,
  JobRunner,
  Priority,
  SendOptions,
} from './context.js';
export type { Directory, DirectoryEntry } from './directory.js';
export {
  defineGame,
  type EnterReason,
  type GameDefinition,
  type GameModuleExport,
  type LeaveReason,
  type SystemDefinition,
} from './game-definition.js';
export type { Location, Player } from './player.js';
export {
  defaultPresenceSummaryText,
  type PresenceEvent,
  type PresenceOptions,
  type PresenceSummary,
} from './presence.js';
export type { GameService, RunningService, ServiceHost } from './service.js';
export type { TimerId, Timers } from './timers.js';
export type { Entity, Zone, ZoneDefinition } from './zone.js';
