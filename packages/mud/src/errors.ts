import { EngineError } from '@leviathan/engine';

/**
 * Every error code of @leviathan/mud, stable: each is documented in docs/errors.md under
 * `## @leviathan/mud`. The classes extend the engine's `EngineError`, so a server's error
 * handling (`err.code`, `cause`) treats them like its own.
 */
export const MudErrorCode = {
  WorldNotFound: 'LEV_ERR_WORLD_NOT_FOUND',
  WorldSyntax: 'LEV_ERR_WORLD_SYNTAX',
  WorldInvalid: 'LEV_ERR_WORLD_INVALID',
} as const;
export type MudErrorCode = (typeof MudErrorCode)[keyof typeof MudErrorCode];

// ─── World (the world files) ─────────────────────────────────────────────────────────────────────

/** One thing wrong with a world file: the file (relative to the world directory) and key path. */
export interface WorldIssueInfo {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

function worldSummary(what: string, dir: string, issues: readonly WorldIssueInfo[]): string {
  const n = issues.length;
  const lines = issues.map(
    (i) => `  ${i.path ? `${i.file}: ${i.path}: ${i.message}` : `${i.file}: ${i.message}`}`,
  );
  return `${what} in the world at ${dir} (${n} problem${n === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

/** Base of the world loader's errors: every issue found, each with its file and key path. */
export class WorldError extends EngineError {
  override readonly name: string = 'WorldError';
  readonly issues: readonly WorldIssueInfo[];
  constructor(
    code: MudErrorCode,
    message: string,
    issues: readonly WorldIssueInfo[],
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.issues = issues;
  }
}

/** The world directory or its `world.yaml` does not exist or cannot be read. */
export class WorldNotFoundError extends WorldError {
  override readonly name = 'WorldNotFoundError';
  constructor(dir: string, options?: { cause?: unknown }) {
    super(MudErrorCode.WorldNotFound, `no world at ${dir} (expected ${dir}/world.yaml)`, [], options);
  }
}

/** A world file is not valid YAML (or repeats a key). */
export class WorldSyntaxError extends WorldError {
  override readonly name = 'WorldSyntaxError';
  constructor(dir: string, issues: readonly WorldIssueInfo[]) {
    super(MudErrorCode.WorldSyntax, worldSummary('YAML syntax errors', dir, issues), issues);
  }
}

/**
 * World files parse but break the format: wrong types, unknown or missing keys, duplicate ids,
 * exits to rooms that do not exist, NPCs outside their zone.
 */
export class WorldInvalidError extends WorldError {
  override readonly name = 'WorldInvalidError';
  constructor(dir: string, issues: readonly WorldIssueInfo[]) {
    super(MudErrorCode.WorldInvalid, worldSummary('Invalid world data', dir, issues), issues);
  }
}
