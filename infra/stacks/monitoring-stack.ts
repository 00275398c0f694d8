import { ArnFormat, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { metricNames } from '../../shared/metric-names.ts';
import {
  DEADLINES_DUE_WITHIN_FIVE_WORKING_DAYS,
  METRICS_NAMESPACE,
  REVIEWS_AT_STEP,
} from '../../shared/use-cases/publish-review-gauges.ts';
import { constructIdOf, type ServiceFunction } from '../constructs/service-function.ts';
import { acknowledgeFindings } from '../nag.ts';

/** A dead-letter queue to watch, and what it keeps (for the alarm's description). */
export interface WatchedDeadLetterQueue {
  /** A construct id part: `SweepOrphans`, `AgencyUploadScanResults`. */
  readonly id: string;
  /** What lands in it, as the alarm says: "scheduled runs of sweep-orphans that failed". */
  readonly holds: string;
  readonly queue: sqs.IQueue;
}

/** What the monitoring stack watches, from the other stacks, and who it tells. */
export interface MonitoringStackProps extends StackProps {
  readonly stateMachine: sfn.IStateMachine;
  /** The Local Child Safeguarding Practice Review's state machine (issue 13): its failed, timed-out and aborted executions. */
  readonly localReviewStateMachine?: sfn.IStateMachine;
  /** Every function of the service (each gets an errors and a throttles alarm). */
  readonly functions: readonly ServiceFunction[];
  readonly httpApi: apigwv2.IHttpApi;
  /** The configuration set every email is sent through: its events become CloudWatch metrics here. */
  readonly configurationSet: ses.IConfigurationSet;
  readonly deadLetterQueues: readonly WatchedDeadLetterQueue[];
  /** The mailboxes told when an alarm fires or clears (the profile's `operations.alarmEmails`). */
  readonly alarmEmails: readonly string[];
}

/** The dimension SES's event destination gives its metrics: the configuration set's name (an automatic message tag). */
export const SES_CONFIGURATION_SET_DIMENSION = 'ses:configuration-set';

const FIVE_MINUTES = Duration.minutes(5);

/** The most alarms one CloudWatch alarm status widget may show. */
const ALARMS_PER_STATUS_WIDGET = 100;

/**
 * What the engineer on call is told and sees (issue 12 part 3): an alarm on every way the service
 * can fail unseen (executions failed, timed out, aborted or throttled; each function's errors and
 * throttles; the API's server errors; a message in any dead-letter queue; an email bounced or
 * complained of), each to one SNS topic whose subscribers the profile names; and a dashboard.
 */
export class MonitoringStack extends Stack {
  /** Every alarm's action, on firing and on clearing. */
  public readonly alarmTopic: sns.Topic;
  public readonly alarms: readonly cloudwatch.Alarm[];
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);

    // --- Who is told -----------------------------------------------------------------------
    // A key of its own: CloudWatch must be able to use the key of the topic it publishes to,
    // and nothing else needs to use this one.
    const alarmTopicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: `Encrypts the alarm notifications of ${this.stackName}`,
      enableKeyRotation: true,
    });
    alarmTopicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Safeguarding reviews: alarms',
      masterKey: alarmTopicKey,
      enforceSSL: true,
    });
    // Only this account's alarms may publish to it.
    alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisAccountsAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    for (const address of props.alarmEmails) {
      const subscription = alarmTopic.addSubscription(new subscriptions.EmailSubscription(address));
      acknowledgeFindings(
        subscription,
        ['Serverless-SNSRedrivePolicy'],
        'An alarm email SNS could not deliver is not kept: the alarm stays in ALARM on the dashboard, and every alarm emails every subscriber, so one undelivered copy loses no alarm.',
      );
    }
    const action = new cloudwatchActions.SnsAction(alarmTopic);

    const alarms: cloudwatch.Alarm[] = [];
    /** An alarm that fires on one or more in a period, tells the topic when it fires and when it clears. */
    const alarmOnAny = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No data is nothing wrong: a quiet hour has no failures to count.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      alarms.push(alarm);
      return alarm;
    };

    // --- The workflow ----------------------------------------------------------------------
    const executions = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM };
    const mendAndResume =
      'Open the execution from the operations page (/ops) or the Step Functions console, mend the cause, and resume the case.';
    alarmOnAny(
      'ExecutionsFailedAlarm',
      props.stateMachine.metricFailed(executions),
      `A Rapid Review's workflow failed. ${mendAndResume}`,
    );
    alarmOnAny(
      'ExecutionsTimedOutAlarm',
      props.stateMachine.metricTimedOut(executions),
      `A Rapid Review's workflow timed out. ${mendAndResume}`,
    );
    alarmOnAny(
      'ExecutionsAbortedAlarm',
      props.stateMachine.metricAborted(executions),
      "A Rapid Review's workflow was stopped (aborted). Nothing in the service stops one: find who did, and resume the case if it should go on.",
    );
    alarmOnAny(
      'ExecutionsThrottledAlarm',
      props.stateMachine.metricThrottled(executions),
      'Step Functions throttled the Rapid Review workflow: a state transition was delayed. Check the account quotas.',
    );

    if (props.localReviewStateMachine) {
      const localReview = props.localReviewStateMachine;
      const mendLocalReview =
        'Open the execution in the Step Functions console, mend the cause; the review page shows it as failed.';
      alarmOnAny(
        'LocalReviewExecutionsFailedAlarm',
        localReview.metricFailed(executions),
        `A local review's workflow failed. ${mendLocalReview}`,
      );
      alarmOnAny(
        'LocalReviewExecutionsTimedOutAlarm',
        localReview.metricTimedOut(executions),
        `A local review's workflow timed out. ${mendLocalReview}`,
      );
      alarmOnAny(
        'LocalReviewExecutionsAbortedAlarm',
        localReview.metricAborted(executions),
        "A local review's workflow was stopped (aborted). Nothing in the service stops one: find who did.",
      );
    }

    // --- Every function --------------------------------------------------------------------
    for (const fn of props.functions) {
      const id = constructIdOf(fn.catalogueName);
      alarmOnAny(
        `${id}ErrorsAlarm`,
        fn.function.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
        `The ${fn.catalogueName} function failed (${fn.spec.trigger} trigger). Its log group holds the error with its stack.`,
      );
      alarmOnAny(
        `${id}ThrottlesAlarm`,
        fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
        `Lambda throttled the ${fn.catalogueName} function: the account's concurrency is used up.`,
      );
    }

    // --- The API ---------------------------------------------------------------------------
    alarmOnAny(
      'ApiServerErrorsAlarm',
      props.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
      'The HTTP API answered with a server error (5xx). The failing function has its own alarm and log; the access log names the route.',
    );

    // --- Dead-letter queues ----------------------------------------------------------------
    for (const dlq of props.deadLetterQueues) {
      alarmOnAny(
        `${dlq.id}DeadLetterQueueAlarm`,
        dlq.queue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        `A message is in the dead-letter queue of ${dlq.holds}. Mend the cause, then move it back (SQS "Start DLQ redrive") or replay it.`,
      );
    }

    // --- Email -----------------------------------------------------------------------------
    // Every email's fate becomes a CloudWatch metric, by the configuration set's name.
    const configurationSetName = props.configurationSet.configurationSetName;
    new ses.ConfigurationSetEventDestination(this, 'EmailEventsToCloudWatch', {
      configurationSet: props.configurationSet,
      destination: ses.EventDestination.cloudWatchDimensions([
        {
          name: SES_CONFIGURATION_SET_DIMENSION,
          source: ses.CloudWatchDimensionSource.MESSAGE_TAG,
          defaultValue: 'none',
        },
      ]),
      events: [
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
        ses.EmailSendingEvent.DELIVERY_DELAY,
        ses.EmailSendingEvent.RENDERING_FAILURE,
      ],
    });
    const emailMetric = (metricName: string, period = FIVE_MINUTES) =>
      new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName,
        dimensionsMap: { [SES_CONFIGURATION_SET_DIMENSION]: configurationSetName },
        statistic: cloudwatch.Stats.SUM,
        period,
      });
    alarmOnAny(
      'EmailBouncedAlarm',
      emailMetric('Bounce'),
      'An email bounced: someone (an agency, the Panel, a member of staff) did not get what the service sent. The SES console and the case audit trail say which; check the address in the case or the profile.',
    );
    alarmOnAny(
      'EmailComplainedOfAlarm',
      emailMetric('Complaint'),
      "A recipient marked an email from the service as spam. Too many complaints put the account's sending at risk; find out why with the partnership team.",
    );

    // --- The dashboard ---------------------------------------------------------------------
    const hour = Duration.hours(1);
    const business = (metricName: string, label: string) =>
      new cloudwatch.SearchExpression({
        // No metric schema: the search matches the metric whatever dimensions it carries.
        expression: `SEARCH('Namespace="${METRICS_NAMESPACE}" MetricName="${metricName}"', 'Sum', 86400)`,
        label,
      });
    const dashboard = new cloudwatch.Dashboard(this, 'OperationsDashboard', {
      dashboardName: `${this.stackName}-operations`,
      defaultInterval: Duration.days(14),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Executions by status (an hour each)',
            width: 12,
            left: [
              props.stateMachine.metricStarted({ period: hour, label: 'Started' }),
              props.stateMachine.metricSucceeded({ period: hour, label: 'Succeeded' }),
              props.stateMachine.metricFailed({ period: hour, label: 'Failed' }),
              props.stateMachine.metricTimedOut({ period: hour, label: 'Timed out' }),
              props.stateMachine.metricAborted({ period: hour, label: 'Aborted' }),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Open reviews by step',
            width: 8,
            stacked: true,
            left: [
              new cloudwatch.SearchExpression({
                expression: `SEARCH('{${METRICS_NAMESPACE},Step} MetricName="${REVIEWS_AT_STEP}"', 'Maximum', 3600)`,
                label: '',
              }),
            ],
          }),
          new cloudwatch.SingleValueWidget({
            title: 'Deadlines due in the next five working days',
            width: 4,
            metrics: [
              new cloudwatch.Metric({
                namespace: METRICS_NAMESPACE,
                metricName: DEADLINES_DUE_WITHIN_FIVE_WORKING_DAYS,
                statistic: cloudwatch.Stats.MAXIMUM,
                period: hour,
                label: 'Deadlines',
              }),
            ],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Lambda errors (five minutes each)',
            width: 12,
            left: props.functions.map((fn) =>
              fn.function.metricErrors({ period: FIVE_MINUTES, label: fn.catalogueName }),
            ),
          }),
          new cloudwatch.GraphWidget({
            title: 'Lambda duration, 95th percentile (ms)',
            width: 12,
            left: props.functions.map((fn) =>
              fn.function.metricDuration({ period: FIVE_MINUTES, statistic: 'p95', label: fn.catalogueName }),
            ),
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Emails sent and bounced (an hour each)',
            width: 12,
            left: [
              emailMetric('Send', hour).with({ label: 'Sent' }),
              emailMetric('Delivery', hour).with({ label: 'Delivered' }),
              emailMetric('Bounce', hour).with({ label: 'Bounced' }),
              emailMetric('Complaint', hour).with({ label: 'Complained of' }),
              emailMetric('Reject', hour).with({ label: 'Rejected' }),
            ],
            right: [business(metricNames.panelEmailsSent, 'Emails to the Panel')],
          }),
          new cloudwatch.GraphWidget({
            title: 'The reviews (a day each)',
            width: 12,
            left: [
              business(metricNames.notificationsReceived, 'Notifications'),
              business(metricNames.returnsReceived, 'Returns'),
              business(metricNames.escalations, 'Escalations'),
              business(metricNames.decisionsRecorded, 'Decisions'),
              business(metricNames.reviewFailures, 'Failures'),
            ],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'API requests and errors (five minutes each)',
            width: 12,
            left: [
              props.httpApi.metricCount({ period: FIVE_MINUTES, label: 'Requests' }),
              props.httpApi.metricClientError({ period: FIVE_MINUTES, label: '4xx' }),
              props.httpApi.metricServerError({ period: FIVE_MINUTES, label: '5xx' }),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Messages in dead-letter queues',
            width: 12,
            left: props.deadLetterQueues.map((dlq) =>
              dlq.queue.metricApproximateNumberOfMessagesVisible({
                period: FIVE_MINUTES,
                statistic: cloudwatch.Stats.MAXIMUM,
                label: dlq.id,
              }),
            ),
          }),
        ],
        // A status widget shows at most 100 alarms: the alarms in as many widgets as that takes.
        Array.from({ length: Math.ceil(alarms.length / ALARMS_PER_STATUS_WIDGET) }, (_, index) => {
          const shown = alarms.slice(
            index * ALARMS_PER_STATUS_WIDGET,
            (index + 1) * ALARMS_PER_STATUS_WIDGET,
          );
          return new cloudwatch.AlarmStatusWidget({
            title: index === 0 ? 'Alarms' : `Alarms (continued, ${index + 1})`,
            width: 24,
            height: 8,
            alarms: shown,
          });
        }),
      ],
    });

    this.alarmTopic = alarmTopic;
    this.alarms = alarms;
    this.dashboard = dashboard;

    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarmTopic.topicArn,
      description: 'Every alarm notifies this topic; its email subscribers come from the profile',
    });
    new CfnOutput(this, 'OperationsDashboardName', { value: dashboard.dashboardName });
  }
}
