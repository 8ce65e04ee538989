export { stuckRequestWatchdogWorkflow, type WatchdogRunResult } from './watchdog-workflow.js';
