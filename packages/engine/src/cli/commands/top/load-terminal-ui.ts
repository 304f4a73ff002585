/**
 * Ink and React are optional dependencies of the engine: a server installed without them
 * (`--omit=optional`, a slim image) runs, and only `leviathan top` needs them. They are imported
 * here, when `top` runs, never by `leviathan serve`.
 */

/** Thrown when ink or react cannot be loaded; the message says how to install them. */
export class TerminalUiMissingError extends Error {
  override readonly name = 'TerminalUiMissingError';
}

const MISSING_MESSAGE =
  'ink and react are not installed here (optional dependencies of @leviathan/engine, left out by --omit=optional or --no-optional); install them beside the engine: npm install ink@6.8.0 react@19.3.1 (or pnpm add ink@6.8.0 react@19.3.1)';

/** The environment variables is-in-ci reads (Ink's check for a CI log, which turns off live redraws). */
const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

/**
 * Loads ink and react, then the screen built on them. `interactive`: the output is a terminal a
 * person looks at. Ink draws only its last frame, at exit, when the environment says CI
 * (is-in-ci, read once when ink is first imported; Ink 6.8.0 has no option to override it), so a
 * developer shell or container that exports CI=1 would show a blank screen until `q`. A terminal
 * is not a CI log: the two variables are hidden from that first import and put back right after.
 */
export async function loadTerminalUi(interactive: boolean): Promise<typeof import('./run-top.js')> {
  const hidden: [string, string][] = [];
  if (interactive)
    for (const name of CI_VARIABLES) {
      const value = process.env[name];
      if (value !== undefined) {
        hidden.push([name, value]);
        delete process.env[name];
      }
    }
  try {
    await import('react');
    await import('ink');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new TerminalUiMissingError(MISSING_MESSAGE, { cause: error });
    throw error;
  } finally {
    for (const [name, value] of hidden) process.env[name] = value;
  }
  return import('./run-top.js');
}
