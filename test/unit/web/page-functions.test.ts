import { describe, expect, it } from 'vitest';
import { caseWebPages } from '../../../functions/web/pages/case-pages.ts';
import { homeWebPages } from '../../../functions/web/pages/home-pages.ts';
import { pages } from '../../../functions/web/pages/index.ts';
import { insightWebPages } from '../../../functions/web/pages/insight-pages.ts';
import { learningPages } from '../../../functions/web/pages/learning-pages.ts';
import { localReviewDraftsPages } from '../../../functions/web/pages/local-review-drafts-pages.ts';
import { localReviewListPages } from '../../../functions/web/pages/local-review-list.ts';
import { localReviewPages } from '../../../functions/web/pages/local-review-pages.ts';
import { localReviewWorkPages } from '../../../functions/web/pages/local-review-work-pages.ts';
import { staffMenuPages } from '../../../functions/web/pages/menu.ts';
import { notifyWebPages } from '../../../functions/web/pages/notify-pages.ts';
import { opsWebPages } from '../../../functions/web/pages/ops.ts';
import { prgMenuPages, prgPages } from '../../../functions/web/pages/prg-pages.ts';
import { teamWebPages } from '../../../functions/web/pages/team-pages.ts';
import { webPages } from '../../../functions/web/pages/web-pages.ts';
import { matchRoute } from '../../../shared/routes.ts';

/** A path as a browser asks it: each `{name}` filled in. */
const concrete = (path: string) =>
  path.replace(/\{caseId\}/g, '0b6f2d4e-1c3a-4e5f-9a7b-00000000c0de').replace(/\{[^}]+\}/g, 'facts');

