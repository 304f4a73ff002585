import type { ProxmoxClient } from './client.js';
import type { PveParams } from './types.js';
import type { VmRef } from './vm-ops.js';

/** One interface's addresses: `ip` in CIDR notation or `dhcp`; `ip6` CIDR, `dhcp` or `auto`. */
export interface IpConfig {
  readonly ip?: string;
  readonly gw?: string;
  readonly ip6?: string;
  readonly gw6?: string;
}

export interface CloudInitOptions {
  /** Default user (`ciuser`). */
  readonly user?: string;
  /** Its password (`cipassword`); prefer SSH keys. */
  readonly password?: string;
  /** Public keys, one per entry (OpenSSH format). */
  readonly sshKeys?: readonly string[];
  /** Per interface: index 0 is `ipconfig0` (for `net0`), and so on up to 31. */
  readonly ipconfig?: readonly (IpConfig | undefined)[];
  /** DNS servers (`nameserver`, space-separated). */
  readonly nameservers?: readonly string[];
  readonly searchdomain?: string;
  /** Upgrade packages on first boot (`ciupgrade`). */
  readonly upgrade?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * `sshkeys` is URL-encoded by the caller, then form-encoded again on the wire: pve-common checks
 * it against `^[-%a-zA-Z0-9_.!~*'()]*$` (pve_verify_urlencoded) and qemu-server URI-unescapes it.
 * encodeURIComponent leaves exactly `A-Za-z0-9-_.!~*'()` alone, which matches that set, and writes
 * spaces as %20 (a `+` would reach the guest as a literal plus).
 */
export function encodeSshKeys(keys: readonly string[]): string {
  return encodeURIComponent(`${keys.map((k) => k.trim()).join('\n')}\n`);
}

/** `ip=10.0.0.5/24,gw=10.0.0.1` for `ipconfigN`. */
export function formatIpConfig(c: IpConfig): string {
  const parts: string[] = [];
  if (c.ip) parts.push(`ip=${c.ip}`);
  if (c.gw) parts.push(`gw=${c.gw}`);
  if (c.ip6) parts.push(`ip6=${c.ip6}`);
  if (c.gw6) parts.push(`gw6=${c.gw6}`);
  return parts.join(',');
}

type ConfigParams = PveParams<'PUT /nodes/{node}/qemu/{vmid}/config'>;

/** The config parameters for the options (exported for callers that add their own keys). */
export function cloudInitParams(opts: CloudInitOptions): Partial<ConfigParams> {
  const p: Record<string, string | number | boolean> = {};
  if (opts.user !== undefined) p.ciuser = opts.user;
  if (opts.password !== undefined) p.cipassword = opts.password;
  if (opts.sshKeys?.length) p.sshkeys = encodeSshKeys(opts.sshKeys);
  opts.ipconfig?.forEach((c, i) => {
    if (c) p[`ipconfig${i}`] = formatIpConfig(c);
  });
  if (opts.nameservers?.length) p.nameserver = opts.nameservers.join(' ');
  if (opts.searchdomain !== undefined) p.searchdomain = opts.searchdomain;
  if (opts.upgrade !== undefined) p.ciupgrade = opts.upgrade;
  return p as Partial<ConfigParams>;
}

/** Writes the VM's cloud-init settings (synchronous `PUT .../config`). */
export async function configureCloudInit(
  client: ProxmoxClient,
  vm: VmRef,
  opts: CloudInitOptions,
): Promise<void> {
  await client.call(
    'PUT /nodes/{node}/qemu/{vmid}/config',
    { node: vm.node, vmid: vm.vmid, ...cloudInitParams(opts) },
    { signal: opts.signal },
  );
}

/** Decodes `sshkeys` as `GET .../config` returns it (still URL-encoded) into the keys. */
export function decodeSshKeys(value: string): string[] {
  return decodeURIComponent(value)
    .split('\n')
    .map((k) => k.trim())
    .filter(Boolean);
}
