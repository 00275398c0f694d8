import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { functionCatalogue } from '../../functions/catalogue.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every TypeScript file under a folder of the project. */
function typeScriptFiles(folder: string): string[] {
  return readdirSync(join(root, folder)).flatMap((entry) => {
    if (entry === 'node_modules') return [];
    const path = join(folder, entry);
    if (statSync(join(root, path)).isDirectory()) return typeScriptFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The project files a file imports (relative specifiers only), as paths from the project root. */
function importsOf(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8');
  // `… from './x.ts'`, `import './x.ts'` and `import('./x.ts')`.
  return [...source.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)'(\.[^']+)'/g)].map((match) =>
    relative(root, resolve(root, dirname(file), match[1] as string)),
  );
}

/**
 * What the agency pages' function may use of the web function's folder: its page framework
 * (the handler's wiring, the router, the page contract, the templates, the form errors its
 * structured return's questions show), never its pages or its handler.
 */
const webFramework = [
  'functions/web/page-handler.ts',
  'functions/web/router.ts',
  'functions/web/page.ts',
  'functions/web/views.ts',
  'functions/web/forms.ts',
];

/**
 * What the agency details function may use of it: the framework, the form errors, and the
 * signing helpers of session.ts (for its own key's proof cookie; it signs nobody in).
 */
const agencyDetailsShared = [...webFramework, 'functions/web/forms.ts', 'functions/web/session.ts'];

/**
 * What the case pages' function (functions/case-web) may use of the web function's folder: the
 * framework, the staff sessions, and the staff pages under a case with the navigation's entries
 * (the two staff functions share one folder of pages; API Gateway sends each path to one of them).
 */
const casePagesShared = [
  ...webFramework,
  'functions/web/session.ts',
  'functions/web/pages/case-pages.ts',
  'functions/web/pages/menu.ts',
];

/** What the team pages' function (functions/team-web) may use of it: the same, with the team's pages instead. */
const teamPagesShared = [
  ...webFramework,
  'functions/web/session.ts',
  'functions/web/pages/team-pages.ts',
  'functions/web/pages/menu.ts',
];

/** What the home pages' function (functions/home-web) may use of it: the same, with the homes instead. */
const homePagesShared = [
  ...webFramework,
  'functions/web/session.ts',
  'functions/web/pages/home-pages.ts',
  'functions/web/pages/menu.ts',
];

/** What the notify pages' function (functions/notify-web) may use of it: the same, with the notify pages instead. */
const notifyPagesShared = [
  ...webFramework,
  'functions/web/session.ts',
  'functions/web/pages/notify-pages.ts',
  'functions/web/pages/menu.ts',
];

/** What the local review pages' function (functions/local-review-web) may use of it: the same, with the local review pages. */
const localReviewPagesShared = [
  ...webFramework,
  'functions/web/session.ts',
  'functions/web/pages/local-review-pages.ts',
  'functions/web/field-flow.ts',
  'functions/web/pages/menu.ts',
];

/** What the Practice Review Group's pages' function (functions/prg-web) may use of it: the same, with its pages. */
const prgPagesShared = [
  ...webFramework,
  'functions/web/session.ts',
  'functions/web/pages/prg-pages.ts',
  'functions/web/field-flow.ts',
  'functions/web/pages/menu.ts',
];

/**
 * What the local review drafts pages' function (functions/local-review-drafts-web) may use of it:
 * the same, with its own pages (and notify/answers.ts's date fields, as the local review pages do).
 */
const localReviewDraftsPagesShared = [
  ...webFramework,
  'functions/web/session.ts',
  'functions/web/pages/local-review-drafts-pages.ts',
  'functions/web/field-flow.ts',
  'functions/web/pages/menu.ts',
];

/** What the learning pages' function (functions/learning-web, issue 14) may use of it: the same, with the learning pages. */
const learningPagesShared = [
  ...webFramework,
  'functions/web/session.ts',
  'functions/web/pages/learning-pages.ts',
  'functions/web/pages/menu.ts',
];

