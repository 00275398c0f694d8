/**
 * Lays out each state machine's graph for the operations pages, at build time:
 *
 *   npm run ops:layout            writes statemachines/<name>.layout.json beside each ASL file
 *   npm run ops:layout -- --check exits 1 when a layout is missing or stale
 *
 * elkjs (about 1.5 MB) lays the graph out; it is a devDependency and never in a Lambda bundle:
 * the operations pages draw the SVG from the JSON this writes (functions/web/pages/ops-graph.ts).
 * test/unit/ops/state-machine-layout.test.ts fails when a layout no longer matches its ASL.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ELK, { type ElkNode } from 'elkjs/lib/elk.bundled.js';
import {
  type AslDefinition,
  type StateMachineLayout,
  stateMachineGraph,
} from '../shared/workflow/state-machine-graph.ts';

const statemachines = resolve(fileURLToPath(new URL('../statemachines/', import.meta.url)));

/** The box a state is drawn in: wide enough for its name at the drawing's 13 px, two lines high. */
export const STATE_HEIGHT = 52;
const CHARACTER_WIDTH = 8.4;
const PADDING = 28;
const MINIMUM_WIDTH = 120;

export function stateWidth(name: string): number {
  return Math.max(MINIMUM_WIDTH, Math.ceil(name.length * CHARACTER_WIDTH + PADDING));
}

/** Rounded to a tenth of a pixel, so the JSON stays short and the same on every machine. */
const round = (value: number) => Math.round(value * 10) / 10;

/** The layout of one definition: ELK's layered algorithm, top to bottom, with orthogonal lines. */
export async function layoutStateMachine(
  definition: AslDefinition,
  source: string,
): Promise<StateMachineLayout> {
  const graph = stateMachineGraph(definition);
  const elk = new ELK();
  const laidOut: ElkNode = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '36',
      'elk.spacing.nodeNode': '24',
      'elk.spacing.edgeNode': '12',
      'elk.spacing.edgeEdge': '8',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
      // The ASL's own order of states is the order they run in: a loop's way back is the edge
      // that goes up, and the first state is at the top.
      'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      // The many caught errors into the same few states share their last stretch of line.
      'elk.layered.mergeEdges': 'true',
      'elk.randomSeed': '1',
    },
    children: graph.states.map((state) => ({
      id: state.id,
      width: stateWidth(state.id),
      height: STATE_HEIGHT,
    })),
    edges: graph.transitions.map((transition) => ({
      id: transition.id,
      sources: [transition.from],
      targets: [transition.to],
    })),
  });
  const boxes = new Map((laidOut.children ?? []).map((child) => [child.id, child]));
  const lines = new Map((laidOut.edges ?? []).map((edge) => [edge.id, edge]));
  return {
    source,
    width: round(laidOut.width ?? 0),
    height: round(laidOut.height ?? 0),
    states: graph.states.map((state) => {
      const box = boxes.get(state.id);
      return {
        ...state,
        x: round(box?.x ?? 0),
        y: round(box?.y ?? 0),
        width: round(box?.width ?? 0),
        height: round(box?.height ?? 0),
      };
    }),
    transitions: graph.transitions.map((transition) => {
      const section = lines.get(transition.id)?.sections?.[0];
      const points = section
        ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map(
            (point): [number, number] => [round(point.x), round(point.y)],
          )
        : [];
      return { ...transition, points };
    }),
  };
}

/** Every ASL file under statemachines/ and the layout file beside it. */
export function stateMachineFiles(): { asl: string; layout: string; source: string }[] {
  return readdirSync(statemachines)
    .filter((file) => file.endsWith('.asl.json'))
    .map((file) => ({
      source: file,
      asl: join(statemachines, file),
      layout: join(statemachines, file.replace(/\.asl\.json$/, '.layout.json')),
    }));
}

/** The layout as it should be written: two-space JSON with a final newline. */
export function layoutText(layout: StateMachineLayout): string {
  return `${JSON.stringify(layout, null, 2)}\n`;
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const file of stateMachineFiles()) {
    const definition = JSON.parse(readFileSync(file.asl, 'utf8')) as AslDefinition;
    const text = layoutText(await layoutStateMachine(definition, file.source));
    let current = '';
    try {
      current = readFileSync(file.layout, 'utf8');
    } catch {
      // No layout yet: written below, or reported as stale.
    }
    if (current === text) continue;
    if (check) {
      console.error(`${file.layout} is stale: run npm run ops:layout`);
      stale++;
    } else {
      writeFileSync(file.layout, text);
      console.log(`Wrote ${file.layout}`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
