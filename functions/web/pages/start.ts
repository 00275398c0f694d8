import { type Page, publicAccess, render } from '../page.ts';

/**
 * GET /: what the service is and a start button to sign in; signed in, the pages the person's
 * roles let them use (the layout's `menu`, built from each page's access).
 */
export const startPages: Page[] = [
  {
    method: 'GET',
    path: '/',
    access: publicAccess,
    handle: () => render('start.njk'),
  },
];
