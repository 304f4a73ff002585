import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** Used when the output is not a terminal (it has no size). */
export const DEFAULT_TERMINAL_SIZE = { columns: 80, rows: 24 } as const;

/** The terminal's size, redrawn on every resize (SIGWINCH: a window dragged, tmux split, ssh -t). */
export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({
    columns: stdout.columns || DEFAULT_TERMINAL_SIZE.columns,
    rows: stdout.rows || DEFAULT_TERMINAL_SIZE.rows,
  });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
