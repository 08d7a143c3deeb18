import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every Prometheus metric the service exports, on one registry per process (served at /metrics). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'realid_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'realid_http_requests_total', help: 'API requests by route and status.',
      labelNames: ['method', 'route', 'status'], registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'realid_http_request_duration_seconds', help: 'API request duration.',
      labelNames: ['method', 'route'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry],
    }),
    eventsRecorded: new Counter({
      name: 'realid_events_total', help: 'Events recorded, by type.', labelNames: ['type'], registers: [registry],
    }),
    deliveryAttempts: new Counter({
      name: 'realid_delivery_attempts_total', help: 'Delivery attempts by outcome (success, http_error, timeout, refused, reset, dns, tls, blocked, other).',
      labelNames: ['outcome'], registers: [registry],
    }),
    deliveriesTaken: new Counter({
      name: 'realid_deliveries_taken_total',
      help: 'Deliveries a worker took to send, by how: claim (from the queue), local_handoff (from its own process), remote_handoff (from another process, PostgreSQL), recovered (handed to it while its listening connection was down, read back when it returned).',
      labelNames: ['how'], registers: [registry],
    }),
    deliveryLatency: new Histogram({
      name: 'realid_delivery_attempt_duration_seconds', help: 'Time from sending a webhook to its response.',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15], registers: [registry],
    }),
    deliveryLag: new Histogram({
      name: 'realid_delivery_first_attempt_lag_seconds', help: 'Time from an event\'s commit to its first attempt leaving.',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5], registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'realid_delivery_queue_depth', help: 'Deliveries waiting to be sent (due now or later).', labelNames: ['state'], registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