describe('which function serves each staff page', () => {
  it('sends every page to the function that serves it: web, notify, homes, case pages, the team’s pages, or the operations pages', () => {
    const servedBy = (page: { method: string; path: string }) =>
      matchRoute(page.method, concrete(page.path))?.route.functionName;

    expect(webPages.filter((page) => servedBy(page) !== 'web').map((page) => page.path)).toEqual([]);
    expect(caseWebPages.filter((page) => servedBy(page) !== 'case-web').map((page) => page.path)).toEqual([]);
    expect(teamWebPages.filter((page) => servedBy(page) !== 'team-web').map((page) => page.path)).toEqual([]);
    expect(homeWebPages.filter((page) => servedBy(page) !== 'home-web').map((page) => page.path)).toEqual([]);
    expect(notifyWebPages.filter((page) => servedBy(page) !== 'notify-web').map((page) => page.path)).toEqual(
      [],
    );
    expect(
      localReviewPages.filter((page) => servedBy(page) !== 'local-review-web').map((page) => page.path),
    ).toEqual([]);
    expect(localReviewPages.length).toBeGreaterThan(30);
    expect(
      localReviewDraftsPages
        .filter((page) => servedBy(page) !== 'local-review-drafts-web')
        .map((page) => page.path),
    ).toEqual([]);
    expect(localReviewDraftsPages.length).toBeGreaterThan(40);
    expect(
      localReviewWorkPages
        .filter((page) => servedBy(page) !== 'local-review-work-web')
        .map((page) => page.path),
    ).toEqual([]);
    expect(localReviewWorkPages.length).toBeGreaterThan(15);
    // The team's list of every local review, beside the reviewer's own list.
    expect(
      localReviewListPages
        .filter((page) => servedBy(page) !== 'local-review-work-web')
        .map((page) => page.path),
    ).toEqual([]);
    expect(localReviewListPages.map((page) => `${page.method} ${page.path}`)).toEqual(['GET /local-reviews']);
    expect(opsWebPages.filter((page) => servedBy(page) !== 'ops-web').map((page) => page.path)).toEqual([]);
    expect(opsWebPages.map((page) => `${page.method} ${page.path}`)).toEqual([
      'GET /ops',
      'GET /ops/executions/{name}',
      'GET /ops/executions/{name}/resume',
      'POST /ops/executions/{name}/resume',
    ]);
    expect(prgPages.filter((page) => servedBy(page) !== 'prg-web').map((page) => page.path)).toEqual([]);
    expect(prgPages.length).toBeGreaterThan(20);
    // Its homes are in the whole service's list too (the navigation), and are its first pages.
    expect(prgMenuPages.every((page) => pages.includes(page as never) && prgPages.includes(page))).toBe(true);
    expect(
      insightWebPages.filter((page) => servedBy(page) !== 'insight-web').map((page) => page.path),
    ).toEqual([]);
    expect(insightWebPages.map((page) => `${page.method} ${page.path}`)).toEqual([
      'GET /dashboard',
      'GET /scrutiny',
      'POST /scrutiny/report/commentary',
      'GET /scrutiny/report/pdf',
    ]);
    expect(
      learningPages.filter((page) => servedBy(page) !== 'learning-web').map((page) => page.path),
    ).toEqual([]);
    expect(learningPages.length).toBeGreaterThan(15);
    expect(notifyWebPages.length).toBeGreaterThan(10);
    expect(caseWebPages.length).toBeGreaterThan(10);
    expect(teamWebPages.length).toBeGreaterThan(10);
  });

  it('sends a case’s own page to the web function and the cases list to the home pages’ function', () => {
    const caseId = '0b6f2d4e-1c3a-4e5f-9a7b-00000000c0de';

    expect(matchRoute('GET', '/cases')?.route.functionName).toBe('home-web');
    expect(matchRoute('GET', `/cases/${caseId}`)?.route.functionName).toBe('web');
    expect(matchRoute('GET', `/cases/${caseId}/decision`)?.route.functionName).toBe('case-web');
    expect(matchRoute('GET', `/cases/${caseId}/local-review`)?.route.functionName).toBe('local-review-web');
    expect(matchRoute('GET', `/local-reviews/${caseId}`)?.route.functionName).toBe('local-review-web');
    expect(matchRoute('GET', `/local-reviews/${caseId}/drafts`)?.route.functionName).toBe(
      'local-review-drafts-web',
    );
    expect(matchRoute('POST', `/local-reviews/${caseId}/family-plan/add/check`)?.route.functionName).toBe(
      'local-review-drafts-web',
    );
    // The review's other pages stay with local-review-web, a path that only starts the same among them.
    expect(matchRoute('GET', `/local-reviews/${caseId}/terms`)?.route.functionName).toBe('local-review-web');
    expect(matchRoute('GET', `/local-reviews/${caseId}/draftsy`)?.route.functionName).toBe(
      'local-review-web',
    );
    expect(matchRoute('GET', '/factual-accuracy/abc')?.route.functionName).toBe('local-review-drafts-web');
    // A local review's enquiry and the agency's pages under its link: their own function.
    expect(matchRoute('GET', '/your-reviews')?.route.functionName).toBe('local-review-work-web');
    expect(matchRoute('GET', '/local-reviews')?.route.functionName).toBe('local-review-work-web');
    expect(matchRoute('GET', '/api/local-reviews')?.route.functionName).toBe('get-local-reviews');
    expect(matchRoute('GET', `/api/local-reviews/${caseId}`)?.route.functionName).toBe('get-local-reviews');
    expect(matchRoute('POST', `/api/cases/${caseId}/local-review`)?.route.functionName).toBe(
      'commission-local-review',
    );
    expect(matchRoute('GET', `/local-reviews/${caseId}/enquiry`)?.route.functionName).toBe(
      'local-review-work-web',
    );
    expect(matchRoute('GET', `/local-reviews/${caseId}/enquiry/chronology.pdf`)?.route.functionName).toBe(
      'local-review-work-web',
    );
    expect(matchRoute('POST', `/local-review-agency/${caseId}/token/entries`)?.route.functionName).toBe(
      'local-review-work-web',
    );
    expect(matchRoute('GET', `/local-reviews/${caseId}/enquiries`)?.route.functionName).toBe(
      'local-review-web',
    );
    expect(matchRoute('GET', '/ops')?.route.functionName).toBe('ops-web');
    expect(matchRoute('GET', `/cases/${caseId}/learning`)?.route.functionName).toBe('learning-web');
    expect(matchRoute('POST', `/local-reviews/${caseId}/learning/themes`)?.route.functionName).toBe(
      'learning-web',
    );
    expect(matchRoute('GET', '/actions')?.route.functionName).toBe('learning-web');
    expect(matchRoute('GET', '/action/a-token')?.route.functionName).toBe('learning-web');
    expect(matchRoute('POST', `/ops/executions/${caseId}-resume-1/resume`)?.route.functionName).toBe(
      'ops-web',
    );
    expect(matchRoute('GET', '/practice-review-group')?.route.functionName).toBe('prg-web');
    expect(matchRoute('GET', `/practice-review-group/referrals/${caseId}`)?.route.functionName).toBe(
      'prg-web',
    );
    expect(matchRoute('POST', '/practice-review-group/approval/a-token/approve')?.route.functionName).toBe(
      'prg-web',
    );
    // The scrutiny report is the insight pages'; one review under it stays the homes'.
    expect(matchRoute('GET', '/scrutiny')?.route.functionName).toBe('insight-web');
    expect(matchRoute('GET', '/scrutiny/report/pdf')?.route.functionName).toBe('insight-web');
    expect(matchRoute('GET', `/scrutiny/${caseId}`)?.route.functionName).toBe('home-web');
    expect(matchRoute('GET', '/dashboard')?.route.functionName).toBe('insight-web');
    // A path that only starts the same is not the operations pages'.
    expect(matchRoute('GET', '/opsy')?.route.functionName).toBe('web');
  });

  it('gives every staff pages’ function the same navigation as the pages carry', () => {
    // The learning pages (functions/learning-web) and a local review's enquiry pages
    // (functions/local-review-work-web) run on their own services; their entries come before the
    // operations', which are last.
    const everyPage = [
      ...pages.filter((page) => !opsWebPages.includes(page)),
      ...learningPages,
      ...localReviewWorkPages,
      ...opsWebPages,
    ] as readonly { path: string; menu?: unknown; access: unknown }[];
    const fromPages = everyPage
      .filter((page) => page.menu)
      .map((page) => [page.path, page.menu, page.access]);

    expect(staffMenuPages.map((page) => [page.path, page.menu, page.access])).toEqual(fromPages);
  });
});
