import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type FormErrors, formErrors } from '../functions/web/forms.ts';
import { htmlResponse, seeOther } from '../functions/web/router.ts';
import { createTemplateEnvironment } from '../functions/web/views.ts';
import { staffRole } from '../shared/schemas/roles.ts';
import { caseIdOfExecution } from '../shared/workflow/execution-name.ts';
import { formatInstant } from '../shared/workflow/london-time.ts';
import type { ClockAdvance, ClockControl } from './api.ts';
import { localPageContext } from './page-context.ts';
import { type FaultRehearsal, rehearsableSteps } from './rehearsal.ts';
import { localUsers } from './tokens.ts';

/** The page's own path; the local stack serves it, the web function knows nothing of it. */
export const localControlsPath = '/local';

const timeZone = 'Europe/London';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const dayMs = 24 * 60 * 60 * 1000;

/** Who each invented user is, and the page they are most likely to want first. */
const roleEntries: Record<keyof typeof localUsers, { title: string; returnTo: string }> = {
  notifier: { title: 'Notifier (local authority)', returnTo: '/notify' },
  'partnership-team': { title: 'Partnership team', returnTo: '/cases' },
  'rrg-member': { title: 'Rapid Review Group member', returnTo: '/' },
  'rrg-chair': { title: 'Rapid Review Group chair', returnTo: '/' },
  scrutineer: { title: 'Independent Scrutineer', returnTo: '/' },
  'safeguarding-partner': { title: 'Safeguarding partner (local authority delegate)', returnTo: '/cases' },
  'executive-board': { title: 'Executive Board chair', returnTo: '/cases' },
  // The engineer on call: their home is the operations page.
  operator: { title: 'Operator (engineer on call)', returnTo: '/ops' },
  // The Practice Review Group's way in: the referrer's referrals, the group's list.
  referrer: { title: 'Referrer (an agency’s contact)', returnTo: '/practice-review-group/your-referrals' },
  'prg-member': { title: 'Practice Review Group member', returnTo: '/practice-review-group' },
  // A local review's independent reviewer: their home lists the reviews they were appointed to.
  reviewer: { title: 'Local review reviewer', returnTo: '/your-reviews' },
};

const templates = createTemplateEnvironment([fileURLToPath(new URL('./templates/', import.meta.url))]);

/** A request to /local as local/api.ts sees it. */
export interface LocalControlsRequest {
  method: string;
  query: URLSearchParams;
  body: Buffer;
  cookies: readonly string[] | undefined;
}

export interface LocalControlsOptions {
  /** Signs session cookies and CSRF tokens: the same key the web function reads as SESSION_SECRET. */
  sessionSecret: Buffer;
  clock: ClockControl;
  /** The local SES web inbox; absent when the stack has none to show. */
  inboxUrl: string | undefined;
  /** Where a rehearsal plans a step to fail; absent, the page offers none. */
  rehearsal?: FaultRehearsal;
  /**
   * "Start a demo local review": the demo's Rapid Review decided for a local review, and the
   * review commissioned from it (local/demo/start-local-review.ts); absent, the page offers none.
   */
  startDemoLocalReview?: () => Promise<{ reviewId: string; reference: string }>;
}

/** "1 virtual hour per real second", "real time", or stopped. */
export function describeSpeed(speed: number): string {
  if (speed === 0) return 'Stopped: time moves only when you move it';
  if (speed === 1) return 'Real time';
  const number = (value: number) => value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  if (speed >= 3600) {
    const hours = speed / 3600;
    return `${number(hours)} virtual ${hours === 1 ? 'hour' : 'hours'} per real second`;
  }
  if (speed >= 60) {
    const minutes = speed / 60;
    return `${number(minutes)} virtual ${minutes === 1 ? 'minute' : 'minutes'} per real second`;
  }
  return `${number(speed)} times real time`;
}

/** The state names of a state machine's ASL file. */
function statesOf(file: string): Set<string> {
  const asl = JSON.parse(readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8')) as {
    States: Record<string, unknown>;
  };
  return new Set(Object.keys(asl.States));
}

const rapidReviewStates = statesOf('../statemachines/rapid-review.asl.json');
/** The states only the local-review workflow has (issue 13): a wait in one belongs to a local review. */
const localReviewOnlyStates = new Set(
  [...statesOf('../statemachines/local-review.asl.json')].filter((state) => !rapidReviewStates.has(state)),
);

/**
 * A local review's executions: the review's own (`<reviewId>`, then `<reviewId>-g<n>` when it
 * carries on as a new one), the minimum period's watch (`<reviewId>-minimum-period`, `…-g<n>`),
 * and each request for information's chasing (`<reviewId>-request-<number>`).
 */
