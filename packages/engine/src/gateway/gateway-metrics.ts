import { collectThreadMetrics, type ThreadMetricsSnapshot } from '../metrics/aggregate-metrics.js';
import { BucketTally } from '../metrics/bucket-tally.js';
import { Buckets } from '../metrics/metric-names.js';
import type { ThreadMetrics } from '../metrics/thread-metrics.js';

/**
 * A gateway thread's counters. The per-message ones are plain numbers on the hot path (a
 * prom-client `inc()` hashes its labels on every call) and are added to the thread's registry
 * once per scrape by `sync()`.
 */
export class GatewayMetrics {
  readonly metrics: ThreadMetrics;
  messagesReceived = 0;
  messagesSent = 0;
  bytesReceived = 0;
  bytesSent = 0;
  rateLimited = 0;
  slowConsumerCloses = 0;
  /** Low-priority messages dropped because the socket was past `maxBufferedBytes`. */
  droppedLow = 0;
  /** Low-priority messages dropped past the socket's output budget (SocketWriter). */
  droppedBudget = 0;
  protocolErrors = 0;
  #synced = {
    messagesReceived: 0,
    messagesSent: 0,
    bytesReceived: 0,
    bytesSent: 0,
    rateLimited: 0,
    slowConsumerCloses: 0,
    droppedLow: 0,
    droppedBudget: 0,
  };

  /** Command latencies, once per reply: tallied here, added to the histogram at scrape time. */
  readonly #latency = new BucketTally('leviathan_command_duration_seconds', Buckets.command);

  constructor(metrics: ThreadMetrics) {
    this.metrics = metrics;
  }

  observeLatency(seconds: number): void {
    this.#latency.observe(seconds);
  }

  /** This thread's metrics for a scrape, with what is tallied on the hot path added in. */
  async collect(): Promise<ThreadMetricsSnapshot> {
    this.sync();
    const snapshot = await collectThreadMetrics(this.metrics.registry);
    this.#latency.addTo(snapshot);
    return snapshot;
  }

  /** Moves the hot-path counters into the registry. */
  sync(): void {
    const m = this.metrics;
    const s = this.#synced;
    m.messagesReceived.inc(this.messagesReceived - s.messagesReceived);
    m.messagesSent.inc(this.messagesSent - s.messagesSent);
    m.bytesReceived.inc(this.bytesReceived - s.bytesReceived);
    m.bytesSent.inc(this.bytesSent - s.bytesSent);
    m.rateLimited.inc(this.rateLimited - s.rateLimited);
    m.slowConsumerCloses.inc(this.slowConsumerCloses - s.slowConsumerCloses);
    s.messagesReceived = this.messagesReceived;
    s.messagesSent = this.messagesSent;
    s.bytesReceived = this.bytesReceived;
    s.bytesSent = this.bytesSent;
    s.rateLimited = this.rateLimited;
    s.slowConsumerCloses = this.slowConsumerCloses;
    m.messagesDropped.inc({ reason: 'congested' }, this.droppedLow - s.droppedLow);
    m.messagesDropped.inc({ reason: 'socket_budget' }, this.droppedBudget - s.droppedBudget);
    s.droppedLow = this.droppedLow;
    s.droppedBudget = this.droppedBudget;
  }
}
