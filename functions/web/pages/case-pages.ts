import type { Page } from '../page.ts';
import { decisionPages } from './decision.ts';
import { meetingPages } from './meeting.ts';
import { panelReplyPages } from './panel-reply.ts';
import { reportPages } from './report.ts';
import { signOffPages } from './sign-off.ts';
import { steerAgencyPages } from './steer-agencies.ts';
import { steerCasePages } from './steer-case.ts';

/**
 * The pages under one case (`/cases/{caseId}/...`, the CasePages route), served by the case
 * pages' function (functions/case-web): the chair's decision, the report, the Rapid Review Group
 * meeting with its minutes and the Panel's letter, the partners' sign-offs and the Board chair's
 * resolution, the Panel's reply, why a late review is late, the notification-only closure, and
 * the team's controls on the agencies and the withdrawal.
 */
export const caseWebPages: readonly Page[] = [
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
  // The team steers the case (issue 10 part 3): agencies added, changed, removed; the review withdrawn.
  ...steerAgencyPages,
];
