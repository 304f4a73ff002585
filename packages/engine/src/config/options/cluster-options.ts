import { type OptionSpec, option } from '../option-spec.js';

/**
 * One world over several nodes (docs/cluster.md): where the cluster's Redis is, the cluster's and
 * this node's names, and how long a zone lease lasts. Without `cluster.redisUrl` the node is a
 * world of its own and nothing here is used.
 */
export const CLUSTER_OPTIONS: readonly OptionSpec[] = Object.freeze([
  option({
    key: 'cluster.redisUrl',
    type: 'string',
    description:
      'Redis that the nodes of one world coordinate through (redis:// or rediss://); unset, the node is a world of its own. Needs store.kind postgres, shared by the nodes. Prefer the environment variable; logs redact it.',
    unit: 'URL',
    default: undefined,
    optional: true,
  }),
  option({
    key: 'cluster.name',
    type: 'string',
    description:
      "The cluster's name, which its Redis keys start with: every node of one world uses the same; two worlds may share a Redis under different names.",
    default: 'leviathan',
  }),
  option({
    key: 'cluster.node',
    type: 'string',
    description:
      "This node's name, unique in the cluster and the same across its restarts (zones are placed by name, so a restarted node gets its zones back).",
    default: undefined,
    defaultText: 'the host name',
    optional: true,
  }),
  option({
    key: 'cluster.leaseTtlMs',
    type: 'integer',
    description:
      "Length of a zone's lease and of a node's heartbeat: a node that stops answering loses its zones to the others after about this long.",
    unit: 'milliseconds',
    default: 3000,
    min: 500,
    max: 60_000,
  }),
]);
