/**
 * Every Lambda function, once: its folder, what it is for, and what it may touch. CDK builds
 * each function and its least-privilege grants from this list; the local stack loads the same
 * handlers from it. A function's handler is `functions/<name>/handler.ts`, export `handler`.
 */
/**
 * Where Nunjucks sits in the web function's bundle: a module of its own beside the handler (its
 * `separateModules` below put it there; functions/web/paths.ts imports it from there).
 */
export const NUNJUCKS_MODULE_PATH = 'vendor/nunjucks.mjs';

/**
 * What every function serving GOV.UK pages bundles beside its handler: the templates, the
 * assets and govuk-frontend's files; and Nunjucks in a module of its own (a tenth of the bundle:
 * a start that serves an asset or a redirect never renders).
 */
const pageFiles = [
  { from: 'functions/web/templates', to: 'templates' },
  { from: 'functions/web/assets', to: 'assets' },
  { from: 'node_modules/govuk-frontend/dist/govuk', to: 'govuk-frontend/govuk' },
] as const;
const pageModules = [{ package: 'nunjucks', to: NUNJUCKS_MODULE_PATH }] as const;

/**
 * What a function may do on the rapid-review state machine: start executions, complete callback
 * tasks, read a case's execution (`read`: describe, history, list), or watch every execution
 * (`observe`: the same and the state machine's deployed definition, for the operations pages).
 */
export type StateMachineAccess = 'start' | 'callback' | 'read' | 'observe';

export interface FunctionSpec {
  description: string;
  /**
   * How it is invoked: by the HTTP API, by the rapid-review state machine (`workflow`), by the
   * local-review state machine (`local-review-workflow`), by an S3 event on the upload bucket, by
   * an EventBridge schedule (`schedule`: daily, hourly or every minute; only the every-minute one
   * also runs under `npm start`), or by the EventBridge rule on the rapid-review state machine's
   * execution status changes (`execution-status`: FAILED, TIMED_OUT, ABORTED; locally, the local
   * Step Functions service calls it).
   */
  trigger: 'api' | 'workflow' | 'local-review-workflow' | 'upload-event' | 'schedule' | 'execution-status';
  /** What it needs; CDK turns each into an L2 grant and the matching environment variable. */
  needs: {
    /**
     * The case table, and with it the audit table: `read` may query the audit trail,
     * `read-write` may also append to it (PutItem only; nothing may update or delete an event);
     * `read-and-issue-uploads` reads, and puts only issued upload forms (UPLOAD# items);
     * `read-and-record-agency-returns` also puts under a case's partition (an agency request's
     * new version, a return's draft), appends audit events, and keeps email claims (EMAIL# items):
     * never drafts of staff, sessions or idempotency keys.
     */
    table?: 'read' | 'read-and-issue-uploads' | 'read-and-record-agency-returns' | 'read-write';
    /** `write` puts documents only; `read-write` reads and puts (nothing deletes a filed case document). */
    documentBucket?: 'read' | 'write' | 'read-write';
    /**
     * May delete a case's notification document (`cases/<case>/notification.json`) and nothing
     * else: intake removes the one it wrote when the case could not be saved, and the sweeper
     * removes those no case owns.
     */
    removesNotificationDocuments?: true;
    uploadBucket?: 'read' | 'read-write' | 'presign-post';
    /** Emails through SES with the partnership's configuration set. */
    email?: true;
    /** StartExecution / SendTask* / history on the rapid-review state machine (one of them, or several). */
    stateMachine?: StateMachineAccess | readonly StateMachineAccess[];
    /** StartExecution / SendTask* on the local-review state machine (issue 13). */
    localReviewStateMachine?: StateMachineAccess | readonly StateMachineAccess[];
    /** Signs staff in through the Cognito hosted UI and keeps signed session cookies (the web pages). */
    staffSignIn?: true;
    /**
     * Submits notifications, so checks them for possible duplicates: given the deployment's secret
     * key the children's dates of birth are hashed with (never stored as they are). The cases
     * list finds a case by the child's initials, hashed with the same key (home-web).
     */
    checksDuplicates?: true;
    /**
     * Holds the agency details pages' own key (AGENCY_DETAILS_SECRET), which signs their CSRF
     * tokens and the cookie proving a browser entered the emailed code.
     */
    agencyDetailsKey?: true;
  };
  /**
   * Files copied next to the bundled handler (paths from the project root → paths in the
   * bundle), for what is read from disk at run time rather than imported: templates, assets.
   */
  bundledFiles?: readonly { from: string; to: string }[];
  /**
   * Packages bundled into a module of their own beside the handler (package → path in the
   * bundle), for what the handler imports only when first needed: a cold start that never needs
   * it does not parse it. The handler imports the file when it exists, the package otherwise.
   */
  separateModules?: readonly { package: string; to: string }[];
  /** Seconds; defaults to 30 in the function construct. */
  timeoutSeconds?: number;
  /**
   * How often a `schedule` function runs: daily at 03:00 UTC (the default), hourly on the hour,
   * or every minute (the resume sweep; `npm start` runs it every few real seconds too).
   */
  schedule?: 'daily' | 'hourly' | 'every-minute';
}

