/**
 * A browser's worth of the service's pages for the demo: a cookie jar, forms posted with the CSRF
 * token of the page they are on, as a person's browser would post them.
 */
export class PagesClient {
  readonly #baseUrl: string;
  readonly #cookies = new Map<string, string>();

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async request(
    path: string,
    init: { method?: string; form?: Record<string, string | string[]>; body?: FormData } = {},
  ) {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(init.form ?? {})) {
      for (const item of [value].flat()) form.append(name, item);
    }
    const response = await fetch(`${this.#baseUrl}${path}`, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(init.body ? { body: init.body } : init.form ? { body: form } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) this.#cookies.set(name.trim(), value.join('='));
    }
    return {
      status: response.status,
      location: response.headers.get('location') ?? '',
      html: await response.text(),
    };
  }

  /** The CSRF token of a page's form. */
  static csrfOf(html: string): string {
    const token = /name="csrfToken" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error('The page has no form to post');
    return token;
  }

  /** What the error summary of a refused form says, or its status. */
  static #refusal(posted: { status: number; html: string }): string {
    return (
      /<li><a href="[^"]*">([^<]+)<\/a><\/li>/.exec(posted.html)?.[1] ??
      /<p class="govuk-body">([^<]+)<\/p>/.exec(posted.html.slice(posted.html.indexOf('<main')))?.[1] ??
      `status ${posted.status}`
    );
  }

  /** Reads `page`, then posts `form` to `action` with the page's CSRF token; answers where it was sent (a 303). */
  async submit(page: string, action: string, form: Record<string, string | string[]>): Promise<string> {
    const read = await this.request(page);
    if (read.status !== 200) throw new Error(`GET ${page} answered ${read.status}`);
    return this.post(action, { ...form, csrfToken: PagesClient.csrfOf(read.html) });
  }

  /**
   * Posts `form` to `action` as it is: for a page whose link is its own capability (an agency's
   * link), which asks for no CSRF token. Answers where it was sent (a 303).
   */
  async post(action: string, form: Record<string, string | string[]>): Promise<string> {
    const posted = await this.request(action, { method: 'POST', form });
    if (posted.status !== 303) throw new Error(`POST ${action} was refused: ${PagesClient.#refusal(posted)}`);
    return posted.location;
  }

  /** Reads `page`, then posts a multipart form with one file to `action`, as the upload pages take it. */
  async upload(
    page: string,
    action: string,
    fields: Record<string, string>,
    file: { field: string; name: string; type: string; bytes: Uint8Array },
  ): Promise<string> {
    const read = await this.request(page);
    if (read.status !== 200) throw new Error(`GET ${page} answered ${read.status}`);
    const body = new FormData();
    body.append('csrfToken', PagesClient.csrfOf(read.html));
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    body.append(file.field, new Blob([file.bytes], { type: file.type }), file.name);
    const posted = await this.request(action, { method: 'POST', body });
    if (posted.status !== 303) throw new Error(`POST ${action} was refused: ${PagesClient.#refusal(posted)}`);
    return posted.location;
  }

  async signIn(role: string): Promise<void> {
    const location = await this.submit('/sign-in', '/sign-in', { role, returnTo: '/' });
    if (!location) throw new Error('Signing in did not redirect');
  }
}
