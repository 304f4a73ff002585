/**
 * The shape of the players' load (scenarios/players.ts), shared with the benchmark that reads
 * its figures. Here, not in the scenario: importing the scenario reads MUD_BENCH_* from the
 * environment, which the benchmark sets only just before it starts the load generator.
 */

/** Logins a second while the players arrive. */
export const LOGINS_PER_SECOND = 250;
/**
 * Mean time between one player's commands: a person at a MUD types a command every few
 * seconds; 5,000 players at 5 s are 1,000 commands a second.
 */
export const COMMAND_GAP_MS = 5_000;
/** A command not answered within this long counts as unanswered. */
export const COMMAND_TIMEOUT_MS = 10_000;
