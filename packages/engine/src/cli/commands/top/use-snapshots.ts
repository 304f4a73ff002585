import { useApp } from 'ink';
import { useEffect, useState } from 'react';
import type { DashboardSnapshot } from '../../../dashboard/dashboard-snapshot.js';
import type { DashboardSource } from '../../../dashboard/dashboard-source.js';

export interface Sampled {
  /** The latest sample; undefined before the first answer (or failure) came. */
  readonly snapshot: DashboardSnapshot | undefined;
  /** When the target started answering this time (epoch ms); undefined while it does not. */
  readonly reachableSince: number | undefined;
}

/**
 * Samples `source` now and then every `intervalMs`, one request at a time: the next starts an
 * interval after the previous one started, or at once when it took longer (a slow target is not
 * asked twice at the same time). A target that does not answer gives a snapshot saying so (the
 * source never throws), so the loop simply goes on and the screen recovers when it answers again.
 */
export function useSnapshots(source: DashboardSource, intervalMs: number): Sampled {
  const { exit } = useApp();
  const [sampled, setSampled] = useState<Sampled>({ snapshot: undefined, reachableSince: undefined });
  useEffect(() => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const next = async (): Promise<void> => {
      const started = Date.now();
      let snapshot: DashboardSnapshot;
      try {
        snapshot = await source.sample();
      } catch (error) {
        // The source broke its promise never to throw: a bug to show, not a target to retry.
        if (!stopped) exit(error as Error);
        return;
      }
      if (stopped) return;
      setSampled((previous) => ({
        snapshot,
        reachableSince: !snapshot.reachable
          ? undefined
          : previous.snapshot?.reachable === true && previous.reachableSince !== undefined
            ? previous.reachableSince
            : snapshot.at,
      }));
      timer = setTimeout(() => void next(), Math.max(0, intervalMs - (Date.now() - started)));
    };
    void next();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source.close();
    };
  }, [source, intervalMs, exit]);
  return sampled;
}
