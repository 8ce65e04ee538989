export {
  createDigestActivities,
  destinationKey,
  DIGEST_STEP,
  type DigestActivities,
  type DigestActivityDeps,
  type DigestSettings,
  type SendDigestInput,
} from './digest-activities.js';
export { renderTrendChart, CHART_WIDTH, CHART_HEIGHT } from './chart.js';
export { gatherDigestFigures } from './gather-figures.js';
