/**
 * The CloudWatch namespace and names of the service's own metrics, in a module of their own with
 * no imports, so that the functions that count them (shared/metrics.ts), the hourly gauges
 * (shared/use-cases/publish-review-gauges.ts) and the alarms and dashboard on AWS
 * (infra/stacks/monitoring-stack.ts) all use one spelling.
 */
export const metricsNamespace = 'SafeguardingReviews';

/** Every business metric's name, as the alarms and the dashboard know it. */
export const metricNames = {
  notificationsReceived: 'NotificationsReceived',
  returnsReceived: 'ReturnsReceived',
  escalations: 'Escalations',
  decisionsRecorded: 'DecisionsRecorded',
  panelEmailsSent: 'PanelEmailsSent',
  reviewFailures: 'ReviewFailures',
} as const;
