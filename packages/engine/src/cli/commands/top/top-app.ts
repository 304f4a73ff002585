import { useApp, useInput, useStdin } from 'ink';
import { createElement as h, type ReactNode, useState } from 'react';
import type { DashboardSource } from '../../../dashboard/dashboard-source.js';
import { applyKey } from './key-bindings.js';
import { topLayout } from './layout.js';
import { TopScreen } from './top-screen.js';
import { useSnapshots } from './use-snapshots.js';
import { useTerminalSize } from './use-terminal-size.js';
import { INITIAL_VIEW_STATE, type ViewState } from './view-state.js';

export interface TopAppProps {
  readonly source: DashboardSource;
  readonly kind: 'node' | 'fleet';
  readonly intervalSeconds: number;
}

/** The live `leviathan top`: samples the source, follows the terminal's size, answers keys. */
export function TopApp(props: TopAppProps): ReactNode {
  const { source, kind, intervalSeconds } = props;
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const [state, setState] = useState<ViewState>(INITIAL_VIEW_STATE);
  const { snapshot, reachableSince } = useSnapshots(source, intervalSeconds * 1000);
  const { columns, rows } = useTerminalSize();
  useInput(
    (input, key) => {
      const next = applyKey(state, input, key);
      if (next === 'quit') exit();
      else if (next !== state) setState(next);
    },
    { isActive: isRawModeSupported === true },
  );
  return h(TopScreen, {
    kind,
    target: source.target,
    snapshot,
    reachableSince,
    intervalSeconds,
    layout: topLayout(columns, rows),
    state,
  });
}