/** What a local review's enquiry pages' function (functions/local-review-work-web) may use of it: the same, with the enquiry pages. */
const localReviewWorkPagesShared = [
  ...webFramework,
  'functions/web/session.ts',
  'functions/web/pages/local-review-work-pages.ts',
  // The partnership team's list of every local review, beside the reviewer's own.
  'functions/web/pages/local-review-list.ts',
  'functions/web/pages/menu.ts',
];

/**
 * What the operations pages' function (functions/ops-web) may use of it: the same, with the
 * operations pages instead (ops.ts, which draws the graph with ops-graph.ts).
 */
const opsPagesShared = [
  ...webFramework,
  'functions/web/session.ts',
  'functions/web/pages/ops.ts',
  'functions/web/pages/menu.ts',
];

/**
 * What the insight pages' function (functions/insight-web) may use of it: the same, with the
 * dashboard and the scrutiny report instead (insight-pages.ts).
 */
const insightPagesShared = [
  ...webFramework,
  'functions/web/session.ts',
  'functions/web/pages/insight-pages.ts',
  'functions/web/pages/menu.ts',
];

/** The project files a file's code imports (type-only imports left out: they are not in the bundle). */
function codeImportsOf(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8').replace(/import type[^;]+;/g, '');
  return [...source.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*)'(\.[^']+)'/g)].map((match) =>
    relative(root, resolve(root, dirname(file), match[1] as string)),
  );
}

/** Every project file a file reaches through the code it imports, itself included. */
function reachableFrom(file: string): Set<string> {
  const seen = new Set<string>();
  const next = [file];
  while (next.length > 0) {
    const current = next.pop() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    next.push(...codeImportsOf(current).filter((target) => target.endsWith('.ts')));
  }
  return seen;
}

