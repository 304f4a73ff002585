import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ConfigInvalidError } from '../errors.js';
import type { LogDestination } from './logger.js';

type PrettyFactory = (options: Record<string, unknown>) => (line: string) => string;

/**
 * A destination that writes each JSON line through pino-pretty's `prettyFactory`, synchronously,
 * to `out`. pino-pretty is not a dependency of the engine: it is looked up from the application
 * (the working directory) first, then from the engine, and a clear error says to install it.
 * `from` is for tests.
 */
export function loadPrettyDestination(
  out: { write(text: string): unknown },
  from: readonly string[] = [join(process.cwd(), 'package.json'), import.meta.url],
): LogDestination {
  const factory = findPrettyFactory(from);
  const pretty = factory({
    colorize: (out as { isTTY?: boolean }).isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
  return {
    write(line: string) {
      out.write(pretty(line));
    },
  };
}

function findPrettyFactory(from: readonly string[]): PrettyFactory {
  for (const base of from) {
    try {
      const module = createRequire(base)('pino-pretty') as { prettyFactory?: PrettyFactory };
      if (typeof module.prettyFactory === 'function') return module.prettyFactory;
    } catch {
      // not installed there: try the next place
    }
  }
  throw new ConfigInvalidError([
    {
      key: 'log.pretty',
      message:
        'needs the pino-pretty package, which is not installed (npm install --save-dev pino-pretty); or leave log.pretty off and pipe: leviathan serve | npx pino-pretty',
      source: 'code',
      origin: 'the log.pretty option',
    },
  ]);
}
