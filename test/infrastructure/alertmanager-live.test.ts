/**
 * Alerts reach someone, for real: a real Prometheus evaluates two alerts that fire at once (one
 * critical, one warning) and sends them, through the alerting block of the repository's
 * prometheus.yml (file_sd, targets/alertmanager.json), to a real Alertmanager running the
 * repository's monitoring/alertmanager/alertmanager.yml. That configuration is changed only where a
 * test must: its receivers' webhooks point at an HTTP server in this test (each receiver at its own
 * path), and its group_wait and group_interval are short. Its routing and grouping are the
 * repository's, so the critical alert must arrive at the `oncall` receiver and the warning at
 * `team`, each with its rule's labels and Prometheus's external labels.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrometheusClient } from '@leviathan/infra-sdk';
import { hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  type AlertmanagerServer,
  type PrometheusServer,
  pollUntil,
  startAlertmanager,
  startPrometheus,
} from './helpers/prometheus-server.js';
import { MONITORING_DIR } from './repo-paths.js';

/** What Alertmanager's webhook receiver posts (the fields this test reads). */
interface WebhookPayload {
  receiver: string;
  status: string;
  groupLabels: Record<string, string>;
  alerts: Array<{ status: string; labels: Record<string, string>; annotations: Record<string, string> }>;
}
interface Route {
  receiver?: string;
  group_wait?: string;
  group_interval?: string;
  routes?: Route[];
}
interface AlertmanagerConfig {
  route: Route;
  receivers: Array<{ name: string; webhook_configs?: Array<{ url: string }> }>;
}

/** Two alerts that fire on the first evaluation: `vector(1)` is always there, and `for: 0s`. */
const RULES = {
  groups: [
    {
      name: 'alert-delivery-test',
      rules: [
        {
          alert: 'DeliveryTestCritical',
          expr: 'vector(1)',
          for: '0s',
          labels: { severity: 'critical', environment: 'test' },
          annotations: { summary: 'A critical alert that always fires' },
        },
        {
          alert: 'DeliveryTestWarning',
          expr: 'vector(1)',
          for: '0s',
          labels: { severity: 'warning', environment: 'test' },
          annotations: { summary: 'A warning that always fires' },
        },
      ],
    },
  ],
};

/** Short waits everywhere in the route tree, so the first notification leaves within seconds. */
function hurry(route: Route): void {
  route.group_wait = '1s';
  route.group_interval = '1s';
  for (const child of route.routes ?? []) hurry(child);
}

const haveBinaries = hasTool('prometheus') && hasTool('prometheus-alertmanager', 'prometheus-alertmanager');

describe.skipIf(!haveBinaries)('alerts from a real Prometheus through a real Alertmanager', () => {
  let dir: string;
  let webhook: Server | undefined;
  let alertmanager: AlertmanagerServer | undefined;
  let prometheus: PrometheusServer | undefined;
  /** Every notification the webhook received, with the path it was posted to. */
  const received: Array<{ path: string; payload: WebhookPayload }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leviathan-alerts-'));
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        received.push({ path: req.url ?? '', payload: JSON.parse(body) as WebhookPayload });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => webhook?.listen(0, '127.0.0.1', resolve));
    const webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}`;

    // The repository's Alertmanager configuration, its receivers posting here.
    const amConfig = parse(
      readFileSync(join(MONITORING_DIR, 'alertmanager/alertmanager.yml'), 'utf8'),
    ) as AlertmanagerConfig;
    hurry(amConfig.route);
    for (const receiver of amConfig.receivers) {
      for (const hook of receiver.webhook_configs ?? []) hook.url = `${webhookUrl}/alerts/${receiver.name}`;
    }
    writeFileSync(join(dir, 'alertmanager.yml'), stringify(amConfig));
    alertmanager = await startAlertmanager(dir);
    const amUrl = alertmanager.url;
    await pollUntil('Alertmanager to be ready', async () =>
      (await fetch(`${amUrl}/-/ready`)).ok ? true : undefined,
    );

    // The repository's prometheus.yml for its global and alerting blocks; the rules are this test's.
    const promDir = join(dir, 'prometheus');
    mkdirSync(join(promDir, 'targets'), { recursive: true });
    const promConfig = parse(readFileSync(join(MONITORING_DIR, 'prometheus/prometheus.yml'), 'utf8')) as {
      global: Record<string, unknown>;
      rule_files: string[];
      scrape_configs: unknown[];
    };
    promConfig.global.evaluation_interval = '1s';
    promConfig.rule_files = ['delivery.rules.yml'];
    promConfig.scrape_configs = [];
    writeFileSync(join(promDir, 'prometheus.yml'), stringify(promConfig));
    writeFileSync(join(promDir, 'delivery.rules.yml'), stringify(RULES));
    writeFileSync(
      join(promDir, 'targets/alertmanager.json'),
      JSON.stringify([{ targets: [`127.0.0.1:${alertmanager.port}`] }]),
    );
    // The first evaluation may come before file_sd has given the notifier its Alertmanager: that
    // send is dropped, and a firing alert is sent again only after --rules.alert.resend-delay
    // (1 min by default).
    prometheus = await startPrometheus(promDir, undefined, ['--rules.alert.resend-delay=1s']);
    const prom = new PrometheusClient({ url: prometheus.url, timeoutMs: 10_000 });
    try {
      await pollUntil(
        'Prometheus to be ready',
        async () => ((await prom.ready()) ? true : undefined),
        30_000,
      );
    } finally {
      await prom.close();
    }
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await new Promise((resolve) => webhook?.close(resolve) ?? resolve(undefined));
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  /** The first notification that carries `alertname`, waited for (generously: CI machines are slow). */
  const notificationOf = (alertname: string) =>
    pollUntil(
      `${alertname} at the webhook`,
      async () => received.find((n) => n.payload.alerts.some((a) => a.labels.alertname === alertname)),
      60_000,
    ).catch((error: unknown) => {
      throw new Error(
        `${(error as Error).message}\nPrometheus: ${prometheus?.log()}\nAlertmanager: ${alertmanager?.log()}`,
      );
    });

  it('delivers the critical alert to the oncall receiver, with its labels', { timeout: 70_000 }, async () => {
    const { path, payload } = await notificationOf('DeliveryTestCritical');
    expect(path).toBe('/alerts/oncall');
    expect(payload.receiver).toBe('oncall');
    expect(payload.status).toBe('firing');
    // Grouped as the repository's route says: by alertname and environment.
    expect(payload.groupLabels).toEqual({ alertname: 'DeliveryTestCritical', environment: 'test' });
    expect(payload.alerts).toHaveLength(1);
    expect(payload.alerts[0]?.status).toBe('firing');
    // The rule's labels, and prometheus.yml's external label.
    expect(payload.alerts[0]?.labels).toEqual({
      alertname: 'DeliveryTestCritical',
      severity: 'critical',
      environment: 'test',
      project: 'leviathan',
    });
    expect(payload.alerts[0]?.annotations.summary).toBe('A critical alert that always fires');
  });

  it('delivers the warning to the team receiver, not to oncall', { timeout: 70_000 }, async () => {
    const { path, payload } = await notificationOf('DeliveryTestWarning');
    expect(path).toBe('/alerts/team');
    expect(payload.receiver).toBe('team');
    expect(payload.alerts.map((a) => a.labels.severity)).toEqual(['warning']);
    const atOncall = received.filter((n) => n.path === '/alerts/oncall').flatMap((n) => n.payload.alerts);
    expect(atOncall.map((a) => a.labels.severity)).not.toContain('warning');
  });
});