describe('the layout of the code', () => {
  it('wraps every function in Powertools’ logger, metrics and tracer, through one of the handler wrappers', () => {
    const wrappers: Record<string, RegExp> = {
      'shared/http/api-handler.ts': /\bapiHandler\(/,
      'shared/workflow/task-handler.ts': /\b(taskHandler|eventHandler)\(/,
      'functions/web/page-handler.ts': /\bpageHandler\(/,
      'shared/observability.ts': /\.use\(observability</,
    };
    for (const wrapper of Object.keys(wrappers).filter((file) => file !== 'shared/observability.ts')) {
      expect(readFileSync(join(root, wrapper), 'utf8'), wrapper).toMatch(/\.use\(observability</);
    }
    const unwrapped = Object.keys(functionCatalogue).filter((name) => {
      const handler = `functions/${name}/handler.ts`;
      const text = readFileSync(join(root, handler), 'utf8');
      return !Object.entries(wrappers).some(
        ([wrapper, call]) => call.test(text) && importsOf(handler).includes(wrapper),
      );
    });

    expect(unwrapped).toEqual([]);
  });

  it('keeps each function to its own folder: no function imports another function’s folder', () => {
    const crossings = typeScriptFiles('functions').flatMap((file) => {
      const own = file.split('/')[1];
      return importsOf(file)
        .filter((target) => target.startsWith('functions/'))
        .filter((target) => target.split('/')[1] !== own && target !== 'functions/catalogue.ts')
        .filter(
          (target) =>
            !(own === 'agency-web' && webFramework.includes(target)) &&
            !(own === 'agency-details' && agencyDetailsShared.includes(target)),
        )
        .filter((target) => !(own === 'case-web' && casePagesShared.includes(target)))
        .filter((target) => !(own === 'team-web' && teamPagesShared.includes(target)))
        .filter((target) => !(own === 'home-web' && homePagesShared.includes(target)))
        .filter((target) => !(own === 'notify-web' && notifyPagesShared.includes(target)))
        .filter((target) => !(own === 'local-review-web' && localReviewPagesShared.includes(target)))
        .filter(
          (target) => !(own === 'local-review-drafts-web' && localReviewDraftsPagesShared.includes(target)),
        )
        .filter((target) => !(own === 'ops-web' && opsPagesShared.includes(target)))
        .filter((target) => !(own === 'prg-web' && prgPagesShared.includes(target)))
        .filter((target) => !(own === 'insight-web' && insightPagesShared.includes(target)))
        .filter((target) => !(own === 'learning-web' && learningPagesShared.includes(target)))
        .filter((target) => !(own === 'local-review-work-web' && localReviewWorkPagesShared.includes(target)))
        .map((target) => `${file} imports ${target}`);
    });

    expect(typeScriptFiles('functions').length).toBeGreaterThan(17);
    expect(crossings).toEqual([]);
  });

  it('keeps the agency pages’ function away from the staff pages and every staff port', () => {
    const reached = [...reachableFrom('functions/agency-web/handler.ts')];
    const staff = reached.filter(
      (file) =>
        file.startsWith('functions/web/pages/') ||
        [
          'functions/web/handler.ts',
          'functions/web/cognito.ts',
          'shared/stores/draft-store.ts',
          'shared/stores/session-revocations.ts',
          'shared/adapters/documents.ts',
          // The mailer is reached: a structured return sends its SPOC a receipt (issue 10).
          'shared/adapters/review-workflow.ts',
        ].includes(file),
    );

    // It does reach the framework it renders with, and its own pages.
    expect(reached).toEqual(expect.arrayContaining([...webFramework, 'functions/agency-web/pages.ts']));
    expect(staff).toEqual([]);
  });

  it('keeps the agency details function away from the staff pages, the session key and the workflow', () => {
    const reached = [...reachableFrom('functions/agency-details/handler.ts')];
    const staff = reached.filter(
      (file) =>
        file.startsWith('functions/web/pages/') ||
        file.startsWith('functions/agency-web/') ||
        [
          'functions/web/handler.ts',
          'functions/web/cognito.ts',
          'shared/stores/draft-store.ts',
          'shared/stores/session-revocations.ts',
          'shared/adapters/review-workflow.ts',
          'shared/adapters/upload-forms.ts',
        ].includes(file),
    );
    const source = readFileSync(join(root, 'functions/agency-details/handler.ts'), 'utf8');

    expect(reached).toEqual(
      expect.arrayContaining(['functions/agency-details/pages.ts', 'shared/use-cases/agency-details.ts']),
    );
    expect(staff).toEqual([]);
    // Its pages take POSTs with a key of their own, never the staff's session key.
    expect(source).not.toContain('sessionSecretFromEnvironment');
    expect(source).not.toMatch(/\bsessions:/);
  });

  it('keeps the agency pages’ function away from the agency details (documents, email)', () => {
    const reached = [...reachableFrom('functions/agency-web/handler.ts')];
    expect(reached.filter((file) => file.startsWith('functions/agency-details/'))).toEqual([]);
    expect(reached).not.toContain('shared/use-cases/agency-details.ts');
  });

  it('keeps the resume sweep and the execution fault recorder to the ports their work needs (issue 12)', () => {
    const sweep = [...reachableFrom('functions/resume-workflows/handler.ts')];
    const recorder = [...reachableFrom('functions/record-execution-fault/handler.ts')];
    const pagesOrFiles = (file: string) =>
      file.startsWith('functions/web/') ||
      ['shared/adapters/documents.ts', 'shared/adapters/upload-forms.ts'].includes(file);

    expect(sweep).toEqual(
      expect.arrayContaining(['shared/use-cases/resume-workflows.ts', 'shared/adapters/review-workflow.ts']),
    );
    // The sweep resumes; it sends no email (the decision's own requests went with the decision).
    expect(sweep.filter((file) => pagesOrFiles(file) || file === 'shared/adapters/mailer.ts')).toEqual([]);
    expect(recorder).toEqual(expect.arrayContaining(['shared/use-cases/record-failure.ts']));
    expect(recorder.filter(pagesOrFiles)).toEqual([]);
  });

  it('keeps the local reviews’ API functions to the ports their work needs (issue 13)', () => {
    const reader = [...reachableFrom('functions/get-local-reviews/handler.ts')];
    const commissioner = [...reachableFrom('functions/commission-local-review/handler.ts')];
    const pagesOrFiles = (file: string) =>
      file.startsWith('functions/web/') ||
      ['shared/adapters/documents.ts', 'shared/adapters/upload-forms.ts'].includes(file);

    expect(reader).toEqual(
      expect.arrayContaining([
        'shared/use-cases/local-review-overview.ts',
        'shared/stores/local-review-store.ts',
      ]),
    );
    // The list and one review only read: no email, no workflow, no documents, no pages.
    expect(
      reader.filter(
        (file) => pagesOrFiles(file) || file === 'shared/adapters/mailer.ts' || file.endsWith('workflow.ts'),
      ),
    ).toEqual([]);
    // Commissioning runs the pages' own use case, with the Panel's email and the review's workflow.
    expect(commissioner).toEqual(
      expect.arrayContaining([
        'shared/use-cases/local-review.ts',
        'shared/adapters/mailer.ts',
        'shared/adapters/local-review-workflow.ts',
      ]),
    );
    expect(commissioner.filter(pagesOrFiles)).toEqual([]);
  });

  it('keeps the staff pages’ function away from the agency pages', () => {
    const reached = [...reachableFrom('functions/web/handler.ts')];
    expect(reached).toContain('functions/web/pages/cases.ts');
    expect(reached.filter((file) => file.startsWith('functions/agency-web/'))).toEqual([]);
  });

  it('keeps the staff functions’ pages apart, so no bundle holds every page', () => {
    const casePageModules = ['decision', 'report', 'meeting', 'sign-off', 'panel-reply'].map(
      (name) => `functions/web/pages/${name}.ts`,
    );
    const teamPageModules = ['steer-case', 'steer-agencies', 'team-returns'].map(
      (name) => `functions/web/pages/${name}.ts`,
    );
    const teamWeb = reachableFrom('functions/team-web/handler.ts');
    for (const module of teamPageModules) expect(teamWeb, module).toContain(module);
    expect(
      [...casePageModules, 'functions/web/pages/notify.ts'].filter((module) => teamWeb.has(module)),
    ).toEqual([]);
    const webPageModules = ['start', 'sign-in', 'cases'].map((name) => `functions/web/pages/${name}.ts`);
    // Each role's home, the cases list among them: the home pages' function's alone.
    const homePageModules = ['case-list', 'your-cases', 'scrutiny', 'your-notifications'].map(
      (name) => `functions/web/pages/${name}.ts`,
    );
    const homeWeb = reachableFrom('functions/home-web/handler.ts');
    for (const module of homePageModules) expect(homeWeb, module).toContain(module);
    expect(
      [...webPageModules, ...casePageModules, ...teamPageModules].filter((module) => homeWeb.has(module)),
    ).toEqual([]);
    const web = reachableFrom('functions/web/handler.ts');
    const caseWeb = reachableFrom('functions/case-web/handler.ts');
    // The notify pages (issue 11): only in their own function (notify/answers.ts, whose date
    // fields other pages use too, and notify/views.ts, whose summary the notifier's home shows, are shared).
    const notifyPageModules = ['notify', 'notify-pages'].map((name) => `functions/web/pages/${name}.ts`);
    const notifyWeb = reachableFrom('functions/notify-web/handler.ts');
    for (const module of notifyPageModules) expect(notifyWeb, module).toContain(module);
    for (const other of [web, caseWeb, teamWeb, homeWeb]) {
      expect(notifyPageModules.filter((module) => other.has(module))).toEqual([]);
    }
    expect(
      [...webPageModules, ...casePageModules, ...teamPageModules, ...homePageModules].filter((module) =>
        notifyWeb.has(module),
      ),
    ).toEqual([]);

    for (const module of webPageModules) expect(web, module).toContain(module);
    for (const module of casePageModules) expect(caseWeb, module).toContain(module);
    expect(
      [...casePageModules, ...teamPageModules, ...homePageModules].filter((module) => web.has(module)),
    ).toEqual([]);
    expect([...teamPageModules, ...homePageModules].filter((module) => caseWeb.has(module))).toEqual([]);
    expect(webPageModules.filter((module) => caseWeb.has(module))).toEqual([]);
    expect([...caseWeb].filter((file) => file.startsWith('functions/agency-web/'))).toEqual([]);
  });

  it('keeps the local review’s work in writing in its own function, apart from the local review pages and the other staff pages', () => {
    const draftsWeb = reachableFrom('functions/local-review-drafts-web/handler.ts');
    expect(draftsWeb).toContain('functions/web/pages/local-review-drafts-pages.ts');
    expect(
      [...draftsWeb].filter(
        (file) =>
          file.startsWith('functions/web/pages/') &&
          // local-review-view: the milestones' and terms' wording every local review page shares.
          !['local-review-drafts-pages', 'local-review-view', 'menu', 'london', 'notify/answers'].some(
            (own) => file === `functions/web/pages/${own}.ts`,
          ),
      ),
    ).toEqual([]);
    const others = [
      'web',
      'case-web',
      'team-web',
      'home-web',
      'notify-web',
      'local-review-web',
      'agency-web',
    ].map((name) => reachableFrom(`functions/${name}/handler.ts`));
    for (const other of others)
      expect(other.has('functions/web/pages/local-review-drafts-pages.ts')).toBe(false);
    // Its pages start each factual-accuracy round's reminders, and no other workflow.
    expect(
      [...draftsWeb]
        .filter((file) => file.includes('workflow') && file.startsWith('shared/adapters/'))
        .sort(),
    ).toEqual(['shared/adapters/local-review-workflow.ts', 'shared/adapters/review-workflow.ts']);
    const handler = readFileSync(join(root, 'functions/local-review-drafts-web/handler.ts'), 'utf8');
    expect(handler.match(/\w+(Workflow|Chases)FromEnvironment\b/g)).toEqual([
      'factualAccuracyChasesFromEnvironment',
      'factualAccuracyChasesFromEnvironment',
    ]);
  });

  it('keeps the learning pages in their own function, and out of every other', () => {
    const learningWeb = reachableFrom('functions/learning-web/handler.ts');
    expect(learningWeb).toContain('functions/web/pages/learning-pages.ts');
    const others = [
      'web',
      'case-web',
      'team-web',
      'home-web',
      'notify-web',
      'local-review-web',
      'ops-web',
    ].map((name) => reachableFrom(`functions/${name}/handler.ts`));
    for (const other of others) expect(other.has('functions/web/pages/learning-pages.ts')).toBe(false);
    expect(
      ['decision', 'report', 'steer-case', 'case-list', 'notify', 'cases', 'local-review-pages', 'ops']
        .map((name) => `functions/web/pages/${name}.ts`)
        .filter((module) => learningWeb.has(module)),
    ).toEqual([]);
  });

  it('keeps the operations pages in their own function, and the layout library (elkjs) out of every function', () => {
    const opsPageModules = ['ops', 'ops-graph'].map((name) => `functions/web/pages/${name}.ts`);
    const opsWeb = reachableFrom('functions/ops-web/handler.ts');
    for (const module of opsPageModules) expect(opsWeb, module).toContain(module);
    const others = ['web', 'case-web', 'team-web', 'home-web', 'notify-web'].map((name) =>
      reachableFrom(`functions/${name}/handler.ts`),
    );
    for (const other of others) expect(opsPageModules.filter((module) => other.has(module))).toEqual([]);
    expect(
      ['decision', 'report', 'steer-case', 'case-list', 'notify', 'cases']
        .map((name) => `functions/web/pages/${name}.ts`)
        .filter((module) => opsWeb.has(module)),
    ).toEqual([]);
    // The graph is laid out at build time (scripts/state-machine-layout.ts): no function imports
    // the script or elkjs, whose 1.5 MB would not fit a bundle.
    const elk = typeScriptFiles('functions')
      .concat(typeScriptFiles('shared'))
      .filter((file) =>
        /from '(elkjs[^']*|[^']*scripts\/[^']*)'/.test(readFileSync(join(root, file), 'utf8')),
      );
    expect(elk).toEqual([]);
    expect([...opsWeb].filter((file) => file.startsWith('scripts/'))).toEqual([]);
  });

  it('keeps the dashboard and the scrutiny report in their own function, away from every other page function', () => {
    const insightPageModules = ['insight', 'insight-pages', 'insight-charts'].map(
      (name) => `functions/web/pages/${name}.ts`,
    );
    const insightWeb = reachableFrom('functions/insight-web/handler.ts');
    for (const module of insightPageModules) expect(insightWeb, module).toContain(module);
    const others = ['web', 'case-web', 'team-web', 'home-web', 'notify-web', 'ops-web'].map((name) =>
      reachableFrom(`functions/${name}/handler.ts`),
    );
    for (const other of others) expect(insightPageModules.filter((module) => other.has(module))).toEqual([]);
    expect(
      ['decision', 'report', 'steer-case', 'case-list', 'notify', 'cases', 'ops']
        .map((name) => `functions/web/pages/${name}.ts`)
        .filter((module) => insightWeb.has(module)),
    ).toEqual([]);
  });

  it('keeps the review gauges’ function to reading the cases: no email, documents, uploads or workflow', () => {
    const reached = [...reachableFrom('functions/publish-review-gauges/handler.ts')];
    const beyondItsNeeds = reached.filter((file) =>
      [
        'shared/adapters/mailer.ts',
        'shared/adapters/documents.ts',
        'shared/adapters/upload-forms.ts',
        'shared/adapters/review-workflow.ts',
        'shared/adapters/clients/s3.ts',
        'shared/adapters/clients/sesv2.ts',
        'shared/adapters/clients/sfn.ts',
      ].includes(file),
    );

    expect(reached).toEqual(
      expect.arrayContaining(['shared/use-cases/publish-review-gauges.ts', 'shared/stores/case-store.ts']),
    );
    expect(beyondItsNeeds).toEqual([]);
  });

  it('keeps the use cases and everything else in shared/ free of the functions and of the local stack', () => {
    const crossings = typeScriptFiles('shared').flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith('functions/') || target.startsWith('local/'))
        .map((target) => `${file} imports ${target}`),
    );

    expect(typeScriptFiles('shared/use-cases').length).toBeGreaterThan(10);
    expect(crossings).toEqual([]);
  });

  it('gives each SDK client one factory module, imported only where a port is made from the environment', () => {
    const sdkClients = typeScriptFiles('shared').filter((file) =>
      /from '@aws-sdk\/client-[a-z0-9]+'/.test(
        readFileSync(join(root, file), 'utf8').replace(/import type[^;]+;/g, ''),
      ),
    );

    expect(sdkClients.sort()).toEqual(
      expect.arrayContaining([
        'shared/adapters/clients/dynamodb.ts',
        'shared/adapters/clients/s3.ts',
        'shared/adapters/clients/sesv2.ts',
        'shared/adapters/clients/sfn.ts',
        'shared/adapters/clients/ssm.ts',
      ]),
    );
    expect(typeScriptFiles('shared/use-cases').filter((file) => sdkClients.includes(file))).toEqual([]);
  });
});
