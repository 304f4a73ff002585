import { ProxmoxClient } from '@leviathan/infra-sdk';

/** A required environment variable (or its fallback); a clear error naming it when unset. */
export function env(name: string, fallback?: string): string {
  const v = process.env[name] ?? fallback;
  if (v === undefined || v === '') throw new Error(`set ${name}`);
  return v;
}

/** The Proxmox client the example's commands share: PVE_URL, PVE_TOKEN_ID, PVE_TOKEN_SECRET, PVE_FINGERPRINT. */
export function proxmoxFromEnv(): ProxmoxClient {
  const fingerprint = process.env.PVE_FINGERPRINT;
  return new ProxmoxClient({
    baseUrl: env('PVE_URL'),
    auth: { type: 'token', tokenId: env('PVE_TOKEN_ID'), secret: env('PVE_TOKEN_SECRET') },
    ...(fingerprint ? { tls: { fingerprint } } : {}),
  });
}
