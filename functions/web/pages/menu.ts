import { staffOnly } from '../page.ts';

/**
 * The service navigation's entries, as data: the pages that carry them (notify.ts, cases.ts)
 * take their path, access and menu from here, and the case pages' function (functions/case-web),
 * which serves neither page, shows the same navigation from here without loading them.
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

/** Every entry, in the order of the service navigation. */
export const staffMenuPages = [notifyMenuPage, casesMenuPage] as const;
