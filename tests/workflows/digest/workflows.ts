// The workflows the digest and retention tests register on their workers.
export { digestWorkflow } from '../../../workflows/digest/index.js';
export { retentionPurgeWorkflow } from '../../../workflows/retention/index.js';
