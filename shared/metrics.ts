import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger, serviceName } from './log.ts';
import { metricNames, metricsNamespace } from './metric-names.ts';

/**
 * The service's business metrics, in CloudWatch's embedded metric format (a JSON log line that
 * CloudWatch Logs turns into a metric), through Powertools for AWS Lambda's Metrics. Each is
 * counted at the one place its event happens; the alarms and the dashboard use these names.
 * The handler wrappers publish what an invocation counted when it ends (`logMetrics`,
 * shared/observability.ts); a metric with a dimension is published at once, on a line of its own.
 */
export { metricNames, metricsNamespace };

/** The dimension of returns and decisions: whether they came by their deadline. */
export type Timeliness = 'OnTime' | 'Late';

/**
 * Warnings of the metrics go to the structured log, but for the one that most invocations would
 * write: nothing was counted, which is so for every invocation in which no business event happened.
 */
const metricsLog = {
  debug: (message: unknown) => logger.debug(String(message)),
  info: (message: unknown) => logger.info(String(message)),
  error: (message: unknown) => logger.error(String(message)),
  warn: (message: unknown) => {
    if (String(message).startsWith('No application metrics to publish')) return;
    logger.warn(String(message));
  },
};

/** The one Metrics of every function; no default dimensions, so each metric has only those named below. */
export const metrics = new Metrics({ namespace: metricsNamespace, serviceName, logger: metricsLog });
metrics.clearDefaultDimensions();

function count(name: string, value = 1): void {
  if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
}

function countBy(name: string, timeliness: Timeliness): void {
  const single = metrics.singleMetric();
  single.clearDefaultDimensions();
  single.addDimension('Timeliness', timeliness);
  single.addMetric(name, MetricUnit.Count, 1);
}

/** A serious incident notification was accepted and its case opened. */
export function countNotificationReceived(): void {
  count(metricNames.notificationsReceived);
}

/** An agency's return was received (an upload, a structured return, or one the team entered). */
export function countReturnReceived(timeliness: Timeliness): void {
  countBy(metricNames.returnsReceived, timeliness);
}

/** Chasing sent: an agency moved up the escalation ladder, or a missing decision escalated. */
export function countEscalations(howMany: number): void {
  count(metricNames.escalations, howMany);
}

/** The chair's decision was recorded, by the governing date or after it. */
export function countDecisionRecorded(timeliness: Timeliness): void {
  countBy(metricNames.decisionsRecorded, timeliness);
}

/** The outcome went to the Panel's mailbox. */
export function countPanelEmailSent(): void {
  count(metricNames.panelEmailsSent);
}

/** A review's workflow failed and the failure was recorded on its case. */
export function countReviewFailure(): void {
  count(metricNames.reviewFailures);
}
