import type { Page } from '../page.ts';
import { caseListPages } from './case-list.ts';

/**
 * Each role's home, served by the home pages' function (functions/home-web) through the
 * HomePages routes of shared/routes.ts: the partnership team's list of cases (`/cases`).
 * Apart from the web function, whose bundle has no room left under 1 MiB.
 */
export const homeWebPages: readonly Page[] = [...caseListPages];
