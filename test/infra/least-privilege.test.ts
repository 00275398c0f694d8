import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, functionCatalogue } from '../../functions/catalogue.ts';
import type { BuiltApp } from '../../infra/build-app.ts';
import type { ServiceFunction } from '../../infra/constructs/service-function.ts';
import { buildTestApp, logicalIdOf, type PolicyStatement, policyStatements } from './app-under-test.ts';

/** What a role may do to one resource: only read it, only write it (put, sign an upload), or both. */
type Access = 'read' | 'write' | 'read-write';
/** The resources a function's grants are judged on. */
type Resource = 'case-table' | 'audit-table' | 'documents' | 'uploads' | 'email' | 'state-machine';

/**
 * What each function's code touches, written out from the use cases it runs (not from the
 * catalogue, which is what is being checked): the grants of its role must be exactly these.
 */
const touches: Record<FunctionName, Partial<Record<Resource, Access>>> = {
  // Puts the notification (and the local authority's notification to the Panel, uploaded after);
  // lists the versions of one whose case could not be written, to delete them.
  intake: {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    documents: 'read-write',
    'state-machine': 'write',
  },
  'get-case': { 'case-table': 'read', 'audit-table': 'read', documents: 'read', 'state-machine': 'read' },
  // The local reviews' API (issue 13): reads the reviews through the list index and by id; nothing else.
  'get-local-reviews': { 'case-table': 'read', 'audit-table': 'read' },
  // Commissions a local review: reads the case, writes the review with its audit events on the
  // review and on the case, emails the Panel, starts the review's workflow.
  'commission-local-review': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    email: 'write',
    'state-machine': 'write',
  },
  // Records the decision, emails the partners to sign off, and resumes the workflow when the submission is ready.
  'record-decision': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    'state-machine': 'write',
    email: 'write',
  },
  // Saves report sections; on completion reads the notification document and puts the report's two documents.
  // and resumes the workflow when the completed report makes the submission ready.
  'rapid-review-report': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    documents: 'read-write',
    'state-machine': 'write',
  },
  // Sign-offs: the case and its audit trail, and SES for the Executive Board chair's email.
  // and resumes the workflow when the last sign-off or the resolution makes the submission ready.
  'record-sign-off': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    email: 'write',
    'state-machine': 'write',
  },
  // Late reasons and the notification-only closure: the case, SES (agencies and notifier told), and failing a waiting callback;
  // a late return's addendum put with the case documents (an agency's PDF read into it).
  'steer-case': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    // The notification's versions (issue 10 part 3): read the latest, write the next.
    documents: 'read-write',
    email: 'write',
    'state-machine': 'write',
  },
  // Records the Panel's reply on the case, with its audit event, and emails the Executive Board.
  'record-panel-reply': { 'case-table': 'read-write', 'audit-table': 'read-write', email: 'write' },
  // The meeting (issue 9 part 4): the case and its audit trail; the collated report read to sign
  // the invitation's link to the papers, the minutes and the Panel's letter put; SES for the invitations.
  'rrg-meeting': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    documents: 'read-write',
    email: 'write',
  },
  // Records the upload form it issues, and the structured return (a version with its audit
  // event) with the SPOC's receipt email.
  'agency-return': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    uploads: 'write',
    email: 'write',
  },
  // The staff pages: no upload bucket, which only the agency pages' functions sign forms for.
  web: {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    documents: 'read-write',
    // Reads a case's execution for the case page.
    'state-machine': 'read',
  },
  // The notify pages open a case as intake does: the case and its draft, the notification
  // document (removed again if the case is not written), the review started.
  'notify-web': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    documents: 'read-write',
    'state-machine': 'write',
  },
  // The pages under one case: the case, its documents (the report, the minutes, the Panel's
  // letter), resuming the workflow when the submission is ready or failing its wait on a closure,
  // and the emails those pages send (a partner's disagreement, the Panel's reply, invitations).
  'case-web': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    documents: 'read-write',
    'state-machine': 'write',
    email: 'write',
  },
  // The team's controls: the case and its agencies, the documents (an addendum, a return's file),
  // failing a waiting callback on a closure or a withdrawal, and the emails those controls send.
  'team-web': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    documents: 'read-write',
    'state-machine': 'write',
    email: 'write',
  },
  // Each role's home: the cases and their audit trails, read, and a notifier's own notification
  // document; it changes nothing.
  'home-web': { 'case-table': 'read', 'audit-table': 'read', documents: 'read' },
  // The dashboard and the scrutiny report: the cases read through the indexes; the scrutineer's
  // commentary written with its audit event. No documents, no workflow.
  'insight-web': { 'case-table': 'read-write', 'audit-table': 'read-write' },
  // The operations pages: every execution read (list, describe, history, the definition), the
  // case references, and resuming a failed case (its fresh execution started, the case and its
  // audit event written).
  'ops-web': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    'state-machine': 'read-write',
  },
  // The agency pages: the link, the case and its audit trail (the last upload) to read, an
  // upload form to sign (recorded as an UPLOAD# item; the upload itself is recorded by
  // record-summary), the structured return's draft and versions with their audit events, and
  // the return's receipt email. No documents, workflow or session key.
  'agency-web': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    uploads: 'write',
    email: 'write',
  },
  // Keeps the one-time code beside the agency's link, audits each code and view, reads the
  // notification document for the child's details and emails the code (claims in the case table).
  'agency-details': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    documents: 'read',
    email: 'write',
  },
  // Reads the upload, files an accepted copy with the case documents, deletes a refused one,
  // and tells the partnership team of a late return (claims in the case table).
  'record-summary': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    uploads: 'read-write',
    documents: 'write',
    email: 'write',
  },
  // Lists notification documents, checks each has a case, deletes those that have none.
  'sweep-orphans': { 'case-table': 'read', 'audit-table': 'read', documents: 'read-write' },
  // Counts the open reviews and their deadlines for the dashboard; writes nothing.
  'publish-review-gauges': { 'case-table': 'read', 'audit-table': 'read' },
  // Reads the timetable planned at intake; writes nothing.
  'plan-timetable': { 'case-table': 'read', 'audit-table': 'read' },
  'request-agency-summaries': { 'case-table': 'read-write', 'audit-table': 'read-write', email: 'write' },
  // Reads back a formal request letter an earlier attempt filed, so a retry sends the same one.
  'climb-ladder': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    documents: 'read-write',
    email: 'write',
  },
  // Reads the notification and each agency's filed PDF from the case documents (never the upload
  // bucket) and writes the report.
  'collate-report': { 'case-table': 'read-write', 'audit-table': 'read-write', documents: 'read-write' },
  // Tells the group the papers are on the case page: it reads no document and links none.
  'distribute-papers': { 'case-table': 'read-write', 'audit-table': 'read-write', email: 'write' },
  'schedule-decision-deadline': { 'case-table': 'read', 'audit-table': 'read' },
  'await-decision': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    email: 'write',
    'state-machine': 'write',
  },
  'escalate-missing-decision': { 'case-table': 'read-write', 'audit-table': 'read-write', email: 'write' },
  'submit-to-panel': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    documents: 'read-write',
    email: 'write',
  },
  'notify-outcome': { 'case-table': 'read-write', 'audit-table': 'read-write', email: 'write' },
  'record-failure': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    email: 'write',
    'state-machine': 'read',
  },
  // Lists the cases owing a resume, reads each one's token, ends the wait and clears the marker
  // (an update: the table's read-write, with the audit put that comes with it).
  'resume-workflows': { 'case-table': 'read-write', 'audit-table': 'read-write', 'state-machine': 'write' },
  // As record-failure, from the rule on execution status changes.
  'record-execution-fault': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    email: 'write',
    'state-machine': 'read',
  },
  // Local Child Safeguarding Practice Reviews (issue 13). The pages read the Rapid Review's
  // notification for the children, write the review with its audit events, email the Panel, start
  // the review's workflow and hand back its waits.
  'local-review-web': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    documents: 'read',
    email: 'write',
    'state-machine': 'write',
  },
  // The Practice Review Group's pages (issue 13): referrals with their audit events, emails, and
  // the local review's workflow started when one is commissioned from a referral.
  'prg-web': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    email: 'write',
    'state-machine': 'write',
  },
  // The work in writing: the drafts written to and read from the documents bucket; each
  // factual-accuracy round's reminders started.
  'local-review-drafts-web': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    documents: 'read-write',
    email: 'write',
    'state-machine': 'write',
  },
  // Learning themes and actions (issue 14): writes learning and actions with their audit events,
  // files owners' evidence and links to it, emails owners their links.
  'learning-web': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    documents: 'read-write',
    email: 'write',
  },
  // Reminds action owners: reads the open actions, keeps each reminder and its link, emails.
  'chase-actions': { 'case-table': 'read-write', 'audit-table': 'read-write', email: 'write' },
  // A local review's enquiry: writes its own items (declarations and requests, each chronology
  // entry) with their audit events; emails agencies and the safeguarding partners; starts each request's chasing; no documents.
  'local-review-work-web': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    email: 'write',
    // Starts each request for information's chasing.
    'state-machine': 'write',
  },
  'schedule-local-review-wait': { 'case-table': 'read', 'audit-table': 'read' },
  // Keeps the callback token; ends the wait at once when the step is done.
  'await-local-review': { 'case-table': 'read-write', 'audit-table': 'read-write', 'state-machine': 'write' },
  'chase-local-review': { 'case-table': 'read-write', 'audit-table': 'read-write', email: 'write' },
  'plan-publication': { 'case-table': 'read-write', 'audit-table': 'read-write', email: 'write' },
  // Reads the partnership directory for the agency's strategic lead; writes the enquiry's item
  // (each rung climbed, with the new link its email carries) with its audit events.
  'chase-information-request': { 'case-table': 'read-write', 'audit-table': 'read-write', email: 'write' },
  // Reads the round and the agencies' contacts (the Rapid Review's, or the partnership directory),
  // keeps each reminder's new link (its hash) and marks it sent.
  'chase-factual-accuracy': { 'case-table': 'read-write', 'audit-table': 'read-write', email: 'write' },
  // Reads the final version the team chose, to attach it.
  'send-pre-publication-notice': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    documents: 'read',
    email: 'write',
  },
  'alert-minimum-period': { 'case-table': 'read-write', 'audit-table': 'read-write', email: 'write' },
  'record-local-review-failure': {
    'case-table': 'read-write',
    'audit-table': 'read-write',
    email: 'write',
    'state-machine': 'read',
  },
};

