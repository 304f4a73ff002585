/**
 * @leviathan/infra-sdk: typed clients for Proxmox VE, Ansible and Prometheus.
 * The Proxmox simulator for tests is in `@leviathan/infra-sdk/testing`.
 */
export * from './ansible/index.js';
export * from './errors.js';
export * from './prometheus/index.js';
export * from './proxmox/index.js';
