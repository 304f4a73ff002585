import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { schemaTable } from './schema-table.js';
import { SimAuth } from './sim-auth.js';
import { SimCluster, SimHttpError, type SimVm, type SimVmSeed } from './sim-cluster.js';
import { ROUTES } from './sim-routes.js';
import { SimTasks, type TaskMatcher, type TaskOutcome } from './sim-tasks.js';
import { type RawParams, validateParams } from './validate.js';

export interface PveSimulatorOptions {
  /**
   * Cluster node names.
   * @default ['pve']
   */
  readonly nodes?: readonly string[];
  /** VMs that exist at start (templates included). */
  readonly vms?: readonly SimVmSeed[];
  /**
   * Users and their passwords for ticket logins.
   * @default { 'root@pam': 'secret' }
   */
  readonly users?: Readonly<Record<string, string>>;
  /**
   * API tokens (`user@realm!name`) and their secrets.
   * @default { 'root@pam!sdk': '00000000-0000-4000-8000-000000000000' }
   */
  readonly tokens?: Readonly<Record<string, string>>;
  /**
   * How long a task runs, in milliseconds.
   * @default 20
   */
  readonly taskDurationMs?: number;
  /** Serve HTTPS with this key and certificate (PEM); plain HTTP without. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Clock in milliseconds, for ticket expiry. @default Date.now */
  readonly now?: () => number;
  /**
   * Users or token ids (`user@realm!name`) that may only read: their writes get 403
   * "Permission check failed", like an audit-only role.
   * @default []
   */
  readonly readOnly?: readonly string[];
}

/** A fault to inject into matching requests, for retry tests. */
export interface FaultSpec {
  /** Endpoint key (`'POST /nodes/{node}/qemu/{vmid}/clone'`) or a RegExp on `METHOD /concrete/path`. */
  readonly match: string | RegExp;
  /** Answer with this status instead (e.g. 503, or 500 with a lock timeout message). */
  readonly status?: number;
  /** Reason phrase of that answer. @default 'simulated fault' */
  readonly message?: string;
  /** Hold the request this long first, in milliseconds. */
  readonly delayMs?: number;
  /** Destroy the connection instead of answering (a network failure). */
  readonly drop?: boolean;
  /** Run the request for real, then fail the answer (the client cannot know it ran). */
  readonly afterHandling?: boolean;
  /**
   * How many matching requests it hits.
   * @default 1
   */
  readonly times?: number;
}

export interface FaultHandle {
  /** Requests hit so far. */
  readonly hits: number;
  /** Stops injecting. */
  remove(): void;
}

export interface SimRequestRecord {
  readonly method: string;
  readonly path: string;
  /** Endpoint key, when the path matched the schema. */
  readonly endpoint: string | undefined;
  readonly status: number;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  remaining: number;
  hits: number;
}

/**
 * A Proxmox VE API server on loopback, built from the official schema: every request is
 * validated against the schema (400 "Parameter verification failed." with per-parameter
 * `errors`), answers come in the `{"data": ...}` envelope, auth is by API token or by ticket with
 * CSRF protection, and VM operations run as tasks with UPIDs that take time and can be made to
 * end with warnings or errors. Endpoints of the schema it does not model answer 501.
 */
