/**
 * A fleet of test hosts that look like the Terraform-made VMs: Debian 13 booted with systemd in
 * systemd-nspawn containers, each in its own network namespace with its own address, reachable
 * over SSH as cloud-init's user `deploy` with passwordless sudo (testhosts/*.sh do the work). The
 * hosts reach Debian's mirrors through an HTTP proxy on the lab's bridge, as VMs on a private
 * network with an outbound proxy do; nothing else.
 */
import { execFile, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPTS = new URL('./testhosts/', import.meta.url).pathname;

export interface TestHost {
  readonly name: string;
  readonly address: string;
}

/** What the lab needs of this machine, or why it cannot run here (undefined: it can). */
export function testHostLabUnavailable(): string | undefined {
  if (process.getuid?.() !== 0)
    return 'the test hosts need root (network namespaces, mounts, systemd-nspawn)';
  const tools = ['debootstrap', 'systemd-nspawn', 'tinyproxy', 'ip', 'ssh', 'ssh-keyscan', 'flock'];
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing.length > 0) {
    return `missing ${missing.join(', ')} (Debian packages debootstrap, systemd-container, tinyproxy, iproute2, openssh-client)`;
  }
  // A sandbox may forbid namespaces even to root.
  const probe = `lvth-probe-${process.pid}`;
  const added = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  spawnSync('ip', ['netns', 'del', probe]);
  if (added.status !== 0) return `cannot make a network namespace: ${added.stderr.trim()}`;
  return undefined;
}

export class TestHostLab {
  readonly dir: string;
  /** The login user's private key, and known_hosts with every host's key (host keys are checked). */
  readonly privateKey: string;
  readonly knownHosts: string;
  readonly #image: string;
  readonly #started: TestHost[] = [];

  private constructor(image: string, cache: string) {
    this.#image = image;
    this.dir = mkdtempSync(join(tmpdir(), 'leviathan-testhosts-'));
    this.privateKey = join(cache, 'key');
    this.knownHosts = join(this.dir, 'known_hosts');
    writeFileSync(this.knownHosts, '');
  }

  /** Builds the image once (about a minute, then cached under ~/.cache/leviathan/testhosts). */
  static async open(): Promise<TestHostLab> {
    const { stdout } = await run('bash', [join(SCRIPTS, 'build-image.sh')], { maxBuffer: 1 << 20 });
    const image = stdout.trim();
    return new TestHostLab(image, join(image, '..'));
  }

  /** Starts the hosts in parallel; each is up when its sshd answers, and its key is known. */
  async start(hosts: readonly TestHost[]): Promise<void> {
    await Promise.all(
      hosts.map(async (host) => {
        // Before it starts: close() also undoes a start that failed halfway (stop-host.sh allows it).
        this.#started.push(host);
        await run('bash', [join(SCRIPTS, 'start-host.sh'), this.#image, this.dir, host.name, host.address]);
        appendFileSync(this.knownHosts, await this.#hostKey(host.address));
      }),
    );
  }

  /** A command on a host as the login user, over SSH. */
  async ssh(host: TestHost, command: string): Promise<string> {
    const { stdout } = await run('ssh', [...this.sshOptions(), `deploy@${host.address}`, command]);
    return stdout;
  }

  /** The SSH options Ansible is given too: the lab's key and known_hosts, checked strictly. */
  sshOptions(): string[] {
    return [
      '-i',
      this.privateKey,
      '-o',
      `UserKnownHostsFile=${this.knownHosts}`,
      '-o',
      'StrictHostKeyChecking=yes',
    ];
  }

  async close(): Promise<void> {
    for (const host of this.#started.splice(0)) {
      await run('bash', [join(SCRIPTS, 'stop-host.sh'), this.dir, host.name]).catch(() => undefined);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  // sshd is listening once start-host.sh returns, but may not answer a key exchange at once.
  async #hostKey(address: string): Promise<string> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const { stdout } = await run('ssh-keyscan', ['-T', '2', '-t', 'ed25519', address]).catch(() => ({
        stdout: '',
      }));
      if (stdout.trim() !== '') return stdout;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`no SSH host key from ${address}`);
  }
}
