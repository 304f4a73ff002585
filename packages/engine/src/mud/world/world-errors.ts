import { formatIssue, type WorldIssue } from './world-issue.js';

// Moved into src/errors.ts once the package's base class lands there (ENGINE-PLAN.md).
/** Base of the world loader's errors: a stable code and every issue found. */
export class WorldError extends Error {
  readonly code: string;
  readonly issues: readonly WorldIssue[];
  constructor(code: string, message: string, issues: readonly WorldIssue[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.issues = issues;
  }
}

function summary(what: string, dir: string, issues: readonly WorldIssue[]): string {
  const n = issues.length;
  return `${what} in the world at ${dir} (${n} problem${n === 1 ? '' : 's'}):\n${issues
    .map((i) => `  ${formatIssue(i)}`)
    .join('\n')}`;
}

/** The world directory or its `world.yaml` does not exist or cannot be read. */
export class WorldNotFoundError extends WorldError {
  constructor(dir: string, cause?: unknown) {
    super('LEV_ERR_WORLD_NOT_FOUND', `no world at ${dir} (expected ${dir}/world.yaml)`, [], { cause });
  }
}

/** A world file is not valid YAML (or has a duplicate key). */
export class WorldSyntaxError extends WorldError {
  constructor(dir: string, issues: readonly WorldIssue[]) {
    super('LEV_ERR_WORLD_SYNTAX', summary('YAML syntax errors', dir, issues), issues);
  }
}

/** World files parse but break the format: wrong types, unknown keys, missing or duplicate ids,
 * exits to rooms that do not exist, NPCs outside their zone. */
export class WorldInvalidError extends WorldError {
  constructor(dir: string, issues: readonly WorldIssue[]) {
    super('LEV_ERR_WORLD_INVALID', summary('Invalid world data', dir, issues), issues);
  }
}