export const functionCatalogue = {
  intake: {
    description:
      "Validates a serious incident notification, opens the case and starts its Rapid Review; files the local authority's notification to the Panel its notifier uploads",
    trigger: 'api',
    needs: {
      table: 'read-write',
      documentBucket: 'write',
      stateMachine: 'start',
      removesNotificationDocuments: true,
      checksDuplicates: true,
    },
  },
  'get-case': {
    description: 'Shows a case: status, timetable, agency returns, documents, current step and audit trail',
    trigger: 'api',
    needs: { table: 'read', documentBucket: 'read', stateMachine: 'read' },
  },
  'record-decision': {
    description:
      "Records the RRG chair's decision, asks the safeguarding partners to sign it off and resumes the workflow when the submission is ready",
    trigger: 'api',
    needs: { table: 'read-write', stateMachine: 'callback', email: true },
  },
  // The rapid review report (issue 9 part 5): its sections saved, and its completion, which files
  // it as a PDF and a Word copy (reading the notification document for the child's details).
  'rapid-review-report': {
    description:
      'Saves the sections of the rapid review report and, once complete, files it as a PDF and a Word copy',
    trigger: 'api',
    needs: { table: 'read-write', documentBucket: 'read-write', stateMachine: 'callback' },
    timeoutSeconds: 60,
  },
  // The partners' sign-offs (issue 9 part 4): a disagreement emails the Executive Board chair.
  'record-sign-off': {
    description:
      "Records a safeguarding partner's sign-off on the decision and the Executive Board chair's resolution, and resumes the workflow when the submission is ready",
    trigger: 'api',
    needs: { table: 'read-write', email: true, stateMachine: 'callback' },
  },
  // The Panel's reply (issue 9 part 6).
  'record-panel-reply': {
    description: "Records the Panel's reply to a submitted Rapid Review and emails the Executive Board",
    trigger: 'api',
    needs: { table: 'read-write', email: true },
  },
  // The partnership team's controls on a running case (issue 9 parts 3 and 6, issue 10 part 3):
  // why a late review is late, closing a case as notification only or withdrawing it (either
  // stops a waiting workflow), and adding, changing and removing agencies (links and emails).
  'steer-case': {
    description:
      'Records why a late review is late, closes a case as notification only or withdraws it, adds, changes or removes its agencies, enters their returns and corrects the notification',
    trigger: 'api',
    // The documents bucket: a late return's addendum filed with the case; the notification's
    // versions, the document read and written, its duplicate keys recomputed.
    needs: {
      table: 'read-write',
      email: true,
      stateMachine: 'callback',
      documentBucket: 'read-write',
      checksDuplicates: true,
    },
  },
  // The Rapid Review Group meeting (issue 9 part 4): invitations linking the papers (reads the
  // collated report to sign its link), and the minutes and the Panel's letter filed with the case.
  'rrg-meeting': {
    description:
      "Schedules the Rapid Review Group meeting and emails the invitations, records who attended, and files the minutes and the Panel's letter",
    trigger: 'api',
    needs: { table: 'read-write', documentBucket: 'read-write', email: true },
  },
  // Local Child Safeguarding Practice Reviews through the API (issue 13): the list (one query of
  // the table's list index) and one review; it reads the review items only, no documents (the
  // children are not in its answers), no email, no workflow.
  'get-local-reviews': {
    description:
      'Lists the local child safeguarding practice reviews and shows one, with its milestones, terms of reference, reviewer and publication',
    trigger: 'api',
    needs: { table: 'read' },
  },
  // Commissions a local review from a Rapid Review through the same use case as the case's
  // pages: writes the review with its audit events, emails the Panel once, starts its workflow.
  'commission-local-review': {
    description:
      'Commissions the local child safeguarding practice review of a Rapid Review: emails the Panel once and starts its workflow',
    trigger: 'api',
    needs: { table: 'read-write', email: true, localReviewStateMachine: 'start' },
  },
  'agency-return': {
    description:
      'Tells an agency what to return, gives it a pre-signed upload and takes its structured return',
    trigger: 'api',
    // It writes the issued upload form (its key and expiry) that record-summary checks uploads
    // against, and the structured return (a version on the agency request, with its audit event
    // and the SPOC's receipt email).
    needs: { table: 'read-and-record-agency-returns', uploadBucket: 'presign-post', email: true },
  },
  web: {
    description:
      'Serves the staff GOV.UK pages (sign-in, one case, correcting a notification) and the assets of every page',
    trigger: 'api',
    needs: {
      table: 'read-write',
      documentBucket: 'read-write',
      stateMachine: 'read',
      staffSignIn: true,
      checksDuplicates: true,
    },
    bundledFiles: pageFiles,
    separateModules: pageModules,
  },
  // Notifying a serious incident, apart from the web function so that neither bundle holds every
  // page: the question pages keep a draft, and check your answers opens the case through the
  // intake logic (the notification document written, and removed again if the case is not;
  // the possible-duplicate check; the review started), as intake does.
  'notify-web': {
    description:
      "Serves the GOV.UK pages that notify a serious incident (questions, check your answers, confirmation) and opens the case through intake's logic",
    trigger: 'api',
    needs: {
      table: 'read-write',
      documentBucket: 'write',
      stateMachine: 'start',
      staffSignIn: true,
      checksDuplicates: true,
      removesNotificationDocuments: true,
    },
    bundledFiles: pageFiles,
    separateModules: pageModules,
  },
  // The pages under one case, apart from the web function so that neither bundle holds every
  // page: the decision, the report, the meeting, the sign-offs, the Panel's reply, the late
  // reason and the closure. The same templates and sessions as the web function.
  'case-web': {
    description:
      "Serves the staff GOV.UK pages under one case (decision, report, meeting, sign-offs, the Panel's reply, the notification's PDF, late reason, closure, agencies, withdrawal)",
    trigger: 'api',
    needs: {
      table: 'read-write',
      documentBucket: 'read-write',
      stateMachine: 'callback',
      staffSignIn: true,
      email: true,
    },
    bundledFiles: pageFiles,
    separateModules: pageModules,
  },
  // The partnership team's controls on a running case, apart from the case pages so that neither
  // bundle holds every page: the late reason, the closure, the agencies, the team's returns (a late
  // one files an addendum), the withdrawal (which fails a waiting callback).
  'team-web': {
    description:
      "Serves the partnership team's GOV.UK pages for steering a case (late reason, closure, agencies, returns, withdrawal) and for keeping the partnership directory of agencies",
    trigger: 'api',
    needs: {
      table: 'read-write',
      documentBucket: 'read-write',
      stateMachine: 'callback',
      staffSignIn: true,
      email: true,
    },
    bundledFiles: pageFiles,
    separateModules: pageModules,
  },
  // Each role's home, apart from the web function so that no bundle holds every page: the
  // partnership team's list of cases, the Rapid Review Group's cases, the scrutineer's list, the
  // notifier's notifications. It reads the cases and changes nothing; the duplicate-check key
  // finds a case by the child's initials, which the case keeps only as keyed hashes; the documents
  // are read for a notifier's own notification.
  'home-web': {
    description:
      "Serves each role's home among the staff GOV.UK pages: the team's cases list and its CSV, the Rapid Review Group's cases, the scrutineer's list, the notifier's notifications",
    trigger: 'api',
    needs: { table: 'read', documentBucket: 'read', staffSignIn: true, checksDuplicates: true },
    bundledFiles: pageFiles,
    separateModules: pageModules,
  },
  // The partnership's figures (issue 14 parts 3 and 4), apart from the other page functions, which
  // are near 1 MiB: the dashboard and the scrutineer's six-monthly report with its PDF. It reads
  // the cases through the table's indexes, and the local reviews of the period; it writes only the
  // scrutineer's commentary with its audit event (so `read-write`). No documents, email or workflow.
  'insight-web': {
    description:
      "Serves the partnership's dashboard and the Independent Scrutineer's six-monthly report, its commentary and its PDF for the Executive Board",
    trigger: 'api',
    needs: { table: 'read-write', staffSignIn: true },
    bundledFiles: pageFiles,
    separateModules: pageModules,
  },
  // The operations pages (issue 12 part 4), apart from the other staff pages so that no bundle
  // holds every page: every execution of the workflow read through the Step Functions API
  // (`observe`: list, describe, history and the deployed definition), the case references from
  // the case table, and resuming a failed case (a fresh execution started, the case's fault flag
  // cleared with its audit event).
  'ops-web': {
    description:
      "Serves the operator's GOV.UK pages: every execution of the Rapid Review workflow with its graph, one execution's path and history, and resuming a failed review",
    trigger: 'api',
    needs: { table: 'read-write', stateMachine: ['observe', 'start'], staffSignIn: true },
    bundledFiles: pageFiles,
    separateModules: pageModules,
  },
  // The agency pages, apart from the staff pages: reached by anyone holding an agency's link, so
  // no session key and no staff ports (documents, workflow, staff drafts). It writes the upload
  // form it issues (an UPLOAD# item, which record-summary checks each upload against), the
  // structured return's draft and its versions (with their audit events), and sends the SPOC
  // the return's receipt.
  'agency-web': {
    description:
      "Serves the agency return pages an agency's link opens: what to return, the upload, the structured return, their receipts",
    trigger: 'api',
    needs: { table: 'read-and-record-agency-returns', uploadBucket: 'presign-post', email: true },
    bundledFiles: pageFiles,
    separateModules: pageModules,
  },
  // The child's identifying details for an agency's contact, behind a code emailed to the
  // addressed mailbox (issue 10 part 1): apart from agency-web, which reads no documents and
  // sends no email. Its own key signs its CSRF tokens and the proof cookie; no session key.
  'agency-details': {
    description:
      "Shows an agency's contact which child a case is about, once they enter a code emailed to their mailbox",
    trigger: 'api',
    needs: { table: 'read-write', documentBucket: 'read', email: true, agencyDetailsKey: true },
    bundledFiles: pageFiles,
    separateModules: pageModules,
  },
  // Local Child Safeguarding Practice Reviews (issue 13), apart from the other page functions,
  // which are near 1 MiB: starting one from a Rapid Review (which starts its workflow and emails
  // the Panel), its page, the terms of reference, the reviewer (the Panel emailed), parallel
  // processes, the final report's planned publication, the publication and why it is late (each
  // of the last two completes the workflow's wait). Reads the case's notification for the children.
  'local-review-web': {
    description:
      "Serves the partnership team's GOV.UK pages for Local Child Safeguarding Practice Reviews: commissioning, terms of reference, reviewer, parallel processes, publication",
    trigger: 'api',
    needs: {
      table: 'read-write',
      documentBucket: 'read',
      localReviewStateMachine: ['start', 'callback'],
      staffSignIn: true,
      email: true,
    },
    bundledFiles: pageFiles,
    separateModules: pageModules,
  },
  // The Practice Review Group (issue 13 part 1), apart from the other page functions: a referrer
  // refers a case that was not notifiable (its strategic lead emailed a link), the lead approves by
  // that link (the group emailed), the group records its decision (the referrer and the partners
  // emailed), and the team commissions a local review from a referral (the Panel emailed, the
  // review's workflow started). Reads no case documents.
  'prg-web': {
    description:
      "Serves the Practice Review Group's GOV.UK pages: referrals of cases that were not notifiable, the strategic lead's approval, the group's decision, commissioning a local review",
    trigger: 'api',
    needs: {
      table: 'read-write',
      localReviewStateMachine: 'start',
      staffSignIn: true,
      email: true,
    },
    bundledFiles: pageFiles,
    separateModules: pageModules,
  },
  // Learning that sticks (issue 14 parts 1 and 2): a review's themes, learning points and
  // actions; every open action and its progress report; each action owner's page under their
  // link, where they record progress and upload evidence (filed in the document bucket).
  'learning-web': {
    description:
      "Serves the GOV.UK pages of learning themes, learning points and action plans: the team's pages, every open action with its progress report, and each action owner's page",
    trigger: 'api',
    needs: {
      table: 'read-write',
      documentBucket: 'read-write',
      staffSignIn: true,
      email: true,
    },
    bundledFiles: pageFiles,
    separateModules: pageModules,
  },
  // A local review's enquiry (issue 13 parts 2 and 3): the reviewer's home, declarations, requests
  // for information with the agencies' links, and the merged chronology with its PDF and CSV.
  'local-review-work-web': {
    description:
      "Serves the list of local reviews and a local review's enquiry pages: the reviewer's reviews, declarations, requests for information to agencies and their links, the merged chronology and its PDF and CSV",
    trigger: 'api',
    needs: {
      table: 'read-write',
      // Each request for information's chasing: an execution of the local-review machine.
      localReviewStateMachine: ['start'],
      staffSignIn: true,
      email: true,
    },
    bundledFiles: pageFiles,
    separateModules: pageModules,
  },
  // A local review's work in writing (issue 13 parts 3 and 4), apart from local-review-web, which
  // is near 1 MiB: learning events, the family plan, supervision of the reviewer, the drafts
  // (written to and read from the documents bucket, every version kept), the factual-accuracy
  // rounds (each agency emailed its link, and the round's reminders started) and the quality
  // checks; and each agency's factual-accuracy page, reached by its link.
  'local-review-drafts-web': {
    description:
      "Serves the partnership team's pages for a local review's learning events, family plan, supervision, drafts and quality checks, and each agency's factual-accuracy page",
    trigger: 'api',
    needs: {
      table: 'read-write',
      documentBucket: 'read-write',
      // Each factual-accuracy round's reminders: an execution of the local-review machine.
      localReviewStateMachine: ['start'],
      staffSignIn: true,
      email: true,
    },
    bundledFiles: pageFiles,
    separateModules: pageModules,
  },
  // Daily: reminds the owners of open actions before and after their due dates (issue 14 part 2).
  'chase-actions': {
    description:
      "Daily: reminds each open action's owner before and after its due date on the partnership's ladder, each reminder once, with a fresh link",
    trigger: 'schedule',
    needs: { table: 'read-write', email: true },
  },
  'record-summary': {
    description:
      "Checks an uploaded summary against its issued form, its size, bytes and virus scan, files it with the case and marks the agency's return received, telling the partnership team when it came late",
    trigger: 'upload-event',
    needs: { table: 'read-write', uploadBucket: 'read-write', documentBucket: 'write', email: true },
  },
  'sweep-orphans': {
    description: 'Daily: removes notification documents older than an hour that no case owns',
    trigger: 'schedule',
    needs: { table: 'read', documentBucket: 'read', removesNotificationDocuments: true },
  },
  // The dashboard's gauges (issue 12 part 3): how many open reviews stand at each step, and how
  // many of their deadlines fall in the next five working days. Reads the cases, changes nothing.
  'publish-review-gauges': {
    description:
      'Hourly: counts the open reviews at each step and their deadlines in the next five working days, as CloudWatch metrics',
    trigger: 'schedule',
    schedule: 'hourly',
    needs: { table: 'read' },
  },
  'resume-workflows': {
    description:
      'Every minute: resumes the workflow of each case whose decision, sign-off, resolution or report was saved while the workflow could not be told',
    trigger: 'schedule',
    schedule: 'every-minute',
    // Reads the cases owing a resume and their tokens, ends the wait, clears the marker (an update).
    needs: { table: 'read-write', stateMachine: 'callback' },
  },
  'record-execution-fault': {
    description:
      'Records on the case a review execution that failed, timed out or was aborted, even where no Catch saw it, and tells the partnership team once',
    trigger: 'execution-status',
    // Reads the failed step from the execution history; raises the fault flag; emails once.
    needs: { table: 'read-write', email: true, stateMachine: 'read' },
  },
  'plan-timetable': {
    description: 'Returns the deadlines the workflow waits for',
    trigger: 'workflow',
    needs: { table: 'read' },
  },
  'request-agency-summaries': {
    description:
      'Mints a capability link per agency and emails each SPOC their request (Day 1); tells the partnership team the case opened',
    trigger: 'workflow',
    needs: { table: 'read-write', email: true },
  },
  'climb-ladder': {
    description:
      "Chases each agency that has not returned up the partnership's escalation ladder: reminder, strategic lead copied, formal request (section 16H letter, filed) with the Rapid Review Group told",
    trigger: 'workflow',
    needs: { table: 'read-write', documentBucket: 'read-write', email: true },
  },
  'collate-report': {
    description: 'Collates the returns into a report (PDF) on Day 11',
    trigger: 'workflow',
    // Reads the notification and each agency's filed PDF (never the upload bucket), writes the report.
    needs: { table: 'read-write', documentBucket: 'read-write' },
    timeoutSeconds: 60,
  },
  'distribute-papers': {
    description: 'Tells the Rapid Review Group the papers are on the case page (Day 12)',
    trigger: 'workflow',
    needs: { table: 'read-write', email: true },
  },
  'schedule-decision-deadline': {
    description:
      'Works out how long to wait for the decision (the end of the governing date, the Panel date or Day 15, then a working day per escalation)',
    trigger: 'workflow',
    needs: { table: 'read' },
  },
  'await-decision': {
    description: "Stores the workflow's callback token on the case and asks the chair for the decision",
    trigger: 'workflow',
    needs: { table: 'read-write', email: true, stateMachine: 'callback' },
  },
  'escalate-missing-decision': {
    description: 'Tells the chair and the partnership team the decision is overdue',
    trigger: 'workflow',
    needs: { table: 'read-write', email: true },
  },
  'submit-to-panel': {
    description: 'Sends the outcome to the Panel mailbox with the covering letter, decision and report, once',
    trigger: 'workflow',
    needs: { table: 'read-write', documentBucket: 'read-write', email: true },
    timeoutSeconds: 60,
  },
  'notify-outcome': {
    description: 'Tells the notifier, the agencies, the Executive Board and the partnership team the outcome',
    trigger: 'workflow',
    needs: { table: 'read-write', email: true },
  },
  'record-failure': {
    description: 'Records an unrecovered workflow failure on the case and emails the partnership team',
    trigger: 'workflow',
    needs: { table: 'read-write', email: true, stateMachine: 'read' },
  },
  // The local-review state machine's tasks (issue 13, statemachines/local-review.asl.json).
  'schedule-local-review-wait': {
    description:
      "Works out how long a local review waits: the next reminder point or the completion target, the planned publication date, the minimum period's alert",
    trigger: 'local-review-workflow',
    needs: { table: 'read' },
  },
  'await-local-review': {
    description:
      "Keeps the local review workflow's callback token with the review, or ends the wait at once when the step is already done",
    trigger: 'local-review-workflow',
    needs: { table: 'read-write', localReviewStateMachine: 'callback' },
  },
  'chase-local-review': {
    description:
      'Reminds the partnership team before a local review is due, marks it late and tells the Panel, and chases an unrecorded publication',
    trigger: 'local-review-workflow',
    needs: { table: 'read-write', email: true },
  },
  // A local review's request for information (issue 13 part 3), in its own execution of the machine.
  'chase-information-request': {
    description:
      "Chases an agency's unanswered request for information for a local review, rung by rung on the partnership's escalation ladder, and says when the next rung falls",
    trigger: 'local-review-workflow',
    needs: { table: 'read-write', email: true },
  },
  // A local review's factual-accuracy round (issue 13 part 4), in its own execution of the machine.
  'chase-factual-accuracy': {
    description:
      'Reminds each agency that has not commented on a local review draft for factual accuracy, once for each reminder with a new link, and says when the next reminder falls',
    trigger: 'local-review-workflow',
    needs: { table: 'read-write', email: true },
  },
  'plan-publication': {
    description:
      "Holds a local review's publication back while a parallel process holds it, or says when the notice before publication is due",
    trigger: 'local-review-workflow',
    needs: { table: 'read-write', email: true },
  },
  'send-pre-publication-notice': {
    description:
      'Sends the Panel and the Secretary of State notice of a local review before its publication, with the final version the team chose attached, once for each planned date',
    trigger: 'local-review-workflow',
    needs: { table: 'read-write', documentBucket: 'read', email: true },
  },
  'alert-minimum-period': {
    description:
      "Tells the partnership team a month before a local review's report has been public for the minimum period",
    trigger: 'local-review-workflow',
    needs: { table: 'read-write', email: true },
  },
  'record-local-review-failure': {
    description: 'Records an unrecovered local review workflow failure and emails the partnership team',
    trigger: 'local-review-workflow',
    needs: { table: 'read-write', email: true, localReviewStateMachine: 'read' },
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functionCatalogue;

/** The ASL placeholder for a function's ARN: `request-agency-summaries` → `RequestAgencySummariesFunctionArn`. */
export function functionArnPlaceholder(name: string): string {
  return `${name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}FunctionArn`;
}