const localReviewExecution =
  /^(?<reviewId>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:-request-(?<request>\d+)|(?:-minimum-period)?(?:-g\d+)?)$/;

/** What a local review's wait is for, in words, by its state (a callback's wait is its timeout). */
const localReviewWaitWords: Record<string, string> = {
  AwaitCompletion:
    'The final report: the next reminder to the partnership team, or the completion target if it is not ready',
  WaitWhileHeld: 'Publication held back while a parallel process is open: looking again',
  WaitForPrePublicationNotice: 'The notice to the Panel and the Secretary of State before publication',
  AwaitPublication: 'The publication: the team is chased if it is not recorded by the planned date',
  WaitForMinimumPeriodAlert: 'The alert to the team a month before the minimum period of publication ends',
  WaitBeforeContinuing: 'The review’s workflow carrying on afresh (each runs for at most a year)',
  // The execution's own timeout (`<name>: execution timeout`).
  execution: 'The longest its workflow may run',
};

/** "WaitForCollationDay" → "Wait for collation day". */
function stateInWords(state: string): string {
  const words = state.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * "a1b2…: WaitForReminderDay" → the execution (the case id) and "Wait for reminder day"; a local
 * review's wait gives the review's id instead of a case's, and says in words what it waits for,
 * a request for information's chasing naming the request.
 */
export function describeWait(label: string): { caseId: string; reviewId?: string; what: string } {
  const match = /^(.+?): (.+)$/.exec(label);
  const [execution, state] = match ? [match[1] ?? '', match[2] ?? label] : ['', label];
  const bareState = state.replace(/ timeout$/, '');
  const local = localReviewExecution.exec(execution);
  const isLocal = !!local && (localReviewOnlyStates.has(bareState) || local[0] !== local.groups?.reviewId);
  if (local?.groups?.reviewId && isLocal) {
    const request = local.groups.request;
    const what = request
      ? bareState === 'WaitForNextRung'
        ? `Request for information ${request}: the next reminder to the agency on the ladder, if it has not answered`
        : `Request for information ${request}: ${(localReviewWaitWords[bareState] ?? stateInWords(state)).toLowerCase()}`
      : (localReviewWaitWords[bareState] ?? stateInWords(state));
    return { caseId: '', reviewId: local.groups.reviewId, what };
  }
  // A resumed review's execution is named `<caseId>-resume-<n>`: the case is the same.
  return { caseId: caseIdOfExecution(execution), what: stateInWords(state) };
}

/**
 * The local stack's control page (GET and POST /local): the virtual time and what waits on it,
 * buttons that move the clock (a normal form, CSRF-checked like the local sign-in), "make one
 * step fail" for a rehearsal (a running case and a step from a list: the next run of that step
 * for that case fails, once), "Start a demo local review" (a local review set up to walk by hand,
 * local/demo/start-local-review.ts), the email inbox, one-press sign-in as each invented user,
 * and how to follow a Rapid Review and walk a local review here. Only
 * local/api.ts serves it; on AWS there is no such page.
 */
export async function localControls(
  options: LocalControlsOptions,
  request: LocalControlsRequest,
): Promise<APIGatewayProxyStructuredResultV2> {
  const { sessionSecret, clock } = options;
  const context = localPageContext(sessionSecret, request.cookies);
  const environment = await templates;

  const page = (
    status: number,
    extra: {
      movedTo?: Date;
      errors?: FormErrors;
      planned?: { caseId: string; step: string };
      demoReview?: { reviewId: string; reference: string };
    } = {},
  ) => {
    const shown = clock.status();
    const pending = shown.pending.map((wait) => ({
      at: formatInstant(wait.at, timeZone),
      ...describeWait(wait.label),
    }));
    const runningCases = [...new Set(pending.map((wait) => wait.caseId).filter(Boolean))];
    const stepWords = (functionName: string) =>
      rehearsableSteps.find((step) => step.functionName === functionName)?.words ?? functionName;
    const response = htmlResponse(
      environment,
      'local-controls.njk',
      {
        ...context.layout(localControlsPath),
        now: formatInstant(shown.now, timeZone),
        speed: describeSpeed(shown.speed),
        flowing: shown.speed > 0,
        pending,
        rehearsal: options.rehearsal
          ? {
              cases: runningCases.map((caseId) => ({ value: caseId, text: `Case ${caseId.slice(0, 8)}…` })),
              steps: rehearsableSteps.map((step) => ({ value: step.functionName, text: step.words })),
              planned: options.rehearsal.planned().map((planned) => ({
                caseId: planned.caseId,
                step: stepWords(planned.functionName),
              })),
              justPlanned: extra.planned
                ? { caseId: extra.planned.caseId, step: stepWords(extra.planned.step) }
                : undefined,
            }
          : undefined,
        movedTo: extra.movedTo ? formatInstant(extra.movedTo, timeZone) : undefined,
        canStartDemoLocalReview: !!options.startDemoLocalReview,
        demoReview: extra.demoReview,
        partnershipTeamName: localUsers['partnership-team'].name,
        errors: extra.errors,
        inboxUrl: options.inboxUrl,
        roles: staffRole.options.map((role) => ({
          role,
          title: roleEntries[role].title,
          name: localUsers[role].name,
          returnTo: roleEntries[role].returnTo,
        })),
      },
      status,
    );
    return context.withIssuedCookies(response);
  };

  if (request.method === 'GET') {
    const planned = { caseId: request.query.get('failCase'), step: request.query.get('failStep') };
    if (planned.caseId && planned.step) {
      return page(200, { planned: { caseId: planned.caseId, step: planned.step } });
    }
    const demoReview = {
      reviewId: request.query.get('demoReview') ?? '',
      reference: request.query.get('reference') ?? '',
    };
    if (uuidPattern.test(demoReview.reviewId) && /^LCSPR-[A-Z0-9-]{1,40}$/.test(demoReview.reference)) {
      return page(200, { demoReview });
    }
    const moved = request.query.get('moved');
    const movedTo = moved && /^\d{4}-\d\d-\d\dT/.test(moved) ? new Date(moved) : undefined;
    return page(200, movedTo && !Number.isNaN(movedTo.getTime()) ? { movedTo } : {});
  }

  const form = new URLSearchParams(request.body.toString('utf8'));
  if (!context.csrfMatches(form)) {
    return page(400, {
      errors: formErrors([{ field: 'move-next', message: 'The page had expired. Press the button again' }]),
    });
  }
  if (form.get('action') === 'fail-step') return planFailure(form);
  if (form.get('action') === 'demo-local-review') return startDemoLocalReview();
  const before = clock.status();
  let advance: ClockAdvance;
  let target: Date;
  const action = form.get('action');
  if (action === 'next') {
    const next = before.pending[0];
    if (!next) {
      return page(400, {
        errors: formErrors([
          {
            field: 'move-next',
            message: 'Nothing is waiting on the clock yet. Submit a notification to start a Rapid Review',
          },
        ]),
      });
    }
    advance = { kind: 'next' };
    target = next.at;
  } else if (action === 'day') {
    advance = { kind: 'by', duration: 'P1D' };
    target = new Date(before.now.getTime() + dayMs);
  } else {
    return page(400, {
      errors: formErrors([{ field: 'move-next', message: 'Choose how far to move the clock' }]),
    });
  }
  await clock.advance(advance);
  return seeOther(`${localControlsPath}?moved=${encodeURIComponent(target.toISOString())}`);

  /** "Start a demo local review": set it up, then say so with a link to the review. */
  async function startDemoLocalReview() {
    const start = options.startDemoLocalReview;
    const failed = (message: string) =>
      page(start ? 500 : 400, {
        errors: formErrors([{ field: 'start-demo-local-review', message }]),
      });
    if (!start) return failed('This stack cannot start a demo local review');
    let started: { reviewId: string; reference: string };
    try {
      started = await start();
    } catch (error) {
      return failed(
        `The demo local review could not be started: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return seeOther(
      `${localControlsPath}?${new URLSearchParams({ demoReview: started.reviewId, reference: started.reference })}#demo-local-review`,
    );
  }

  /** "Make one step fail": the next run of the chosen step for the chosen case fails, once. */
  function planFailure(form: URLSearchParams) {
    const rehearsal = options.rehearsal;
    const caseId = form.get('failCase') ?? '';
    const step = form.get('failStep') ?? '';
    const errors = [
      ...(caseId ? [] : [{ field: 'failCase', message: 'Choose the case whose step should fail' }]),
      ...(rehearsableSteps.some((candidate) => candidate.functionName === step)
        ? []
        : [{ field: 'failStep', message: 'Choose the step that should fail' }]),
    ];
    if (!rehearsal || errors.length > 0) {
      return page(400, {
        errors: formErrors(
          errors.length > 0
            ? errors
            : [{ field: 'failStep', message: 'This stack cannot rehearse a failure' }],
        ),
      });
    }
    rehearsal.plan(caseId, step);
    return seeOther(
      `${localControlsPath}?failCase=${encodeURIComponent(caseId)}&failStep=${encodeURIComponent(step)}#rehearse-failure`,
    );
  }
}
