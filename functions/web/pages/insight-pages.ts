import { type InsightWebService, insightWebPages as pages } from './insight.ts';

/**
 * The partnership's figures (issue 14 parts 3 and 4), served by the insight pages' function
 * (functions/insight-web) through the InsightPages routes of shared/routes.ts: the dashboard
 * (`/dashboard`) for the partnership team and the Executive Board, and the scrutineer's
 * six-monthly report (`/scrutiny`, its commentary `/scrutiny/report/commentary` and its PDF
 * `/scrutiny/report/pdf`). They read the case store through its indexes; the commentary is the
 * one thing they write. One review's page, `/scrutiny/{caseId}`, stays the home pages' function's.
 */
export const insightWebPages = pages;
export type { InsightWebService };
