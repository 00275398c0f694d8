import type { Page } from '../page.ts';
import { casePages } from './cases.ts';
import { editNotificationPages } from './edit-notification.ts';
import { serviceInformationPages } from './service-information.ts';
import { signInPages } from './sign-in.ts';
import { startPages } from './start.ts';

/**
 * The pages the web function serves: the start page, signing in and out, one case's page, and
 * the public pages every footer links to (each role's home, the cases list among them, is the
 * home pages' function's: functions/home-web, `home-pages.ts`; notifying a serious incident,
 * `/notify…`, the notify pages' function's: functions/notify-web, `notify-pages.ts`). Every page
 * under a case (`/cases/{caseId}/...`) is served by the case pages' function (functions/case-web,
 * `case-pages.ts`), so neither bundle holds both.
 * The order is the order of the service navigation and the start page's menu.
 */
export const webPages: readonly Page[] = [
  ...startPages,
  ...signInPages,
  ...casePages,
  // Correcting the notification (issue 10 part 3): under a case, but the web function's (see shared/routes.ts).
  ...editNotificationPages,
  // The footer's public pages: accessibility statement, privacy notice, cookies (every function's pages link here).
  ...serviceInformationPages,
];
