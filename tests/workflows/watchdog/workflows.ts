// The workflows the watchdog tests register on their workers.
export { stuckRequestWatchdogWorkflow } from '../../../workflows/watchdog/index.js';
