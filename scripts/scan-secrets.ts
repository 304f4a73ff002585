/**
 * `pnpm scan:secrets`: fails (exit 1) when a tracked file holds a secret or an unsafe pattern.
 *
 * Secrets (any text file): private keys, cloud and forge tokens, credentials in URLs, and
 * random-looking values of keys named like secrets. Unsafe code (.ts/.js files): calls of eval,
 * the Function constructor, and child_process options with shell set to true (a command line
 * through a shell is an injection waiting for input).
 * A line that must keep a match says why with `scan-secrets: allow <reason>` on it (a fixture
 * password in a test, say); the reason is required.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Finding {
  file: string;
  line: number;
  rule: string;
  text: string;
}

interface Rule {
  name: string;
  pattern: RegExp;
  /** Only in code files (.ts, .js, .mjs, .cjs, .mts, .cts). */
  codeOnly?: boolean;
  /** When the pattern captures a value: a finding only if the value looks like a real secret. */
  secretValue?: boolean;
}

export const RULES: readonly Rule[] = [
  { name: 'private key', pattern: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { name: 'GitLab token', pattern: /\bgl(?:pat|dt|rt|cbt)-[A-Za-z0-9_-]{20,}/ },
  { name: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { name: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'Stripe secret key', pattern: /\b[rs]k_live_[0-9A-Za-z]{16,}\b/ },
  { name: 'JWT', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  {
    name: 'credentials in a URL',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"`]+:(?!\$\{|\{\{|\$[A-Z_])([^\s:/@'"`]{8,})@/i,
    secretValue: true,
  },
  {
    name: 'hard-coded secret',
    pattern:
      /\b[\w-]*(?:password|passwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token)["']?\s*[:=]\s*["']([^"'\s$]{16,})["']/i,
    secretValue: true,
  },
  { name: 'eval call', pattern: /(?<![\w.$])eval\s*\(/, codeOnly: true },
  { name: 'Function constructor', pattern: /\bnew\s+Function\s*\(/, codeOnly: true },
  { name: 'shell option set to true', pattern: /\bshell\s*:\s*true\b/, codeOnly: true },
];

/**
 * Whether a value assigned to a secret-looking key is a real secret rather than a placeholder or
 * a readable fixture (`password`, `a-secret-of-at-least-thirty-two-bytes!`, `new-password`):
 * real secrets are generated, so they mix letters and digits within their parts and are not
 * words joined by dashes.
 */
export function looksRandom(value: string): boolean {
  // Words and numbers joined by separators read as prose: 'a-test-secret-that-is-at-least-32-bytes-long'.
  const parts = value.split(/[-_ .!]+/).filter((p) => p !== '');
  if (
    parts.every((p) => /^[a-z]+$/i.test(p) || /^\d+$/.test(p)) &&
    (parts.length >= 3 || /^[a-z]+$/i.test(value))
  )
    return false;
  if (!(/\d/.test(value) && /[a-z]/i.test(value))) return false;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) entropy -= (n / value.length) * Math.log2(n / value.length);
  return entropy >= 3;
}

const CODE = /\.(?:[cm]?[jt]s|tsx|jsx)$/;
const ALLOW = /scan-secrets: allow \S+/;
/** Files not scanned: generated lockfiles (integrity hashes), and binary assets. */
const SKIP = /(?:^|\/)(?:pnpm-lock\.yaml)$|\.(?:png|jpe?g|gif|ico|woff2?|ttf|gz|tgz|zip|pdf)$/;
/** Larger files are not source (1 MB). */
const MAX_BYTES = 1_000_000;

/** The findings of one file's text. */
export function scanText(file: string, text: string): Finding[] {
  if (text.includes('\0')) return [];
  const code = CODE.test(file);
  const findings: Finding[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (ALLOW.test(line)) continue;
    for (const rule of RULES) {
      if (rule.codeOnly && !code) continue;
      const match = rule.pattern.exec(line);
      if (match !== null && !(rule.secretValue && !looksRandom(match[1] ?? ''))) {
        findings.push({ file, line: i + 1, rule: rule.name, text: line.trim().slice(0, 160) });
      }
    }
  }
  return findings;
}

/** The findings of every file git tracks (or would track: untracked, not ignored) under `root`. */
export function scanRepository(root: string): Finding[] {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\0')
    .filter((f) => f !== '' && !SKIP.test(f));
  const findings: Finding[] = [];
  for (const file of files) {
    const path = join(root, file);
    let size: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) continue;
      size = stat.size;
    } catch {
      continue; // deleted in the worktree
    }
    if (size > MAX_BYTES) continue;
    findings.push(...scanText(file, readFileSync(path, 'utf8')));
  }
  return findings;
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  const root = process.argv[2] ?? process.cwd();
  const findings = scanRepository(root);
  for (const f of findings) console.log(`${f.file}:${f.line}: ${f.rule}: ${f.text}`);
  if (findings.length > 0) {
    console.log(
      `\n${findings.length} finding(s). Remove the secret (and rotate it), or mark a line that must stay with "scan-secrets: allow <reason>".`,
    );
    process.exitCode = 1;
  } else console.log('scan-secrets: no secrets or unsafe patterns found');
}
