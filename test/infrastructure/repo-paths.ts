import { fileURLToPath } from 'node:url';

/** The repository root, from this file's place in test/infrastructure/. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ANSIBLE_DIR = `${REPO_ROOT}infrastructure/ansible`;
export const TERRAFORM_DIR = `${REPO_ROOT}infrastructure/terraform`;
export const MONITORING_DIR = `${REPO_ROOT}monitoring`;
