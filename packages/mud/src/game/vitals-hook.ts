import type { GameContext, Player } from '@leviathan/engine';

/**
 * Tells a player their health or energy changed. Combat and healing call it wherever they change
 * either, so clients that draw bars can follow.
 */
export function notifyVitals(_ctx: GameContext, _player: Player): void {
  // Wired to the vitals event at merge (the `vitals` structured event is built in another branch).
}
