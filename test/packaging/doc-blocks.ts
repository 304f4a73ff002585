import { readFileSync } from 'node:fs';

/** A fenced code block of a Markdown page. */
export interface DocBlock {
  /** The page, relative to the repository root. */
  readonly page: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's language (`ts`, `js`, `yaml`, `sh`, ...). */
  readonly lang: string;
  /**
   * The file the block is, when its first line is a comment naming one (`// server.mjs: ...`,
   * `# world/world.yaml`): the convention that makes a block an example the test writes and checks.
   */
  readonly file: string | undefined;
  /** The block's text, without the fences and the indentation of a block inside a list. */
  readonly code: string;
}

/** Languages whose blocks are code a reader copies into a file. */
export const CODE_LANGS: ReadonlySet<string> = new Set([
  'js',
  'javascript',
  'mjs',
  'cjs',
  'ts',
  'typescript',
  'mts',
  'cts',
]);

/** The TypeScript ones among them. */
export const TS_LANGS: ReadonlySet<string> = new Set(['ts', 'typescript', 'mts', 'cts']);

const FENCE = /^(\s*)```(\S*)/;
const FILE_COMMENT = /^(?:\/\/|#)\s*([\w./-]+\.(?:mjs|cjs|js|mts|cts|ts|yaml|yml|json))(?=$|[:\s])/;

/** Every fenced block of a Markdown file. */
export function docBlocks(root: string, page: string): DocBlock[] {
  const lines = readFileSync(`${root}/${page}`, 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const lang = open[2]!.toLowerCase();
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(indent));
    const code = `${body.join('\n')}\n`;
    const file = FILE_COMMENT.exec(body[0] ?? '')?.[1];
    blocks.push({ page, line: i + 1, lang, file, code });
    i = j;
  }
  return blocks;
}
