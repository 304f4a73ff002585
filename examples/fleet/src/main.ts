/**
 * Provisions a fleet on a real Proxmox VE cluster:
 *
 *   PVE_URL=https://pve1.example.com:8006 PVE_TOKEN_ID='fleet@pve!deploy' PVE_TOKEN_SECRET=... \
 *   PVE_FINGERPRINT=AB:CD:... PVE_NODE=pve1 PVE_TEMPLATE=9000 FLEET_COUNT=3 \
 *   FLEET_NETWORK=10.77.0 FLEET_GATEWAY=10.77.0.1 SSH_PUBLIC_KEY="$(cat ~/.ssh/id_ed25519.pub)" \
 *   SSH_PRIVATE_KEY=~/.ssh/id_ed25519 PROMETHEUS_URL=http://prometheus:9090 \
 *   FILE_SD_PATH=/etc/prometheus/file_sd/leviathan.json \
 *   pnpm --filter @leviathan/example-fleet start
 *
 * VM i gets address FLEET_NETWORK.(11+i)/24. The test in ../test runs the same `runFleet`
 * against the Proxmox simulator, the real ansible-playbook and a real Prometheus.
 */
import { fileURLToPath } from 'node:url';
import { PrometheusClient } from '@leviathan/infra-sdk';
import { env, proxmoxFromEnv } from './env-client.js';
import { runFleet } from './fleet.js';

async function main(): Promise<void> {
  const pve = proxmoxFromEnv();
  const prometheus = new PrometheusClient({ url: env('PROMETHEUS_URL') });
  const network = env('FLEET_NETWORK');
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));
  try {
    const result = await runFleet({
      pve,
      prometheus,
      node: env('PVE_NODE'),
      template: Number(env('PVE_TEMPLATE')),
      count: Number(env('FLEET_COUNT', '3')),
      cloudInit: {
        user: env('FLEET_USER', 'deploy'),
        sshKeys: [env('SSH_PUBLIC_KEY')],
        nameservers: env('FLEET_NAMESERVERS', '1.1.1.1 9.9.9.9').split(/\s+/),
        address: (i) => ({ ip: `${network}.${11 + i}/24`, gw: env('FLEET_GATEWAY') }),
      },
      growDisk: '+10G',
      playbook: fileURLToPath(new URL('../playbooks/deploy.yml', import.meta.url)),
      ...(process.env.SSH_PRIVATE_KEY ? { privateKey: process.env.SSH_PRIVATE_KEY } : {}),
      fileSdPath: env('FILE_SD_PATH'),
      signal: controller.signal,
      log: (line) => console.log(line),
    });
    const down = Object.entries(result.health).filter(([, up]) => !up);
    if (down.length > 0) {
      console.error(`down: ${down.map(([n]) => n).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await Promise.all([pve.close(), prometheus.close()]);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
