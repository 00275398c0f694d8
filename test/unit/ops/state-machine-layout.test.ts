import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layoutStateMachine, layoutText, stateMachineFiles } from '../../../scripts/state-machine-layout.ts';
import { type AslDefinition, stateMachineGraph } from '../../../shared/workflow/state-machine-graph.ts';

const files = stateMachineFiles();
const definitionOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as AslDefinition;

describe('the state machines’ graphs and their layouts, computed at build time', () => {
  it('reads every state and every transition of the ASL: next, each Choice rule and default, each Catch', () => {
    // Prepare
    const definition = definitionOf(files.find((file) => file.source === 'rapid-review.asl.json')!.asl);

    // Act
    const graph = stateMachineGraph(definition);

    // Assess
    expect(graph.states.map((state) => state.id).sort()).toEqual(Object.keys(definition.States).sort());
    const has = (from: string, to: string, kind: string) =>
      graph.transitions.some((t) => t.from === from && t.to === to && t.kind === kind);
    expect(has('PlanTimetable', 'ResumeAtFailedStep', 'next')).toBe(true);
    expect(has('ResumeAtFailedStep', 'WaitForCollationDay', 'choice')).toBe(true);
    expect(has('ResumeAtFailedStep', 'RequestAgencySummaries', 'default')).toBe(true);
    expect(has('PlanTimetable', 'RecordFailure', 'catch')).toBe(true);
    expect(has('PlanTimetable', 'ClosedAsNotificationOnly', 'catch')).toBe(true);
    expect(has('MoreRungs', 'WaitForNextRung', 'choice')).toBe(true);
    expect(has('MoreRungs', 'WaitForCollationDay', 'default')).toBe(true);
    const expected = Object.values(definition.States).reduce(
      (sum, state) =>
        sum +
        (state.Next ? 1 : 0) +
        (state.Default ? 1 : 0) +
        (state.Choices?.length ?? 0) +
        (state.Catch?.length ?? 0),
      0,
    );
    expect(graph.transitions).toHaveLength(expected);
    expect(new Set(graph.transitions.map((t) => t.id)).size).toBe(expected);
  });

  it.for(files.map((file) => [file.source, file] as const))(
    'keeps the committed layout of %s as its ASL is now (npm run ops:layout writes it)',
    async ([, file]) => {
      // Act
      const layout = await layoutStateMachine(definitionOf(file.asl), file.source);

      // Assess
      expect(readFileSync(file.layout, 'utf8'), `${file.layout} is stale: run npm run ops:layout`).toBe(
        layoutText(layout),
      );
    },
  );

  it('tells a changed ASL from the committed layout: a state added is a layout of its own', async () => {
    // Prepare
    const file = files[0]!;
    const definition = definitionOf(file.asl);
    const [first] = Object.keys(definition.States);
    const changed: AslDefinition = {
      ...definition,
      States: { ...definition.States, Added: { Type: 'Pass', Next: first } },
    };

    // Act
    const layout = await layoutStateMachine(changed, file.source);

    // Assess
    expect(layoutText(layout)).not.toBe(readFileSync(file.layout, 'utf8'));
    expect(layout.states.map((state) => state.id)).toContain('Added');
  });

  it('places every state in a box inside the drawing and draws every transition as a line', async () => {
    const file = files[0]!;
    const layout = JSON.parse(readFileSync(file.layout, 'utf8')) as Awaited<
      ReturnType<typeof layoutStateMachine>
    >;

    for (const state of layout.states) {
      expect(state.width, state.id).toBeGreaterThan(0);
      expect(state.x + state.width, state.id).toBeLessThanOrEqual(layout.width);
      expect(state.y + state.height, state.id).toBeLessThanOrEqual(layout.height);
    }
    for (const transition of layout.transitions) {
      expect(transition.points.length, transition.id).toBeGreaterThanOrEqual(2);
    }
  });
});
