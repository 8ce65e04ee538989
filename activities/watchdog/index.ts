export {
  BED_REQUEST_WORKFLOW_TYPE,
  createWatchdogActivities,
  RUNNING_BED_REQUESTS_QUERY,
  stuckPageDestinations,
  type FindStuckResult,
  type PageResult,
  type StuckRequest,
  type WatchdogActivities,
  type WatchdogActivityDeps,
  type WatchdogLog,
} from './watchdog-activities.js';
