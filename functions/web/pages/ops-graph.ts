import type { StateCount } from '../../../shared/workflow/execution-history.ts';
import type { StateMachineLayout } from '../../../shared/workflow/state-machine-graph.ts';

export type { StateCount } from '../../../shared/workflow/execution-history.ts';

/**
 * Draws a state machine's graph as SVG on the server, from the layout computed at build time
 * (statemachines/<name>.layout.json, by scripts/state-machine-layout.ts): a box per state, a line
 * per transition (a caught error's dashed), and on each state how many executions are in it now
 * (the running ones, and in red those that failed there). Given one execution's path, the states
 * and transitions it went through are drawn dark and where it is now outlined in blue. No
 * script, no inline style (the pages' Content-Security-Policy allows neither): presentation
 * attributes only.
 */

/** One execution's way through the graph. */
export interface ExecutionPath {
  /** The states it entered, each once. */
  states: readonly string[];
  /** The ids of the transitions it took. */
  transitions: readonly string[];
  /** Where it is now (running), or where it ended. */
  current?: string;
  /** The state it failed in, drawn red. */
  failedIn?: string;
}

export interface GraphDrawing {
  /** The graph's accessible name (`<title>`). */
  title: string;
  /** What it shows, in a sentence or two (`<desc>`); the page's table says it in full. */
  description: string;
  /** Prefixes the drawing's ids, unique on the page. */
  idPrefix: string;
  counts?: ReadonlyMap<string, StateCount>;
  path?: ExecutionPath;
}

const colour = {
  black: '#0b0c0c',
  grey: '#505a5f',
  lightGrey: '#b1b4b6',
  paleGrey: '#f3f2f1',
  white: '#ffffff',
  blue: '#1d70b8',
  red: '#d4351c',
  paleRed: '#f6d7d2',
  green: '#00703c',
};

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);

const total = (count: StateCount | undefined) => (count ? count.running + count.failed + count.ended : 0);

/** "2 running, 1 failed" for a state's counts; empty when none is there. */
export function countInWords(count: StateCount | undefined): string {
  if (!count) return '';
  return [
    count.running ? `${count.running} running` : '',
    count.failed ? `${count.failed} failed` : '',
    count.ended ? `${count.ended} ended` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** The graph as an `<svg>` element (role="img", with its title and description). */
export function drawStateMachine(layout: StateMachineLayout, drawing: GraphDrawing): string {
  const id = (name: string) => `${drawing.idPrefix}-${name}`;
  const path = drawing.path;
  const visited = new Set(path?.states ?? []);
  const taken = new Set(path?.transitions ?? []);

  const lines = layout.transitions.map((transition) => {
    const wasTaken = taken.has(transition.id);
    const stroke = path ? (wasTaken ? colour.black : colour.lightGrey) : colour.grey;
    const points = transition.points.map(([x, y]) => `${x},${y}`).join(' ');
    return [
      `<polyline class="app-ops-graph__transition${wasTaken ? ' app-ops-graph__transition--taken' : ''}"`,
      ` data-transition="${escapeXml(transition.id)}" points="${points}" fill="none"`,
      ` stroke="${stroke}" stroke-width="${wasTaken ? 3 : 1.25}"`,
      transition.kind === 'catch' ? ' stroke-dasharray="5 4"' : '',
      ` marker-end="url(#${id(wasTaken ? 'arrow-taken' : 'arrow')})"/>`,
    ].join('');
  });

  const boxes = layout.states.map((state) => {
    const count = drawing.counts?.get(state.id);
    const failed = (count?.failed ?? 0) > 0 || path?.failedIn === state.id;
    const current = path?.current === state.id;
    const wasVisited = visited.has(state.id);
    const fill = failed ? colour.paleRed : wasVisited ? colour.paleGrey : colour.white;
    const stroke = failed
      ? colour.red
      : current
        ? colour.blue
        : wasVisited || !path
          ? colour.black
          : colour.lightGrey;
    const strokeWidth = failed || current ? 4 : 1.5;
    const rounding =
      state.type === 'Choice' ? 18 : state.type === 'Succeed' || state.type === 'Fail' ? 26 : 4;
    const classes = [
      'app-ops-graph__state',
      failed ? 'app-ops-graph__state--failed' : '',
      current ? 'app-ops-graph__state--current' : '',
      wasVisited ? 'app-ops-graph__state--visited' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const words = countInWords(count);
    const second = current && !failed ? 'Here now' : failed && path ? 'Failed here' : state.type;
    const badge =
      total(count) > 0
        ? [
            `<circle cx="${state.x + state.width - 2}" cy="${state.y + 2}" r="13"`,
            ` fill="${count && count.failed > 0 ? colour.red : count && count.running > 0 ? colour.blue : colour.green}"/>`,
            `<text class="app-ops-graph__count" x="${state.x + state.width - 2}" y="${state.y + 7}"`,
            ` text-anchor="middle" font-size="13" font-weight="700" fill="${colour.white}">${total(count)}</text>`,
          ].join('')
        : '';
    return [
      `<g class="${classes}" data-state="${escapeXml(state.id)}" data-count="${total(count)}">`,
      `<title>${escapeXml(words ? `${state.id}: ${words}` : state.id)}</title>`,
      `<rect x="${state.x}" y="${state.y}" width="${state.width}" height="${state.height}" rx="${rounding}"`,
      ` fill="${fill}" stroke="${stroke}" stroke-width="${strokeWidth}"/>`,
      `<text x="${state.x + state.width / 2}" y="${state.y + 22}" text-anchor="middle" font-size="13"`,
      ` font-weight="700" fill="${colour.black}">${escapeXml(state.id)}</text>`,
      `<text x="${state.x + state.width / 2}" y="${state.y + 40}" text-anchor="middle" font-size="12"`,
      ` fill="${failed ? colour.red : colour.grey}">${escapeXml(second)}</text>`,
      badge,
      '</g>',
    ].join('');
  });

  const arrow = (name: string, fill: string) =>
    `<marker id="${id(name)}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${fill}"/></marker>`;

  // Room for the count badges, which stand out over the boxes' top right corners.
  const margin = 16;
  const width = layout.width + 2 * margin;
  const height = layout.height + 2 * margin;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-ops-graph__svg" role="img"`,
    ` aria-labelledby="${id('title')} ${id('desc')}" width="${width}" height="${height}"`,
    ` viewBox="${-margin} ${-margin} ${width} ${height}" font-family="Arial, sans-serif">`,
    `<title id="${id('title')}">${escapeXml(drawing.title)}</title>`,
    `<desc id="${id('desc')}">${escapeXml(drawing.description)}</desc>`,
    `<defs>${arrow('arrow', path ? colour.lightGrey : colour.grey)}${arrow('arrow-taken', colour.black)}</defs>`,
    ...lines,
    ...boxes,
    '</svg>',
  ].join('');
}
