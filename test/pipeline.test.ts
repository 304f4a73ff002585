import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  aptInstalls,
  asList,
  type Job,
  packagesTestsNeed,
  parsePipeline,
  pnpmCalls,
  RESERVED,
  scriptsOf,
  workspacePackages,
} from './pipeline.js';

/**
 * .gitlab-ci.yml cannot run here (no GitLab), so its wiring is checked: it parses, its stages
 * and job references resolve, every pnpm script it (or a script it runs) calls exists in the
 * package it targets, and every file it names is in the repository.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const ci = parsePipeline(readFileSync(join(root, '.gitlab-ci.yml'), 'utf8'));
const jobs = Object.entries(ci).filter(([k]) => !RESERVED.has(k) && !k.startsWith('.')) as Array<
  [string, Job]
>;
const templates = Object.entries(ci).filter(([k]) => k.startsWith('.')) as Array<[string, Job]>;
const packages = workspacePackages(root);

/**
 * Every shell line of the given jobs (by default the whole pipeline), and of the repository
 * scripts they run with `bash scripts/…`: comments dropped, continuation lines joined, and the
 * scripts' own `NAME=value` settings expanded where their lines use them.
 */
function shellLines(
  of: Job[] = [(ci.default ?? {}) as Job, ...jobs.map(([, j]) => j), ...templates.map(([, j]) => j)],
): string[] {
  const lines: string[] = [];
  for (const job of of) {
    lines.push(...asList(job.before_script), ...asList(job.script), ...asList(job.after_script));
  }
  for (const line of [...lines]) {
    for (const m of line.matchAll(/\bbash (scripts\/[\w./-]+\.sh)/g)) {
      const file = join(root, m[1] as string);
      if (!existsSync(file)) continue;
      const script = readFileSync(file, 'utf8')
        .replace(/\\\n\s*/g, ' ')
        .split('\n')
        .filter((l) => !l.trim().startsWith('#'));
      const settings = new Map(
        script.flatMap((l) => [...l.matchAll(/^([A-Z_][A-Z0-9_]*)=([^\s$"']+)$/g)].map((a) => [a[1], a[2]])),
      );
      lines.push(
        ...script.map((l) =>
          l.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (all, name) => settings.get(name) ?? all),
        ),
      );
    }
  }
  return lines;
}

describe('.gitlab-ci.yml', () => {
  it('declares the seed stages in order, plus bench and release', () => {
    expect(ci.stages).toEqual(['test', 'build', 'security', 'bench', 'load-test', 'deploy-dev', 'release']);
  });

  it('puts every job in a declared stage, and resolves every extends and needs', () => {
    const stages = new Set(ci.stages as string[]);
    const names = new Set(jobs.map(([name]) => name));
    expect(jobs.length).toBeGreaterThan(5);
    for (const [name, job] of jobs) {
      expect(stages.has(job.stage as string), `${name}: stage ${String(job.stage)}`).toBe(true);
      for (const parent of asList(job.extends)) expect(ci[parent], `${name} extends ${parent}`).toBeDefined();
      for (const need of job.needs ?? []) {
        const target = typeof need === 'string' ? need : need.job;
        expect(names.has(target), `${name} needs ${target}`).toBe(true);
        const stageList = ci.stages as string[];
        const targetStage = (ci[target] as Job | undefined)?.stage ?? '';
        expect(
          stageList.indexOf(targetStage),
          `${name} needs ${target}, which runs in a later stage`,
        ).toBeLessThanOrEqual(stageList.indexOf(job.stage ?? ''));
      }
    }
  });

  it('calls only pnpm scripts that exist in the package each call targets', () => {
    const calls = shellLines().flatMap(pnpmCalls);
    const scripts = calls.filter((c) => c.script !== undefined);
    // The pipeline runs at least test, build, bench, the scan and the load test through scripts.
    expect(scripts.map((c) => c.script)).toEqual(
      expect.arrayContaining(['test', 'build', 'bench', 'bench:counted', 'scan:secrets', 'load:ci']),
    );
    for (const call of calls) {
      if (call.filter !== undefined && !call.filter.includes('*')) {
        expect(packages.has(call.filter), `${call.line}: no workspace package ${call.filter}`).toBe(true);
      }
      if (call.script === undefined || call.recursive || call.filter?.includes('*')) continue;
      const dir = call.filter === undefined ? root : (packages.get(call.filter) as string);
      expect(Object.keys(scriptsOf(dir)), `${call.line}: no script "${call.script}" in ${dir}`).toContain(
        call.script,
      );
    }
  });

  it('names only files that exist (the Ansible ones once branch infra is merged)', () => {
    const text = readFileSync(join(root, '.gitlab-ci.yml'), 'utf8');
    const referenced = [
      ...text.matchAll(/(?<![\w/$.-])((?:scripts|infrastructure|examples|benchmarks)\/[\w./-]+)/g),
    ].map((m) => m[1] as string);
    const outputs = new Set(['benchmarks/results/']);
    const files = [...new Set(referenced)].filter((f) => !outputs.has(f));
    expect(files).toEqual(
      expect.arrayContaining([
        'scripts/load-test-ci.sh',
        'infrastructure/ansible/playbooks/deploy-engine.yml',
      ]),
    );
    const infraHere = existsSync(join(root, 'infrastructure/ansible'));
    let infraBranch = false;
    if (!infraHere) {
      try {
        execFileSync('git', ['rev-parse', '--verify', '--quiet', 'infra'], { cwd: root, stdio: 'ignore' });
        infraBranch = true;
      } catch {}
    }
    for (const file of files) {
      if (file.startsWith('infrastructure/') && !infraHere) {
        if (!infraBranch) continue; // neither merged nor fetchable here: checked where it is
        // Not merged into this branch yet: the file must exist on branch infra.
        expect(
          () =>
            execFileSync('git', ['cat-file', '-e', `infra:${file.replace(/\/$/, '')}`], {
              cwd: root,
              stdio: 'ignore',
            }),
          file,
        ).not.toThrow();
        continue;
      }
      expect(existsSync(join(root, file)), file).toBe(true);
    }
  });

  it('publishes JUnit and Cobertura from the paths vitest writes them to', () => {
    const test = ci.test as { artifacts: { reports: { junit: string; coverage_report: { path: string } } } };
    const vitest = readFileSync(join(root, 'vitest.config.ts'), 'utf8');
    expect(vitest).toContain(`outputFile: '${test.artifacts.reports.junit}'`);
    expect(test.artifacts.reports.coverage_report.path).toBe('coverage/cobertura-coverage.xml');
    expect(vitest).toContain("'cobertura'");
    expect(vitest).toContain("reportsDirectory: 'coverage'");
  });

  it('gives the test, bench and load-test jobs the Postgres service and its DATABASE_URL', () => {
    for (const name of ['test', 'bench', 'load-test']) {
      expect(asList((ci[name] as Job).extends), name).toContain('.postgres');
    }
    const pg = ci['.postgres'] as { services: Array<{ name: string }>; variables: { DATABASE_URL: string } };
    expect(pg.services[0]?.name).toMatch(/^postgres:15/);
    expect(pg.variables.DATABASE_URL).toMatch(/^postgres:\/\/test:test@postgres:5432\/leviathan_test$/);
  });

  it('caches the pnpm store, keyed on the lockfile', () => {
    const cache = (ci.default as { cache: { key: { files: string[] }; paths: string[] } }).cache;
    expect(cache.key.files).toEqual(['pnpm-lock.yaml']);
    expect(cache.paths).toEqual(['.pnpm-store']);
    expect(shellLines().join('\n')).toContain('pnpm config set store-dir "$CI_PROJECT_DIR/.pnpm-store"');
  });

  it('keeps deploy-dev manual and the release jobs on the default branch, none of them interruptible', () => {
    const deploy = ci['deploy-dev'] as Job & { interruptible?: boolean };
    // GitLab rejects a job-level `when` beside `rules`: manual belongs to the rule.
    expect(deploy.when).toBeUndefined();
    expect(deploy.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: 'manual' }]);
    for (const name of ['deploy-dev', 'version', 'publish']) {
      expect((ci[name] as { interruptible?: boolean }).interruptible, name).toBe(false);
    }
    for (const name of ['version', 'publish']) {
      expect(JSON.stringify((ci[name] as Job).rules)).toContain('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');
    }
  });

  it('publishes only after every gate: a job starts when its needs succeed, whatever else failed', () => {
    const gates = Object.entries(ci)
      .filter(([, job]) =>
        ['test', 'build', 'security', 'bench', 'load-test'].includes((job as Job).stage ?? ''),
      )
      .map(([name]) => name);
    expect(gates.length).toBeGreaterThanOrEqual(6);
    expect([...((ci.publish as Job).needs ?? [])].sort()).toEqual(gates.sort());
  });

  it('gives deploy-dev what Ansible needs over SSH: a client, the config, host keys, the collections', () => {
    const deploy = ci['deploy-dev'] as Job & { variables?: Record<string, string>; before_script?: string[] };
    const setup = (deploy.before_script ?? []).join('\n');
    expect(setup).toMatch(/apt-get install[^\n]*openssh-client/);
    expect(setup).toMatch(/apt-get install[^\n]*ansible-core/);
    expect(setup).toContain('ansible-galaxy collection install -r infrastructure/ansible/requirements.yml');
    expect(setup).toContain('~/.ssh/known_hosts');
    expect(deploy.variables?.ANSIBLE_CONFIG).toBe('$CI_PROJECT_DIR/infrastructure/ansible/ansible.cfg');
  });
});

describe('the test job', () => {
  const test = ci.test as Job;
  const installed = aptInstalls(shellLines([test]));

  it('installs every tool a test asks for, so that none skips (with CI=true a missing one fails)', () => {
    expect((ci.variables as Record<string, string>).CI).toBe('true');
    const needed = packagesTestsNeed(root);
    // The infrastructure tests' tools at least, so that an empty scan cannot pass.
    expect([...needed.keys()]).toEqual(
      expect.arrayContaining(['terraform', 'ansible', 'prometheus', 'redis-server', 'docker-compose-plugin']),
    );
    for (const [pkg, wanted] of needed) expect(installed.has(pkg), `${wanted}: install ${pkg}`).toBe(true);
  });

  it("installs a pinned Terraform that every configuration's required_version accepts", () => {
    const pinned = /^(\d+\.\d+\.\d+)-\*$/.exec(installed.get('terraform') ?? '')?.[1];
    expect(pinned, `terraform=${installed.get('terraform')}`).toBeDefined();
    /** x.y.z as one comparable number. */
    const rank = (v: string) => v.split('.').reduce((n, part) => n * 1000 + Number(part), 0);
    const grep = ['grep', '-h', 'required_version', '--', 'infrastructure/terraform'];
    const minimums = [
      ...execFileSync('git', grep, { cwd: root, encoding: 'utf8' }).matchAll(/>=\s*(\d+\.\d+\.\d+)/g),
    ];
    expect(minimums.length).toBeGreaterThan(0);
    for (const [constraint, minimum] of minimums) {
      expect(rank(pinned ?? ''), `terraform ${pinned} ${constraint}`).toBeGreaterThanOrEqual(
        rank(minimum as string),
      );
    }
  });

  it("trusts the vendors' APT repositories only through keys checked against their fingerprints", () => {
    const lines = shellLines([test]).join('\n');
    for (const [repo, keyUrl, fingerprint, keyring] of [
      [
        'https://apt.releases.hashicorp.com',
        'https://apt.releases.hashicorp.com/gpg',
        'HASHICORP_KEY',
        'hashicorp-archive-keyring.gpg',
      ],
      [
        'https://download.docker.com/linux/debian',
        'https://download.docker.com/linux/debian/gpg',
        'DOCKER_KEY',
        'docker-archive-keyring.gpg',
      ],
    ]) {
      expect(lines).toMatch(new RegExp(`${fingerprint}=[0-9A-F]{40}\n`));
      expect(lines).toContain(
        `bash scripts/apt-keyring.sh /usr/share/keyrings/${keyring} ${keyUrl} "$${fingerprint}"`,
      );
      expect(lines).toContain(`deb [signed-by=/usr/share/keyrings/${keyring}] ${repo} `);
    }
  });
});

describe('pnpmCalls', () => {
  it('reads scripts, shorthands, filters and builtins', () => {
    expect(pnpmCalls('pnpm test')).toMatchObject([{ script: 'test', filter: undefined }]);
    expect(pnpmCalls('pnpm --filter @leviathan/x run load:ci --out a')).toMatchObject([
      { script: 'load:ci', filter: '@leviathan/x' },
    ]);
    expect(pnpmCalls('pnpm install --frozen-lockfile')).toMatchObject([
      { command: 'install', script: undefined },
    ]);
    expect(pnpmCalls('npm install --global "pnpm@12.4.2"')).toEqual([]);
    expect(pnpmCalls('apt-get update && pnpm bench:counted')).toMatchObject([{ script: 'bench:counted' }]);
  });
});
