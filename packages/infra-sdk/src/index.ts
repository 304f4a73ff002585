/**
 * @leviathan/infra-sdk: typed clients for Proxmox VE, Ansible and Prometheus.
 * The Proxmox simulator for tests is in `@leviathan/infra-sdk/testing`.
 */
export * from './errors.js';
export * from './proxmox/index.js';
