export { retentionPurgeWorkflow } from './retention-workflow.js';
