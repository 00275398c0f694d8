/**
 * A state machine's graph, read from its ASL definition: every state and every transition
 * (`Next`, a Choice's rules and `Default`, each `Catch`). The operations pages draw it
 * (functions/web/pages/ops-graph.ts) from a layout computed at build time
 * (scripts/state-machine-layout.ts), whose test checks that layout against this graph.
 */

/** How one state leads to another. */
export type TransitionKind = 'next' | 'choice' | 'default' | 'catch';

export interface GraphState {
  /** The state's name in the ASL. */
  id: string;
  /** Task, Wait, Choice, Pass, Parallel, Map, Succeed or Fail. */
  type: string;
}

export interface GraphTransition {
  /** Unique within the graph: `<from>:<to>:<kind><n>` (state names hold no colon in this project). */
  id: string;
  from: string;
  to: string;
  kind: TransitionKind;
  /** When it is taken, for the operations pages' table of transitions: the rule, or the errors caught. */
  when: string;
}

export interface StateMachineGraph {
  startAt: string;
  states: GraphState[];
  transitions: GraphTransition[];
}

interface AslChoiceRule {
  Next?: string;
  Variable?: string;
  Condition?: string;
  [key: string]: unknown;
}

interface AslState {
  Type: string;
  Next?: string;
  Default?: string;
  Choices?: AslChoiceRule[];
  Catch?: { ErrorEquals?: string[]; Next?: string }[];
}

/** The part of an ASL definition the graph needs. */
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

/** A Choice rule in a few words: `$.ladder.more BooleanEquals true`; `And`, `Or` and `Not` spelled out. */
function ruleInWords(rule: AslChoiceRule): string {
  if (typeof rule.Condition === 'string') return rule.Condition;
  for (const joiner of ['And', 'Or'] as const) {
    const parts = rule[joiner];
    if (Array.isArray(parts)) {
      return parts.map((part) => ruleInWords(part as AslChoiceRule)).join(` ${joiner.toLowerCase()} `);
    }
  }
  if (rule.Not && typeof rule.Not === 'object') return `not (${ruleInWords(rule.Not as AslChoiceRule)})`;
  const comparison = Object.entries(rule).find(
    ([key]) => key !== 'Next' && key !== 'Variable' && key !== 'Comment',
  );
  if (!rule.Variable || !comparison) return 'a rule';
  const [operator, value] = comparison;
  return `${rule.Variable} ${operator} ${JSON.stringify(value)}`;
}

/** Every state and transition of a definition (top level: a Parallel or Map is one state). */
export function stateMachineGraph(definition: AslDefinition): StateMachineGraph {
  const states = Object.entries(definition.States).map(([id, state]) => ({ id, type: state.Type }));
  const transitions: GraphTransition[] = [];
  const add = (from: string, to: string | undefined, kind: TransitionKind, when: string) => {
    if (!to) return;
    const n = transitions.filter((t) => t.from === from && t.to === to && t.kind === kind).length;
    transitions.push({ id: `${from}:${to}:${kind}${n}`, from, to, kind, when });
  };
  for (const [id, state] of Object.entries(definition.States)) {
    add(id, state.Next, 'next', 'next');
    for (const rule of state.Choices ?? []) add(id, rule.Next, 'choice', ruleInWords(rule));
    add(id, state.Default, 'default', 'otherwise');
    for (const handler of state.Catch ?? []) {
      add(id, handler.Next, 'catch', `on error ${(handler.ErrorEquals ?? []).join(', ')}`);
    }
  }
  return { startAt: definition.StartAt, states, transitions };
}

/** Where the graph's boxes and lines go: computed at build time, kept beside the ASL as JSON. */
export interface StateMachineLayout {
  /** The ASL file it was computed from, relative to statemachines/. */
  source: string;
  width: number;
  height: number;
  states: (GraphState & { x: number; y: number; width: number; height: number })[];
  transitions: (GraphTransition & { points: [number, number][] })[];
}
