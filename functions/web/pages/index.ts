import type { Page } from '../page.ts';
import { casePages } from './cases.ts';
import { decisionPages } from './decision.ts';
import { meetingPages } from './meeting.ts';
import { notifyPages } from './notify.ts';
import { panelReplyPages } from './panel-reply.ts';
import { reportPages } from './report.ts';
import { signInPages } from './sign-in.ts';
import { signOffPages } from './sign-off.ts';
import { startPages } from './start.ts';
import { steerCasePages } from './steer-case.ts';

/**
 * Every page of the web function. The agency pages (`/agency/{token}`, reached by anyone holding
 * a link) are not here: they run in a function of their own, functions/agency-web. To add pages, export a `Page[]` from a module in this folder
 * and spread it in here; the order is the order of the service navigation and the start page's menu.
 */
export const pages: readonly Page[] = [
  ...startPages,
  ...signInPages,
  ...notifyPages,
  ...casePages,
  ...decisionPages,
  ...reportPages,
  // The Rapid Review Group meeting, its minutes and the Panel's letter (issue 9 part 4).
  ...meetingPages,
  // The partners' sign-offs and the Executive Board chair's resolution (issue 9 part 4).
  ...signOffPages,
  // The Panel's reply (issue 9 part 6).
  ...panelReplyPages,
  // Why a late review is late, and closing a looked-after child's or care leaver's death as
  // notification only (issue 9 parts 3 and 6).
  ...steerCasePages,
];
