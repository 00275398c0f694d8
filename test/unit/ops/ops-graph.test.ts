import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countInWords, drawStateMachine } from '../../../functions/web/pages/ops-graph.ts';
import type { ExecutionEvent } from '../../../shared/adapters/workflow-executions.ts';
import { countByState, type ExecutionRow } from '../../../shared/use-cases/operations.ts';
import { causeWithoutPersonalData, readExecution } from '../../../shared/workflow/execution-history.ts';
import {
  type AslDefinition,
  type StateMachineLayout,
  stateMachineGraph,
} from '../../../shared/workflow/state-machine-graph.ts';

const layout = JSON.parse(
  readFileSync(new URL('../../../statemachines/rapid-review.layout.json', import.meta.url), 'utf8'),
) as StateMachineLayout;
const definition = JSON.parse(
  readFileSync(new URL('../../../statemachines/rapid-review.asl.json', import.meta.url), 'utf8'),
) as AslDefinition;
const graph = stateMachineGraph(definition);

/** The `<g>` of one state in a drawing. */
const stateGroup = (svg: string, state: string) =>
  new RegExp(`<g class="([^"]*)" data-state="${state}" data-count="(\\d+)">(.*?)</g>`).exec(svg);

describe('drawing the graph from its layout', () => {
  it('puts on each state how many executions are in it, and draws a state where one failed in red', () => {
    // Act
    const svg = drawStateMachine(layout, {
      title: 'The workflow',
      description: 'Counts',
      idPrefix: 'g',
      counts: new Map([
        ['ClimbLadder', { running: 2, failed: 0, ended: 0 }],
        ['CollateReport', { running: 0, failed: 1, ended: 0 }],
      ]),
    });

    // Assess
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="g-title g-desc"/);
    expect(svg).toContain('<title id="g-title">The workflow</title><desc id="g-desc">Counts</desc>');
    const climb = stateGroup(svg, 'ClimbLadder');
    expect(climb?.[2]).toBe('2');
    expect(climb?.[1]).not.toContain('--failed');
    expect(climb?.[3]).toContain('<title>ClimbLadder: 2 running</title>');
    expect(climb?.[3]).toMatch(/<circle [^>]*fill="#1d70b8"\/><text [^>]*>2<\/text>/);
    const collate = stateGroup(svg, 'CollateReport');
    expect(collate?.[1]).toContain('app-ops-graph__state--failed');
    expect(collate?.[3]).toMatch(/<rect [^>]*stroke="#d4351c"/);
    const plan = stateGroup(svg, 'PlanTimetable');
    expect(plan?.[2]).toBe('0');
    expect(plan?.[3]).not.toContain('<circle');
    expect(svg.match(/<g class=/g)).toHaveLength(layout.states.length);
    expect(svg.match(/<polyline /g)).toHaveLength(layout.transitions.length);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(
      layout.transitions.filter((t) => t.kind === 'catch').length,
    );
  });

  it('draws an execution’s path dark and where it is now in blue; nothing else taken', () => {
    const svg = drawStateMachine(layout, {
      title: 't',
      description: 'd',
      idPrefix: 'p',
      path: {
        states: ['PlanTimetable', 'ResumeAtFailedStep', 'RequestAgencySummaries'],
        transitions: [
          'PlanTimetable:ResumeAtFailedStep:next0',
          'ResumeAtFailedStep:RequestAgencySummaries:default0',
        ],
        current: 'RequestAgencySummaries',
      },
    });

    expect(svg.match(/app-ops-graph__transition--taken/g)).toHaveLength(2);
    expect(stateGroup(svg, 'RequestAgencySummaries')?.[1]).toContain('app-ops-graph__state--current');
    expect(stateGroup(svg, 'RequestAgencySummaries')?.[3]).toMatch(/stroke="#1d70b8"/);
    expect(stateGroup(svg, 'PlanTimetable')?.[1]).toContain('app-ops-graph__state--visited');
    expect(stateGroup(svg, 'CollateReport')?.[1]).toBe('app-ops-graph__state');
  });

  it('escapes what it writes into the SVG', () => {
    const svg = drawStateMachine(layout, {
      title: 'A <b>"bold"</b> & more',
      description: 'd',
      idPrefix: 'e',
    });
    expect(svg).toContain('A &#60;b&#62;&#34;bold&#34;&#60;/b&#62; &#38; more');
  });

  it('says the counts in words', () => {
    expect(countInWords({ running: 2, failed: 1, ended: 0 })).toBe('2 running, 1 failed');
    expect(countInWords(undefined)).toBe('');
  });
});

