/**
 * The chat-delivery counters live with the deliver activity (activities/delivery/delivery-metrics.ts),
 * which records them into the registry the worker injects; re-exported here for /metrics.
 */
export {
  DELIVERY_METRIC_NAMES,
  deliveryMetrics,
  failureCodeOf,
  type DeliveryMetrics,
} from '../../activities/delivery/delivery-metrics.js';
