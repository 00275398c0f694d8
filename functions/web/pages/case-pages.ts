import type { Page } from '../page.ts';
import { decisionPages } from './decision.ts';
import { meetingPages } from './meeting.ts';
import { notificationPdfPages } from './notification-pdf.ts';
import { panelNotificationPages } from './panel-notification.ts';
import { panelReplyPages } from './panel-reply.ts';
import { reportPages } from './report.ts';
import { signOffPages } from './sign-off.ts';

/**
 * The pages under one case (`/cases/{caseId}/...`, the CasePages route), served by the case
 * pages' function (functions/case-web): the chair's decision, the report, the Rapid Review Group
 * meeting with its minutes and the Panel's letter, the partners' sign-offs and the Board chair's
 * resolution, the Panel's reply, and the notification as a PDF. The partnership team's controls on a running case are served
 * by a function of their own (`team-pages.ts`, functions/team-web), so neither bundle holds both.
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
  // The local authority's notification to the Panel, uploaded by its notifier or the team (issue 10 part 5).
  ...panelNotificationPages,
  // The notification as a PDF to read and print, from the case page's documents (issue 11 part 1).
  ...notificationPdfPages,
];