/** Events one minute apart from 9am on 2 March 2026. */
const events = (...steps: [string, Partial<ExecutionEvent>?][]): ExecutionEvent[] =>
  steps.map(([type, details], index) => ({
    id: index + 1,
    timestamp: new Date(Date.UTC(2026, 2, 2, 9, index)),
    type,
    ...details,
  }));

describe('reading an execution’s history', () => {
  it('takes a caught error’s transition when the step failed, and the ordinary one otherwise', () => {
    const reading = readExecution(
      'FAILED',
      events(
        ['TaskStateEntered', { state: 'PlanTimetable' }],
        ['TaskFailed', { error: 'States.TaskFailed', cause: 'plain words about Child A (invented)' }],
        ['TaskStateExited', { state: 'PlanTimetable' }],
        ['TaskStateEntered', { state: 'RecordFailure' }],
        ['TaskStateExited', { state: 'RecordFailure' }],
        ['FailStateEntered', { state: 'ReviewFailed' }],
        ['ExecutionFailed', { error: 'ReviewFailed' }],
      ),
      definition,
      graph.transitions,
    );

    expect(reading.taken).toEqual(['PlanTimetable:RecordFailure:catch0', 'RecordFailure:ReviewFailed:next0']);
    expect(reading.failedIn).toBe('PlanTimetable');
    // A cause that is not a Lambda error's JSON is withheld entirely.
    expect(reading.failure).toEqual({ error: 'States.TaskFailed' });
    expect(reading.current).toBe('ReviewFailed');
  });

  it('says until when a callback waits, from its timeout in its input', () => {
    const reading = readExecution(
      'RUNNING',
      events([
        'TaskStateEntered',
        { state: 'AwaitDecision', input: JSON.stringify({ decisionWait: { timeoutSeconds: 3600 } }) },
      ]),
      definition,
      graph.transitions,
    );

    expect(reading.waiting).toEqual({ kind: 'callback', until: new Date('2026-03-02T10:00:00Z') });
  });

  it('keeps only the kind of a Lambda error’s cause, never its message', () => {
    expect(
      causeWithoutPersonalData(JSON.stringify({ errorType: 'TypeError', errorMessage: 'Child A' })),
    ).toBe('TypeError');
    expect(causeWithoutPersonalData('Child A (invented)')).toBeUndefined();
  });

  it('counts each case where its latest execution is: an execution resumed since is not counted', () => {
    const row = (overrides: Partial<ExecutionRow>): ExecutionRow => ({
      name: 'n',
      status: 'RUNNING',
      startDate: new Date(),
      caseId: 'c',
      entered: [],
      taken: [],
      ...overrides,
    });

    const counts = countByState([
      row({ status: 'FAILED', current: 'ReviewFailed', failedIn: 'CollateReport', resumedSince: true }),
      row({ status: 'RUNNING', current: 'WaitForCollationDay' }),
      row({ status: 'TIMED_OUT', current: 'AwaitDecision' }),
      row({ status: 'SUCCEEDED', current: 'ReviewComplete' }),
    ]);

    expect(Object.fromEntries(counts)).toEqual({
      WaitForCollationDay: { running: 1, failed: 0, ended: 0 },
      AwaitDecision: { running: 0, failed: 1, ended: 0 },
      ReviewComplete: { running: 0, failed: 0, ended: 1 },
    });
  });
});
