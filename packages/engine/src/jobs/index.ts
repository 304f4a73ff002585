export { createJobPool, type JobPool, type JobPoolOptions } from './job-pool.js';