const READ_ACTION =
  /^(dynamodb:(BatchGetItem|GetItem|Query|Scan|ConditionCheckItem|DescribeTable|GetRecords|GetShardIterator)|s3:(GetObject.*|GetBucket.*|List.*)|ssm:GetParametersByPath|states:(Describe.*|Get.*|List.*))$/;

/** The resources of the service a template value names, by the data stack's logical ids. */
function resourceOf(value: unknown, ids: Record<string, Resource>): Resource | undefined {
  const text = JSON.stringify(value);
  for (const [id, resource] of Object.entries(ids)) if (text.includes(id)) return resource;
  if (/arn:\$\{Token|"ses"|:ses:|identity\/|configuration-set/.test(text)) return 'email';
  if (/:states:|stateMachine:|execution:/.test(text)) return 'state-machine';
  return undefined;
}

describe('least privilege: each function’s role against what its code touches', () => {
  let built: BuiltApp;
  let functions: Map<FunctionName, ServiceFunction>;
  let statements: Map<FunctionName, PolicyStatement[]>;
  let dataIds: Record<string, Resource>;

  beforeAll(() => {
    built = buildTestApp();
    functions = new Map([
      ...built.apiStack.functions,
      ...built.workflowStack.functions,
      ...built.localReviewStack.functions,
    ]);
    dataIds = {
      [logicalIdOf(built.dataStack.auditTable)]: 'audit-table',
      [logicalIdOf(built.dataStack.caseTable)]: 'case-table',
      [logicalIdOf(built.dataStack.caseDocumentBucket)]: 'documents',
      [logicalIdOf(built.dataStack.agencySummaryUploadBucket)]: 'uploads',
    };
    const byStack = new Map<Stack, PolicyStatement[]>();
    statements = new Map();
    for (const [name, fn] of functions) {
      const stack = Stack.of(fn);
      if (!byStack.has(stack)) byStack.set(stack, policyStatements(Template.fromStack(stack)));
      const role = logicalIdOf(fn.role);
      statements.set(
        name,
        (byStack.get(stack) ?? []).filter((statement) => statement.roles.includes(role)),
      );
    }
  });

  /** What a function's role may do, by resource, from its policies in the template. */
  function grantsOf(name: FunctionName): Partial<Record<Resource, Access>> {
    const found: Partial<Record<Resource, { read: boolean; write: boolean }>> = {};
    for (const statement of statements.get(name) ?? []) {
      for (const value of statement.resources) {
        const resource = resourceOf(value, dataIds);
        if (!resource) continue;
        const relevant = statement.actions.filter((action) =>
          resource === 'email' ? action.startsWith('ses:') : !action.startsWith('kms:'),
        );
        if (relevant.length === 0) continue;
        const seen = found[resource] ?? { read: false, write: false };
        found[resource] = seen;
        for (const action of relevant) {
          if (READ_ACTION.test(action)) seen.read = true;
          else seen.write = true;
        }
      }
    }
    return Object.fromEntries(
      Object.entries(found).map(([resource, { read, write }]) => [
        resource,
        read && write ? 'read-write' : write ? 'write' : 'read',
      ]),
    );
  }

  it('covers every function of the catalogue', () => {
    expect([...functions.keys()].sort()).toEqual(Object.keys(functionCatalogue).sort());
    expect(Object.keys(touches).sort()).toEqual(Object.keys(functionCatalogue).sort());
  });

  it.each(Object.keys(touches) as FunctionName[])('grants %s only what its code touches', (name) => {
    expect(grantsOf(name)).toEqual(touches[name]);
  });

  it('lets plan-timetable write nothing at all', () => {
    const writes = (statements.get('plan-timetable') ?? [])
      .flatMap((statement) => statement.actions)
      .filter(
        (action) => !READ_ACTION.test(action) && !/^(kms:(Decrypt|DescribeKey)|logs:|xray:)/.test(action),
      );
    expect(writes).toEqual([]);
  });

  it('keeps collate-report away from the upload bucket', () => {
    const uploadBucketId = logicalIdOf(built.dataStack.agencySummaryUploadBucket);
    const onUploads = (statements.get('collate-report') ?? []).filter((statement) =>
      JSON.stringify(statement.resources).includes(uploadBucketId),
    );
    expect(onUploads).toEqual([]);
    const environment = JSON.stringify(
      Template.fromStack(built.workflowStack).toJSON().Resources[
        logicalIdOf(functions.get('collate-report')!.function)
      ].Properties.Environment,
    );
    expect(environment).not.toContain('AGENCY_UPLOAD_BUCKET');
  });

  it('never lets a role delete a case document other than a notification document no case owns', () => {
    const documentsId = logicalIdOf(built.dataStack.caseDocumentBucket);
    const deletes = [...statements].flatMap(([name, list]) =>
      list
        .filter((statement) => JSON.stringify(statement.resources).includes(documentsId))
        .filter((statement) => !onlyNotificationDocuments(statement))
        .flatMap((statement) => statement.actions.filter((action) => /^s3:(Delete|\*)/.test(action)))
        .map((action) => `${name}: ${action}`),
    );
    expect(deletes).toEqual([]);
  });

  it('lets only intake, the notify pages and the sweeper delete notification documents', () => {
    const documentsId = logicalIdOf(built.dataStack.caseDocumentBucket);
    const deleters = [...statements]
      .filter(([, list]) =>
        list.some(
          (statement) =>
            JSON.stringify(statement.resources).includes(documentsId) &&
            onlyNotificationDocuments(statement) &&
            statement.actions.some((action) => action.startsWith('s3:Delete')),
        ),
      )
      .map(([name]) => name)
      .sort();
    expect(deleters).toEqual(['intake', 'notify-web', 'sweep-orphans']);
  });
});

/** Whether every resource of a statement is the notification documents' pattern. */
function onlyNotificationDocuments(statement: PolicyStatement): boolean {
  return statement.resources.every((resource) =>
    JSON.stringify(resource).includes('/cases/*/notification.json'),
  );
}

describe('the agency pages’ function', () => {
  let built: BuiltApp;
  let properties: Record<string, unknown> & { Environment: { Variables: Record<string, unknown> } };
  let statements: PolicyStatement[];

  beforeAll(() => {
    built = buildTestApp();
    const fn = built.apiStack.functions.get('agency-web');
    if (!fn) throw new Error('No agency-web function in the API stack');
    const template = Template.fromStack(built.apiStack);
    properties = template.toJSON().Resources[logicalIdOf(fn.function)].Properties;
    const role = logicalIdOf(fn.role);
    statements = policyStatements(template).filter((statement) => statement.roles.includes(role));
  });

  it('holds no session key and no sign-in settings: it cannot make or read a staff session', () => {
    expect(Object.keys(properties.Environment.Variables).sort()).toEqual(
      [
        'AGENCY_UPLOAD_BUCKET',
        'AUDIT_TABLE_NAME',
        'CASE_TABLE_NAME',
        'NODE_OPTIONS',
        'POWERTOOLS_TRACER_CAPTURE_ERROR',
        'POWERTOOLS_TRACER_CAPTURE_RESPONSE',
        'PARTNERSHIP_PROFILE_PARAMETER_PATH',
        'PUBLIC_BASE_URL',
        'SES_CONFIGURATION_SET',
      ].sort(),
    );
  });

  it('cannot read documents, drive the workflow, or write to the tables beyond its upload forms, its case’s items, the audit trail and email claims', () => {
    const actions = statements.flatMap((statement) => statement.actions);
    expect(actions.filter((action) => /^(states|secretsmanager):/.test(action))).toEqual([]);
    const tableWrites = statements.filter((statement) =>
      statement.actions.some((action) =>
        /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|\*)/.test(action),
      ),
    );
    const caseTableId = logicalIdOf(built.dataStack.caseTable);
    const auditTableId = logicalIdOf(built.dataStack.auditTable);
    const onCaseTable = tableWrites.filter((statement) =>
      JSON.stringify(statement.resources).includes(caseTableId),
    );
    // Issued-upload items, the return's items under its case (a version, a draft), and email claims.
    expect(onCaseTable.map((statement) => [[...statement.actions].sort(), statement.conditions])).toEqual([
      [['dynamodb:PutItem'], { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['UPLOAD#*'] } }],
      [
        ['dynamodb:ConditionCheckItem', 'dynamodb:PutItem'],
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CASE#*'] } },
      ],
      [
        ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem'],
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EMAIL#*'] } },
      ],
    ]);
    // The audit trail: appended to, never updated or deleted.
    const onAudit = tableWrites.filter((statement) =>
      JSON.stringify(statement.resources).includes(auditTableId),
    );
    expect(onAudit.flatMap((statement) => statement.actions).sort()).toEqual([
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
    const documentsId = logicalIdOf(built.dataStack.caseDocumentBucket);
    expect(
      statements.filter((statement) => JSON.stringify(statement.resources).includes(documentsId)),
    ).toEqual([]);
  });

  it('reads only links, cases, upload forms and email claims: never staff drafts, sessions or idempotency keys', () => {
    const tableStatements = statements.filter((statement) =>
      statement.actions.some((action) => action.startsWith('dynamodb:')),
    );
    expect(tableStatements.length).toBeGreaterThan(0);
    for (const statement of tableStatements) {
      const keys = (
        statement.conditions?.['ForAllValues:StringLike'] as Record<string, string[]> | undefined
      )?.['dynamodb:LeadingKeys'];
      expect(keys, JSON.stringify(statement.actions)).toBeDefined();
      expect(
        keys?.filter((key) => !['LINK#*', 'CASE#*', 'UPLOAD#*', 'EMAIL#*'].includes(key)),
        JSON.stringify(statement.actions),
      ).toEqual([]);
    }
  });

  it('may only sign uploads under the upload prefix of the upload bucket, and read none', () => {
    const uploadsId = logicalIdOf(built.dataStack.agencySummaryUploadBucket);
    const onUploads = statements.filter((statement) =>
      JSON.stringify(statement.resources).includes(uploadsId),
    );
    expect(
      onUploads.flatMap((statement) => statement.actions).filter((action) => action.startsWith('s3:Get')),
    ).toEqual([]);
    expect(JSON.stringify(onUploads.flatMap((statement) => statement.resources))).toContain('/uploads/*');
  });
});

describe('the audit trail is append-only', () => {
  let built: BuiltApp;

  beforeAll(() => {
    built = buildTestApp();
  });

  it('lives in a table of its own, keyed by case and event, encrypted and recoverable', () => {
    const data = Template.fromStack(built.dataStack);
    const audit = data.toJSON().Resources[logicalIdOf(built.dataStack.auditTable)];
    expect(audit.Type).toBe('AWS::DynamoDB::Table');
    expect(audit.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      DeletionProtectionEnabled: true,
    });
    // No TTL: an audit event is never removed by the table either.
    expect(audit.Properties.TimeToLiveSpecification).toBeUndefined();
    expect(audit.DeletionPolicy).toBe('Retain');
  });

  it('is granted PutItem and Query at most, in every stack, to every role: no update, delete or batch write, not even by a wildcard', () => {
    const auditId = logicalIdOf(built.dataStack.auditTable);
    const allowed = new Set(['dynamodb:PutItem', 'dynamodb:Query']);
    const onAudit = [built.dataStack, built.apiStack, built.workflowStack].flatMap((stack) =>
      policyStatements(Template.fromStack(stack)).filter((statement) =>
        JSON.stringify(statement.resources).includes(auditId),
      ),
    );
    const beyond = onAudit.flatMap((statement) =>
      statement.actions
        .filter((action) => !allowed.has(action))
        .map((action) => `${statement.policy}: ${action}`),
    );

    expect(onAudit.length).toBeGreaterThan(10);
    expect(beyond).toEqual([]);
    // And nothing is granted on every table ("*", "…:table/*") that would reach it another way.
    const everywhere = [built.dataStack, built.apiStack, built.workflowStack].flatMap((stack) =>
      policyStatements(Template.fromStack(stack)).filter(
        (statement) =>
          statement.actions.some((action) => action.startsWith('dynamodb:')) &&
          statement.resources.some((resource) => typeof resource === 'string' && resource.includes('*')),
      ),
    );
    expect(everywhere).toEqual([]);
  });
});
