import { staffOnly } from '../page.ts';

/**
 * The service navigation's entries, as data: the pages that carry them (notify.ts, case-list.ts
 * and each role's home) take their path, access and menu from here, and the functions that serve
 * none of them (functions/case-web, functions/team-web) show the same navigation from here
 * without loading them.
 */
export const notifyMenuPage = {
  method: 'GET',
  path: '/notify',
  access: staffOnly('notifier', 'partnership-team'),
  menu: {
    text: 'Notify a serious incident',
    description:
      'Tell the partnership about a child’s death or serious harm. Sending it starts the Rapid Review.',
  },
} as const;

export const casesMenuPage = {
  method: 'GET',
  path: '/cases',
  access: staffOnly('partnership-team'),
  menu: {
    text: 'Cases',
    description: 'Every open case: where it stands, its next deadline and any step that is overdue.',
  },
} as const;

/**
 * Every local review (issue 13), served by functions/local-review-work-web: the partnership
 * team's list of Local Child Safeguarding Practice Reviews, beside its list of cases.
 */
export const localReviewsMenuPage = {
  method: 'GET',
  path: '/local-reviews',
  access: staffOnly('partnership-team'),
  menu: {
    text: 'Local reviews',
    description:
      'Every local child safeguarding practice review: where it came from, where it stands, when it is due and who is reviewing it.',
  },
} as const;

// ── Each role's home (issue 11 part 2), served by functions/home-web ──────────────────────────

/** The Rapid Review Group's, the partners' and the Executive Board chair's home. */
export const yourCasesMenuPage = {
  method: 'GET',
  path: '/your-cases',
  access: staffOnly('rrg-member', 'rrg-chair', 'safeguarding-partner', 'executive-board'),
  menu: {
    text: 'Your cases',
    description: 'The Rapid Reviews in progress, what each needs from you and by when.',
  },
} as const;

/** The notifier's home: the notifications they sent. */
export const yourNotificationsMenuPage = {
  method: 'GET',
  path: '/your-notifications',
  access: staffOnly('notifier'),
  menu: {
    text: 'Your notifications',
    description: 'The notifications you sent: each one’s reference, when it was sent and what it said.',
  },
} as const;

/**
 * The partnership directory (issue 11 part 6), served by functions/team-web: the agencies, their
 * contacts and strategic leads, which the notify pages offer.
 */
export const directoryMenuPage = {
  method: 'GET',
  path: '/directory',
  access: staffOnly('partnership-team'),
  menu: {
    text: 'Partnership directory',
    description:
      'The agencies the partnership works with, each with its usual contact and strategic lead. Notifiers pick agencies from it.',
  },
} as const;

/**
 * The operations page (issue 12 part 4), served by functions/ops-web: the engineer on call's home,
 * every execution of the workflow and its graph.
 */
export const opsMenuPage = {
  method: 'GET',
  path: '/ops',
  access: staffOnly('operator'),
  menu: {
    text: 'Operations',
    description:
      'Every Rapid Review’s workflow: where each one is, which have failed and why, and resuming a failed one.',
  },
} as const;

/**
 * The Practice Review Group's referrals (issue 13 part 1), served by functions/prg-web: the group
 * member's home, and the partnership team's way to a referral decided for a local review.
 */
export const prgMenuPage = {
  method: 'GET',
  path: '/practice-review-group',
  access: staffOnly('prg-member', 'partnership-team'),
  menu: {
    text: 'Practice Review Group',
    description:
      'Cases that were not notifiable, referred by agencies: each referral, the group’s decision and whether it leads to a local review.',
  },
} as const;

/** The referrer's home (issue 13 part 1): the cases they referred to the Practice Review Group. */
export const yourReferralsMenuPage = {
  method: 'GET',
  path: '/practice-review-group/your-referrals',
  access: staffOnly('referrer'),
  menu: {
    text: 'Your referrals',
    description:
      'Refer a case that was not notifiable to the Practice Review Group, and see what happened to your referrals.',
  },
} as const;

/**
 * The action plans (issue 14 part 2), served by functions/learning-web: every open action across
 * all reviews, filtered, and the progress report for the partners.
 */
export const actionsMenuPage = {
  method: 'GET',
  path: '/actions',
  access: staffOnly('partnership-team'),
  menu: {
    text: 'Actions',
    description:
      'Every open action from the reviews’ recommendations: who owns it, when it is due, where it stands, and the progress report for the partners.',
  },
} as const;

// ── The partnership's figures (issue 14 parts 3 and 4), served by functions/insight-web ────────

/** The partnership's dashboard, for the partnership team and the Executive Board. */
export const dashboardMenuPage = {
  method: 'GET',
  path: '/dashboard',
  access: staffOnly('partnership-team', 'executive-board'),
  menu: {
    text: 'Dashboard',
    description:
      'The open reviews against their dates, a year of timeliness, agencies’ return rates: the partnership’s figures.',
  },
} as const;

/**
 * The Independent Scrutineer's home: the six-monthly report, with every review of the period
 * read only and without children's names.
 */
export const scrutinyMenuPage = {
  method: 'GET',
  path: '/scrutiny',
  access: staffOnly('scrutineer'),
  menu: {
    text: 'Scrutiny report',
    description:
      'The six-monthly report on the Rapid Reviews, with your commentary, and every review of the period read only.',
  },
} as const;

/**
 * A local review's reviewer's home (issue 13), served by functions/local-review-work-web: the
 * reviews they were appointed to, found by the email their sign-in gives.
 */
export const yourReviewsMenuPage = {
  method: 'GET',
  path: '/your-reviews',
  access: staffOnly('reviewer'),
  menu: {
    text: 'Your local reviews',
    description:
      'The local child safeguarding practice reviews you were appointed to: for each, the information asked of agencies and the merged chronology.',
  },
} as const;

/** Every entry, in the order of the service navigation. */
export const staffMenuPages = [
  notifyMenuPage,
  casesMenuPage,
  yourCasesMenuPage,
  yourNotificationsMenuPage,
  localReviewsMenuPage,
  directoryMenuPage,
  prgMenuPage,
  yourReferralsMenuPage,
  dashboardMenuPage,
  scrutinyMenuPage,
  actionsMenuPage,
  yourReviewsMenuPage,
  opsMenuPage,
] as const;
