import type { Page } from '../page.ts';
import { agencyPages } from './agency.ts';
import { casePages } from './cases.ts';
import { decisionPages } from './decision.ts';
import { notifyPages } from './notify.ts';
import { signInPages } from './sign-in.ts';
import { startPages } from './start.ts';

/**
 * Every page of the web function. To add pages, export a `Page[]` from a module in this folder
 * and spread it in here; the order is the order of the service navigation and the start page's menu.
 */
export const pages: readonly Page[] = [
  ...startPages,
  ...signInPages,
  ...notifyPages,
  ...agencyPages,
  ...casePages,
  ...decisionPages,
];
