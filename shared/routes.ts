import type { StaffRole } from './schemas/roles.ts';

/**
 * Who may call a route: staff with one of these roles, anyone holding an agency's capability
 * link, or (`web`) anyone, the web function checking its own signed session per page.
 */
export type RouteAccess =
  | { kind: 'staff'; roles: readonly StaffRole[] }
  | { kind: 'capability-link' }
  | { kind: 'web' };

/** One HTTP route: CDK builds API Gateway from this table and the local API serves the same table. */
export interface Route {
  /** Stable id, used as the CDK construct id and in logs. */
  id: string;
  /** `ANY` matches every method (the web pages' catch-all). */
  method: 'GET' | 'POST' | 'PUT' | 'ANY';
  /** API Gateway path syntax: `{name}` is a path parameter, `{name+}` a greedy one (the rest of the path). */
  path: string;
  /** The function (see functions/catalogue.ts) that answers it. */
  functionName: string;
  access: RouteAccess;
}

const staff = (...roles: StaffRole[]): RouteAccess => ({ kind: 'staff', roles });

export const routes = [
  {
    id: 'SubmitNotification',
    method: 'POST',
    path: '/api/notifications',
    functionName: 'intake',
    access: staff('notifier', 'partnership-team'),
  },
  // The local authority's notification to the Panel (issue 10 part 5): uploaded by the notifier
  // who sent the notification, or the partnership team, before the papers are collated.
  {
    id: 'UploadPanelNotification',
    method: 'POST',
    path: '/api/cases/{caseId}/panel-notification',
    functionName: 'intake',
    access: staff('notifier', 'partnership-team'),
  },
  {
    id: 'GetCase',
    method: 'GET',
    path: '/api/cases/{caseId}',
    functionName: 'get-case',
    access: staff('partnership-team', 'rrg-member', 'rrg-chair', 'safeguarding-partner', 'executive-board'),
  },
  {
    id: 'RecordDecision',
    method: 'POST',
    path: '/api/cases/{caseId}/decision',
    functionName: 'record-decision',
    access: staff('rrg-chair'),
  },
  // The rapid review report (issue 9 part 5), drafted by the partnership team.
  {
    id: 'SaveReportSection',
    method: 'PUT',
    path: '/api/cases/{caseId}/report/sections/{section}',
    functionName: 'rapid-review-report',
    access: staff('partnership-team'),
  },
  {
    id: 'CompleteReport',
    method: 'POST',
    path: '/api/cases/{caseId}/report/complete',
    functionName: 'rapid-review-report',
    access: staff('partnership-team'),
  },
  // The partners' sign-offs on the chair's decision, and the Executive Board chair's resolution
  // of a partner's disagreement (issue 9 part 4).
  {
    id: 'RecordSignOff',
    method: 'POST',
    path: '/api/cases/{caseId}/sign-offs',
    functionName: 'record-sign-off',
    access: staff('safeguarding-partner'),
  },
  {
    id: 'ResolveSignOffs',
    method: 'POST',
    path: '/api/cases/{caseId}/sign-offs/resolution',
    functionName: 'record-sign-off',
    access: staff('executive-board'),
  },
  // The Panel's reply (issue 9 part 6).
  {
    id: 'RecordPanelReply',
    method: 'POST',
    path: '/api/cases/{caseId}/panel-reply',
    functionName: 'record-panel-reply',
    access: staff('partnership-team'),
  },
  // The partnership team steers a running case (issue 9 parts 3 and 6).
  {
    id: 'RecordLateReason',
    method: 'POST',
    path: '/api/cases/{caseId}/late-reason',
    functionName: 'steer-case',
    access: staff('partnership-team'),
  },
  {
    id: 'CloseAsNotificationOnly',
    method: 'POST',
    path: '/api/cases/{caseId}/notification-only',
    functionName: 'steer-case',
    access: staff('partnership-team'),
  },
  // The partnership team steers the case (issue 10 part 3): adds an agency, replaces a contact,
  // resends a link, removes an agency (POST …/remove: a body on DELETE is awkward for clients),
  // withdraws the case.
  {
    id: 'AddAgency',
    method: 'POST',
    path: '/api/cases/{caseId}/agencies',
    functionName: 'steer-case',
    access: staff('partnership-team'),
  },
  {
    id: 'ReplaceAgencyContact',
    method: 'PUT',
    path: '/api/cases/{caseId}/agencies/{agencyId}/contact',
    functionName: 'steer-case',
    access: staff('partnership-team'),
  },
  {
    id: 'ResendAgencyLink',
    method: 'POST',
    path: '/api/cases/{caseId}/agencies/{agencyId}/resend',
    functionName: 'steer-case',
    access: staff('partnership-team'),
  },
  {
    id: 'RemoveAgency',
    method: 'POST',
    path: '/api/cases/{caseId}/agencies/{agencyId}/remove',
    functionName: 'steer-case',
    access: staff('partnership-team'),
  },
  // The team makes an agency's return (issue 10 part 3): on its behalf before collation; a late
  // one after collation, sent to the Rapid Review Group as an addendum to the papers.
  {
    id: 'ReturnOnBehalf',
    method: 'PUT',
    path: '/api/cases/{caseId}/agencies/{agencyId}/return',
    functionName: 'steer-case',
    access: staff('partnership-team'),
  },
  {
    id: 'AcceptLateReturn',
    method: 'POST',
    path: '/api/cases/{caseId}/agencies/{agencyId}/late-return',
    functionName: 'steer-case',
    access: staff('partnership-team'),
  },
  {
    id: 'WithdrawCase',
    method: 'POST',
    path: '/api/cases/{caseId}/withdraw',
    functionName: 'steer-case',
    access: staff('partnership-team'),
  },
  // The team corrects the notification's details (issue 10 part 3): each change a version.
  {
    id: 'EditNotification',
    method: 'PUT',
    path: '/api/cases/{caseId}/notification',
    functionName: 'steer-case',
    access: staff('partnership-team'),
  },
  // The Rapid Review Group meeting (issue 9 part 4): scheduled, attended, minuted; and the
  // Panel's letter, uploaded once its reply is recorded.
  {
    id: 'ScheduleMeeting',
    method: 'PUT',
    path: '/api/cases/{caseId}/meeting',
    functionName: 'rrg-meeting',
    access: staff('partnership-team'),
  },
  {
    id: 'RecordMeetingAttendance',
    method: 'PUT',
    path: '/api/cases/{caseId}/meeting/attendance',
    functionName: 'rrg-meeting',
    access: staff('partnership-team'),
  },
  {
    id: 'UploadMeetingMinutes',
    method: 'POST',
    path: '/api/cases/{caseId}/meeting/minutes',
    functionName: 'rrg-meeting',
    access: staff('partnership-team'),
  },
  {
    id: 'UploadPanelLetter',
    method: 'POST',
    path: '/api/cases/{caseId}/panel-reply/letter',
    functionName: 'rrg-meeting',
    access: staff('partnership-team'),
  },
  // Local Child Safeguarding Practice Reviews through the API (issue 13): every review and one
  // review (read only), and commissioning one from a Rapid Review, as the case's pages do.
  {
    id: 'ListLocalReviews',
    method: 'GET',
    path: '/api/local-reviews',
    functionName: 'get-local-reviews',
    access: staff('partnership-team'),
  },
  {
    id: 'GetLocalReview',
    method: 'GET',
    path: '/api/local-reviews/{reviewId}',
    functionName: 'get-local-reviews',
    access: staff('partnership-team', 'reviewer'),
  },
  {
    id: 'CommissionLocalReview',
    method: 'POST',
    path: '/api/cases/{caseId}/local-review',
    functionName: 'commission-local-review',
    access: staff('partnership-team'),
  },
  {
    id: 'GetAgencyRequest',
    method: 'GET',
    path: '/api/agency/{token}',
    functionName: 'agency-return',
    access: { kind: 'capability-link' },
  },
  {
    id: 'CreateAgencyUpload',
    method: 'POST',
    path: '/api/agency/{token}/uploads',
    functionName: 'agency-return',
    access: { kind: 'capability-link' },
  },
  {
    id: 'SubmitAgencyReturn',
    method: 'PUT',
    path: '/api/agency/{token}/return',
    functionName: 'agency-return',
    access: { kind: 'capability-link' },
  },
  // The agency return pages (functions/agency-web), apart from the staff pages: the token in
  // the path is the authorisation. Listed before the catch-all so the local API, which takes
  // the first match, agrees with API Gateway, which takes the most specific.
  // The child's identifying details for an agency's contact, behind a code emailed to the
  // addressed mailbox (functions/agency-details, issue 10 part 1). Before AgencyPage's routes.
  {
    id: 'AgencyDetailsPage',
    method: 'GET',
    path: '/agency/{token}/details',
    functionName: 'agency-details',
    access: { kind: 'capability-link' },
  },
  {
    id: 'AgencyDetailsCode',
    method: 'POST',
    path: '/agency/{token}/details/code',
    functionName: 'agency-details',
    access: { kind: 'capability-link' },
  },
  {
    id: 'AgencyDetailsVerifyPage',
    method: 'GET',
    path: '/agency/{token}/details/verify',
    functionName: 'agency-details',
    access: { kind: 'capability-link' },
  },
  {
    id: 'AgencyDetailsVerify',
    method: 'POST',
    path: '/agency/{token}/details/verify',
    functionName: 'agency-details',
    access: { kind: 'capability-link' },
  },
  {
    id: 'AgencyPage',
    method: 'GET',
    path: '/agency/{token}',
    functionName: 'agency-web',
    access: { kind: 'capability-link' },
  },
  {
    id: 'AgencyUploadedPage',
    method: 'GET',
    path: '/agency/{token}/uploaded',
    functionName: 'agency-web',
    access: { kind: 'capability-link' },
  },
  // The structured return's question pages, check your answers and receipt (GET and POST).
  {
    id: 'AgencyReturnPage',
    method: 'ANY',
    path: '/agency/{token}/return',
    functionName: 'agency-web',
    access: { kind: 'capability-link' },
  },
  {
    id: 'AgencyReturnPages',
    method: 'ANY',
    path: '/agency/{token}/return/{proxy+}',
    functionName: 'agency-web',
    access: { kind: 'capability-link' },
  },
  // The GOV.UK pages (functions/web): the start page, and every other path, which API Gateway
  // matches here only when no route above is more specific. Listed last so the local API,
  // which takes the first match, agrees.
  {
    id: 'StartPage',
    method: 'GET',
    path: '/',
    functionName: 'web',
    access: { kind: 'web' },
  },
  // The partnership's figures (functions/insight-web, issue 14): the dashboard for the team and
  // the Executive Board; the scrutineer's six-monthly report (their home), its commentary and PDF.
  {
    id: 'InsightPagesDashboard',
    method: 'ANY',
    path: '/dashboard',
    functionName: 'insight-web',
    access: { kind: 'web' },
  },
  {
    id: 'InsightPagesScrutiny',
    method: 'ANY',
    path: '/scrutiny',
    functionName: 'insight-web',
    access: { kind: 'web' },
  },
  {
    id: 'InsightPagesScrutinyCommentary',
    method: 'ANY',
    path: '/scrutiny/report/commentary',
    functionName: 'insight-web',
    access: { kind: 'web' },
  },
  {
    id: 'InsightPagesScrutinyPdf',
    method: 'ANY',
    path: '/scrutiny/report/pdf',
    functionName: 'insight-web',
    access: { kind: 'web' },
  },
  // Each role's home (functions/home-web): the partnership team's list of cases (and its CSV),
  // the Rapid Review Group's cases, one review for the scrutineer, the notifier's notifications. Its own
  // paths only: `/cases/{caseId}` stays the web function's (WebPages), the pages under a case
  // case-web's (CasePages).
  {
    id: 'HomePagesCases',
    method: 'ANY',
    path: '/cases',
    functionName: 'home-web',
    access: { kind: 'web' },
  },
  {
    id: 'HomePagesCasesCsv',
    method: 'ANY',
    path: '/cases.csv',
    functionName: 'home-web',
    access: { kind: 'web' },
  },
  {
    id: 'HomePagesYourCases',
    method: 'ANY',
    path: '/your-cases',
    functionName: 'home-web',
    access: { kind: 'web' },
  },
  {
    id: 'HomePagesScrutinyCase',
    method: 'ANY',
    path: '/scrutiny/{caseId}',
    functionName: 'home-web',
    access: { kind: 'web' },
  },
  {
    id: 'HomePagesYourNotifications',
    method: 'ANY',
    path: '/your-notifications',
    functionName: 'home-web',
    access: { kind: 'web' },
  },
  {
    id: 'HomePagesYourNotification',
    method: 'ANY',
    path: '/your-notifications/{caseId}',
    functionName: 'home-web',
    access: { kind: 'web' },
  },
  // The partnership team's controls on a running case (functions/team-web), before CasePages,
  // which would match them too (API Gateway picks the more specific route; the local stack, the
  // first that matches).
  {
    id: 'TeamPagesLateReason',
    method: 'ANY',
    path: '/cases/{caseId}/late-reason',
    functionName: 'team-web',
    access: { kind: 'web' },
  },
  {
    id: 'TeamPagesLateReasonSteps',
    method: 'ANY',
    path: '/cases/{caseId}/late-reason/{proxy+}',
    functionName: 'team-web',
    access: { kind: 'web' },
  },
  {
    id: 'TeamPagesNotificationOnly',
    method: 'ANY',
    path: '/cases/{caseId}/notification-only',
    functionName: 'team-web',
    access: { kind: 'web' },
  },
  {
    id: 'TeamPagesNotificationOnlySteps',
    method: 'ANY',
    path: '/cases/{caseId}/notification-only/{proxy+}',
    functionName: 'team-web',
    access: { kind: 'web' },
  },
  {
    id: 'TeamPagesAddAgency',
    method: 'ANY',
    path: '/cases/{caseId}/add-agency',
    functionName: 'team-web',
    access: { kind: 'web' },
  },
  {
    id: 'TeamPagesAddAgencySteps',
    method: 'ANY',
    path: '/cases/{caseId}/add-agency/{proxy+}',
    functionName: 'team-web',
    access: { kind: 'web' },
  },
  {
    id: 'TeamPagesWithdraw',
    method: 'ANY',
    path: '/cases/{caseId}/withdraw',
    functionName: 'team-web',
    access: { kind: 'web' },
  },
  {
    id: 'TeamPagesWithdrawSteps',
    method: 'ANY',
    path: '/cases/{caseId}/withdraw/{proxy+}',
    functionName: 'team-web',
    access: { kind: 'web' },
  },
  {
    id: 'TeamPagesAgencies',
    method: 'ANY',
    path: '/cases/{caseId}/agencies/{proxy+}',
    functionName: 'team-web',
    access: { kind: 'web' },
  },
  // The partnership directory (issue 11 part 6), kept by the partnership team on team-web's pages.
  {
    id: 'TeamPagesDirectory',
    method: 'ANY',
    path: '/directory',
    functionName: 'team-web',
    access: { kind: 'web' },
  },
  {
    id: 'TeamPagesDirectorySteps',
    method: 'ANY',
    path: '/directory/{proxy+}',
    functionName: 'team-web',
    access: { kind: 'web' },
  },
  // A local review's work in writing (issue 13 parts 3 and 4, functions/local-review-drafts-web):
  // learning events, the family plan, supervision, the drafts; before LocalReviewPagesSteps, which
  // would match them too. And an agency's factual-accuracy page, reached by its link.
  {
    id: 'LocalReviewDraftsPagesLearningEvents',
    method: 'ANY',
    path: '/local-reviews/{reviewId}/learning-events',
    functionName: 'local-review-drafts-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewDraftsPagesLearningEventsSteps',
    method: 'ANY',
    path: '/local-reviews/{reviewId}/learning-events/{proxy+}',
    functionName: 'local-review-drafts-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewDraftsPagesFamilyPlan',
    method: 'ANY',
    path: '/local-reviews/{reviewId}/family-plan',
    functionName: 'local-review-drafts-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewDraftsPagesFamilyPlanSteps',
    method: 'ANY',
    path: '/local-reviews/{reviewId}/family-plan/{proxy+}',
    functionName: 'local-review-drafts-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewDraftsPagesSupervision',
    method: 'ANY',
    path: '/local-reviews/{reviewId}/supervision',
    functionName: 'local-review-drafts-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewDraftsPagesSupervisionSteps',
    method: 'ANY',
    path: '/local-reviews/{reviewId}/supervision/{proxy+}',
    functionName: 'local-review-drafts-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewDraftsPagesDrafts',
    method: 'ANY',
    path: '/local-reviews/{reviewId}/drafts',
    functionName: 'local-review-drafts-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewDraftsPagesDraftsSteps',
    method: 'ANY',
    path: '/local-reviews/{reviewId}/drafts/{proxy+}',
    functionName: 'local-review-drafts-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewDraftsPagesFactualAccuracy',
    method: 'ANY',
    path: '/factual-accuracy/{token}',
    functionName: 'local-review-drafts-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewDraftsPagesFactualAccuracySteps',
    method: 'ANY',
    path: '/factual-accuracy/{token}/{proxy+}',
    functionName: 'local-review-drafts-web',
    access: { kind: 'web' },
  },
  // Learning that sticks (issue 14 parts 1 and 2, functions/learning-web): a review's learning
  // themes, learning points and actions, before CasePages and LocalReviewPagesSteps, which would
  // match them too; every open action and the progress report; each action owner's page under
  // their link (a capability in the path, like an agency's).
  {
    id: 'LearningPagesCase',
    method: 'ANY',
    path: '/cases/{caseId}/learning',
    functionName: 'learning-web',
    access: { kind: 'web' },
  },
  {
    id: 'LearningPagesCaseSteps',
    method: 'ANY',
    path: '/cases/{caseId}/learning/{proxy+}',
    functionName: 'learning-web',
    access: { kind: 'web' },
  },
  {
    id: 'LearningPagesLocalReview',
    method: 'ANY',
    path: '/local-reviews/{reviewId}/learning',
    functionName: 'learning-web',
    access: { kind: 'web' },
  },
  {
    id: 'LearningPagesLocalReviewSteps',
    method: 'ANY',
    path: '/local-reviews/{reviewId}/learning/{proxy+}',
    functionName: 'learning-web',
    access: { kind: 'web' },
  },
  {
    id: 'LearningPagesActions',
    method: 'ANY',
    path: '/actions',
    functionName: 'learning-web',
    access: { kind: 'web' },
  },
  {
    id: 'LearningPagesActionsSteps',
    method: 'ANY',
    path: '/actions/{proxy+}',
    functionName: 'learning-web',
    access: { kind: 'web' },
  },
  {
    id: 'LearningPagesOwner',
    method: 'ANY',
    path: '/action/{token}',
    functionName: 'learning-web',
    access: { kind: 'web' },
  },
  {
    id: 'LearningPagesOwnerSteps',
    method: 'ANY',
    path: '/action/{token}/{proxy+}',
    functionName: 'learning-web',
    access: { kind: 'web' },
  },
  // A local review's enquiry (issue 13, functions/local-review-work-web): the reviewer's home, the
  // declarations, the requests for information and the merged chronology, before
  // LocalReviewPagesSteps, which would match them too; and the agency's pages under its link.
  {
    id: 'LocalReviewWorkPagesHome',
    method: 'ANY',
    path: '/your-reviews',
    functionName: 'local-review-work-web',
    access: { kind: 'web' },
  },
  // Every local review, for the partnership team (functions/local-review-work-web, beside the
  // reviewer's own list).
  {
    id: 'LocalReviewWorkPagesList',
    method: 'ANY',
    path: '/local-reviews',
    functionName: 'local-review-work-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewWorkPages',
    method: 'ANY',
    path: '/local-reviews/{reviewId}/enquiry',
    functionName: 'local-review-work-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewWorkPagesSteps',
    method: 'ANY',
    path: '/local-reviews/{reviewId}/enquiry/{proxy+}',
    functionName: 'local-review-work-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewAgencyPages',
    method: 'ANY',
    path: '/local-review-agency/{reviewId}/{proxy+}',
    functionName: 'local-review-work-web',
    access: { kind: 'web' },
  },
  // Local Child Safeguarding Practice Reviews (issue 13, functions/local-review-web): starting one
  // from a Rapid Review, before CasePages, which would match it too; and the review's own pages.
  {
    id: 'LocalReviewPagesStart',
    method: 'ANY',
    path: '/cases/{caseId}/local-review',
    functionName: 'local-review-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewPagesStartSteps',
    method: 'ANY',
    path: '/cases/{caseId}/local-review/{proxy+}',
    functionName: 'local-review-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewPages',
    method: 'ANY',
    path: '/local-reviews/{reviewId}',
    functionName: 'local-review-web',
    access: { kind: 'web' },
  },
  {
    id: 'LocalReviewPagesSteps',
    method: 'ANY',
    path: '/local-reviews/{reviewId}/{proxy+}',
    functionName: 'local-review-web',
    access: { kind: 'web' },
  },
  // The Practice Review Group's pages (issue 13, functions/prg-web): referrals of cases that were
  // not notifiable, the strategic lead's approval by their link, the group's decision and the
  // local review commissioned from a referral; before WebPages, which would match them too.
  {
    id: 'PrgPages',
    method: 'ANY',
    path: '/practice-review-group',
    functionName: 'prg-web',
    access: { kind: 'web' },
  },
  {
    id: 'PrgPagesSteps',
    method: 'ANY',
    path: '/practice-review-group/{proxy+}',
    functionName: 'prg-web',
    access: { kind: 'web' },
  },
  // The operations pages (functions/ops-web, issue 12 part 4): every execution of the workflow,
  // one execution, and resuming a failed case; before WebPages, which would match them too.
  {
    id: 'OpsPages',
    method: 'ANY',
    path: '/ops',
    functionName: 'ops-web',
    access: { kind: 'web' },
  },
  {
    id: 'OpsPagesSteps',
    method: 'ANY',
    path: '/ops/{proxy+}',
    functionName: 'ops-web',
    access: { kind: 'web' },
  },
  {
    // Correcting the notification (issue 10 part 3): its pages are the web function's, which
    // already holds the duplicate-check key and the case page's notification, so the case pages'
    // bundle stays within 1 MiB. More specific than CasePages, and before it for the local API.
    id: 'NotificationEditPages',
    method: 'ANY',
    path: '/cases/{caseId}/notification/{proxy+}',
    functionName: 'web',
    access: { kind: 'web' },
  },
  // Notifying a serious incident (functions/notify-web): /notify and every page under it;
  // before WebPages, which would match them too.
  {
    id: 'NotifyPagesStart',
    method: 'ANY',
    path: '/notify',
    functionName: 'notify-web',
    access: { kind: 'web' },
  },
  {
    id: 'NotifyPages',
    method: 'ANY',
    path: '/notify/{proxy+}',
    functionName: 'notify-web',
    access: { kind: 'web' },
  },
  {
    // Every page under one case (functions/case-web); before WebPages, which would match it too
    // (API Gateway picks the more specific route; the local stack, the first that matches).
    id: 'CasePages',
    method: 'ANY',
    path: '/cases/{caseId}/{proxy+}',
    functionName: 'case-web',
    access: { kind: 'web' },
  },
  {
    id: 'WebPages',
    method: 'ANY',
    path: '/{proxy+}',
    functionName: 'web',
    access: { kind: 'web' },
  },
] as const satisfies readonly Route[];

/** A path parameter decoded; one whose percent-encoding is malformed is left as given, for the handler to refuse. */
function decodedOrAsGiven(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Finds the route for a method and a concrete path, with its path parameters. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; pathParameters: Record<string, string> } | undefined {
  for (const route of routes as readonly Route[]) {
    if (route.method !== method && route.method !== 'ANY') continue;
    const names: string[] = [];
    const pattern = route.path.replace(/\{([^}+]+)(\+?)\}/g, (_, name: string, greedy: string) => {
      names.push(name);
      return greedy ? '(.+)' : '([^/]+)';
    });
    const match = new RegExp(`^${pattern}$`).exec(path);
    if (!match) continue;
    const pathParameters: Record<string, string> = {};
    names.forEach((name, index) => {
      pathParameters[name] = decodedOrAsGiven(match[index + 1] ?? '');
    });
    return { route, pathParameters };
  }
  return undefined;
}
