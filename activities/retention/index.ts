export {
  createRetentionActivities,
  type RetentionActivities,
  type RetentionActivityDeps,
} from './retention-activities.js';
