import { PveConfigError } from './errors.js';

/** The fields of a Proxmox task id: `UPID:node:pid:pstart:starttime:type:id:user:`. */
export interface Upid {
  readonly node: string;
  readonly pid: number;
  readonly pstart: number;
  /** Start time, seconds since the epoch. */
  readonly starttime: number;
  /** Task type, e.g. `qmclone`, `qmstart`. */
  readonly type: string;
  /** The object the task works on, e.g. the VMID. */
  readonly id: string;
  readonly user: string;
}

const UPID_RE =
  /^UPID:([a-zA-Z0-9][a-zA-Z0-9.-]*):([0-9A-F]{8}):([0-9A-F]{8,9}):([0-9A-F]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

/** Parses a UPID (the hex fields of pve-common's `PVE::Tools::upid_decode`). */
export function parseUpid(upid: string): Upid {
  const m = UPID_RE.exec(upid);
  if (!m) throw new PveConfigError(`not a Proxmox UPID: ${JSON.stringify(upid)}`);
  return {
    node: m[1]!,
    pid: Number.parseInt(m[2]!, 16),
    pstart: Number.parseInt(m[3]!, 16),
    starttime: Number.parseInt(m[4]!, 16),
    type: m[5]!,
    id: m[6]!,
    user: m[7]!,
  };
}

/** Formats a UPID (used by the simulator; the SDK only parses them). */
export function formatUpid(u: Upid): string {
  const hex = (n: number, w: number): string => n.toString(16).toUpperCase().padStart(w, '0');
  return `UPID:${u.node}:${hex(u.pid, 8)}:${hex(u.pstart, 8)}:${hex(u.starttime, 8)}:${u.type}:${u.id}:${u.user}:`;
}
