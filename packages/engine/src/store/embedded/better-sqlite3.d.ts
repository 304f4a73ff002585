/**
 * The part of better-sqlite3 12's API the embedded store uses. The package ships no types, and
 * @types/better-sqlite3 would be one more dependency for eight signatures.
 */
declare module 'better-sqlite3' {
  interface RunResult {
    changes: number;
    lastInsertRowid: number | bigint;
  }
  interface Statement<Row = unknown> {
    run(...params: unknown[]): RunResult;
    get(...params: unknown[]): Row | undefined;
    all(...params: unknown[]): Row[];
  }
  interface Database {
    prepare<Row = unknown>(source: string): Statement<Row>;
    exec(source: string): this;
    pragma(source: string, options?: { simple?: boolean }): unknown;
    transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
    close(): this;
    readonly open: boolean;
    readonly inTransaction: boolean;
  }
  interface Options {
    readonly?: boolean;
    fileMustExist?: boolean;
    timeout?: number;
  }
  const Database: new (filename: string, options?: Options) => Database;
  export default Database;
  export type { Database, Options, RunResult, Statement };
}
