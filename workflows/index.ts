// Every workflow the worker runs (its `workflowsPath`). Deterministic code only.
export { bedRequestWorkflow } from './bed-request/bed-request-workflow.js';
export { digestWorkflow } from './digest/index.js';
export { retentionPurgeWorkflow } from './retention/index.js';
export { stuckRequestWatchdogWorkflow } from './watchdog/index.js';