export class PveSimulator {
  readonly cluster: SimCluster;
  readonly tasks: SimTasks;
  readonly auth: SimAuth;
  /** Every request answered, in order. */
  readonly requests: SimRequestRecord[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #faults: ActiveFault[] = [];
  readonly #inFlight = new Map<string, number>();
  readonly #maxInFlight = new Map<string, number>();
  readonly #protocol: 'http' | 'https';
  #url = '';
  readonly #readOnly: ReadonlySet<string>;

  private constructor(options: PveSimulatorOptions) {
    const now = options.now ?? Date.now;
    this.#readOnly = new Set(options.readOnly ?? []);
    this.cluster = new SimCluster(options.nodes ?? ['pve']);
    for (const vm of options.vms ?? []) this.cluster.addVm(vm);
    this.tasks = new SimTasks(options.taskDurationMs ?? 20, now);
    this.auth = new SimAuth(
      { ...(options.users ?? { 'root@pam': 'secret' }) },
      { ...(options.tokens ?? { 'root@pam!sdk': '00000000-0000-4000-8000-000000000000' }) },
      now,
    );
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.#handle(req, res).catch((err: unknown) => {
        // A malformed request (bad percent-encoding, oversized body) gets an answer; the server goes on.
        const status = err instanceof SimHttpError ? err.status : err instanceof URIError ? 400 : 500;
        if (res.headersSent) return;
        // The rest of an oversized body is never read: close the connection after answering.
        if (status === 413) res.setHeader('connection', 'close');
        this.#send(res, status, String((err as Error)?.message ?? err), { data: null });
      });
    };
    this.#protocol = options.tls ? 'https' : 'http';
    this.#server = options.tls
      ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
      : createHttpServer(handler);
    this.#server.on('connection', (s: Socket) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    this.#server.on('secureConnection', (s: Socket) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
  }

  /** Starts a simulator on 127.0.0.1 (a free port unless `port` is given). */
  static async start(options: PveSimulatorOptions & { port?: number } = {}): Promise<PveSimulator> {
    const sim = new PveSimulator(options);
    await new Promise<void>((resolve, reject) => {
      sim.#server.once('error', reject);
      sim.#server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = sim.#server.address() as AddressInfo;
    sim.#url = `${sim.#protocol}://127.0.0.1:${port}`;
    return sim;
  }

  /** Base URL to give the client, e.g. `https://127.0.0.1:41234`. */
  get url(): string {
    return this.#url;
  }

  /** The simulated VM with this id, if any. */
  vm(vmid: number): SimVm | undefined {
    return this.cluster.vms.get(vmid);
  }

  addVm(seed: SimVmSeed): SimVm {
    return this.cluster.addVm(seed);
  }

  /** The next `times` tasks matching `matcher` end with `outcome` (warnings, errors, slower). */
  setTaskOutcome(matcher: TaskMatcher, outcome: TaskOutcome, times = 1): void {
    this.tasks.setOutcome(matcher, outcome, times);
  }

  /** Injects a fault into the next matching requests. */
  injectFault(spec: FaultSpec): FaultHandle {
    const fault: ActiveFault = { spec, remaining: spec.times ?? 1, hits: 0 };
    this.#faults.push(fault);
    return {
      get hits() {
        return fault.hits;
      },
      remove: () => {
        fault.remaining = 0;
      },
    };
  }

  /** Highest number of requests that were in flight at once against one node. */
  maxInFlight(node: string): number {
    return this.#maxInFlight.get(node) ?? 0;
  }

  /** Requests answered for one endpoint key. */
  count(endpoint: string): number {
    return this.requests.filter((r) => r.endpoint === endpoint).length;
  }

  async close(): Promise<void> {
    this.tasks.dispose();
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #takeFault(method: string, path: string, key: string | undefined): ActiveFault | undefined {
    const concrete = `${method} ${path}`;
    const fault = this.#faults.find(
      (f) =>
        f.remaining > 0 &&
        (typeof f.spec.match === 'string' ? f.spec.match === key : f.spec.match.test(concrete)),
    );
    if (fault) {
      fault.remaining--;
      fault.hits++;
    }
    return fault;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://sim');
    const body = await readBody(req);
    const prefix = '/api2/json';
    const record = (status: number, endpoint?: string): void => {
      this.requests.push({ method, path: url.pathname, endpoint, status });
    };
    if (!url.pathname.startsWith(`${prefix}/`)) {
      record(404);
      this.#send(res, 404, 'Not found', { data: null });
      return;
    }
    const path = url.pathname.slice(prefix.length);
    const { endpoint, pathParams, pathKnown } = schemaTable().match(method, path);
    const key = endpoint?.key;
    const node = pathParams.node;
    if (node) {
      const n = (this.#inFlight.get(node) ?? 0) + 1;
      this.#inFlight.set(node, n);
      this.#maxInFlight.set(node, Math.max(n, this.#maxInFlight.get(node) ?? 0));
    }
    try {
      const fault = this.#takeFault(method, path, key);
      if (fault?.spec.delayMs) await new Promise((r) => setTimeout(r, fault.spec.delayMs));
      if (fault && !fault.spec.afterHandling) {
        if (fault.spec.drop) {
          record(0, key);
          req.socket.destroy();
          return;
        }
        if (fault.spec.status) {
          record(fault.spec.status, key);
          this.#send(res, fault.spec.status, fault.spec.message ?? 'simulated fault', { data: null });
          return;
        }
      }
      if (!endpoint) {
        const status = pathKnown ? 501 : 404;
        record(status, key);
        this.#send(res, status, pathKnown ? `Method '${method} ${path}' not implemented` : `Not found`, {
          data: null,
        });
        return;
      }
      // Like pve-http-server: the ticket login is the one call that needs no credentials.
      let user = '';
      if (key !== 'POST /access/ticket') {
        const auth = this.auth.check(method, req.headers);
        if (!auth.ok) {
          record(401, key);
          this.#send(res, 401, auth.message, { data: null });
          return;
        }
        user = auth.user;
        if (
          method !== 'GET' &&
          (this.#readOnly.has(auth.user) || (auth.tokenId && this.#readOnly.has(auth.tokenId)))
        ) {
          record(403, key);
          this.#send(res, 403, `Permission check failed (${path}, write)`, { data: null });
          return;
        }
      }
      const raw = parseParams(method, url, body, req.headers['content-type']);
      if (raw instanceof SimHttpError) {
        record(raw.status, key);
        this.#send(res, raw.status, raw.message, { data: null });
        return;
      }
      Object.assign(raw, pathParams);
      const { values, errors } = validateParams(endpoint, raw);
      if (Object.keys(errors).length > 0) {
        record(400, key);
        this.#send(res, 400, 'Parameter verification failed.', { data: null, errors });
        return;
      }
      // pveproxy forwards /nodes/{node}/... to that node and cannot while it is offline.
      if (node && this.cluster.nodes.includes(node) && !this.cluster.isOnline(node)) {
        record(595, key);
        this.#send(res, 595, 'No route to host', { data: null });
        return;
      }
      const route = ROUTES[endpoint.key];
      if (!route) {
        record(501, key);
        this.#send(res, 501, `'${endpoint.key}' is not modelled by the Leviathan PVE simulator`, {
          data: null,
        });
        return;
      }
      let data: unknown;
      try {
        data = route({ values, user, cluster: this.cluster, tasks: this.tasks, auth: this.auth });
      } catch (err) {
        if (!(err instanceof SimHttpError)) throw err;
        record(err.status, key);
        this.#send(res, err.status, err.message, {
          data: null,
          ...(err.errors ? { errors: err.errors } : {}),
        });
        return;
      }
      if (fault?.spec.afterHandling) {
        if (fault.spec.drop) {
          record(0, key);
          req.socket.destroy();
          return;
        }
        record(fault.spec.status ?? 503, key);
        this.#send(res, fault.spec.status ?? 503, fault.spec.message ?? 'simulated fault', { data: null });
        return;
      }
      record(200, key);
      this.#send(res, 200, 'OK', { data: data ?? null });
    } finally {
      if (node) this.#inFlight.set(node, (this.#inFlight.get(node) ?? 1) - 1);
    }
  }

  /** Proxmox's answer: the message in the reason phrase, JSON with a `data` member. */
  #send(res: ServerResponse, status: number, message: string, body: Record<string, unknown>): void {
    const payload = JSON.stringify(status >= 400 ? { ...body, message: `${message}\n` } : body);
    res.writeHead(status, message.replace(/[\r\n]+/g, ' ').slice(0, 200), {
      'content-type': 'application/json;charset=UTF-8',
      'content-length': Buffer.byteLength(payload),
      'cache-control': 'max-age=0',
      pragma: 'no-cache',
    });
    res.end(payload);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1 << 20) throw new SimHttpError(413, 'request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseParams(
  method: string,
  url: URL,
  body: string,
  contentType: string | undefined,
): RawParams | SimHttpError {
  const out: RawParams = {};
  const add = (k: string, v: string): void => {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else out[k] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  };
  for (const [k, v] of url.searchParams) add(k, v);
  if ((method === 'POST' || method === 'PUT') && body) {
    if (contentType?.startsWith('application/json')) {
      try {
        const json = JSON.parse(body) as Record<string, unknown>;
        for (const [k, v] of Object.entries(json)) {
          if (Array.isArray(v)) for (const item of v) add(k, String(item));
          else if (typeof v === 'boolean') add(k, v ? '1' : '0');
          else if (v !== null && v !== undefined) add(k, String(v));
        }
      } catch {
        return new SimHttpError(400, 'malformed JSON body');
      }
    } else {
      for (const [k, v] of new URLSearchParams(body)) add(k, v);
    }
  }
  return out;
}
