import type { Page } from '../page.ts';
import { caseWebPages } from './case-pages.ts';
import { homeWebPages } from './home-pages.ts';
import { insightWebPages } from './insight-pages.ts';
import { localReviewListPages } from './local-review-list.ts';
import { notifyWebPages } from './notify-pages.ts';
import { opsWebPages } from './ops.ts';
import { prgMenuPages } from './prg-pages.ts';
import { teamWebPages } from './team-pages.ts';
import { webPages } from './web-pages.ts';

/**
 * Every staff page, as one list: the notify pages' function's (`notify-pages.ts`, first so the
 * navigation keeps its order), the web function's (`web-pages.ts`), the home pages' function's
 * (`home-pages.ts`), the case pages' function's (`case-pages.ts`), the team pages' function's
 * (`team-pages.ts`) and the operations pages' function's (`ops.ts`). API Gateway sends each path to its function (shared/routes.ts: HomePages,
 * TeamPages, NotifyPages, then CasePages, then WebPages); a test serving every list in one app sees the whole service. The
 * agency pages (`/agency/{token}`) are not here: they run in a function of their own,
 * functions/agency-web. To add pages, export a `Page[]` from a module in this folder and spread
 * it into whichever of the two lists serves its path.
 */
export const pages: readonly Page[] = [
  ...notifyWebPages,
  ...webPages,
  ...homeWebPages,
  // The partnership team's list of local reviews (issue 13), functions/local-review-work-web's:
  // beside the cases list in the navigation. It reads the local reviews port, which an app
  // serving this whole list (the tests) gives.
  ...(localReviewListPages as unknown as readonly Page[]),
  ...caseWebPages,
  ...teamWebPages,
  // The Practice Review Group's homes (issue 13), functions/prg-web's: the group's referrals and
  // a referrer's own. Its other pages are served by that function alone (prgPages). They read the
  // referrals port, which only prg-web's service holds of the deployed functions; an app serving
  // this whole list (the local stack's tests) gives every port.
  ...(prgMenuPages as unknown as readonly Page[]),
  // The dashboard and the scrutineer's report (issue 14), functions/insight-web's.
  ...insightWebPages,
  // The operations pages (issue 12 part 4), functions/ops-web's: last, as in the navigation.
  ...opsWebPages,
];
