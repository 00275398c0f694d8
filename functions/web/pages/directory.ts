import { DomainError, type InvalidField, InvalidInputError } from '../../../shared/errors.ts';
import type { DirectoryEntry } from '../../../shared/schemas/directory.ts';
import { agencyId as agencyIdSchema } from '../../../shared/schemas/primitives.ts';
import {
  addDirectoryEntry,
  changeDirectoryEntry,
  type DirectoryAnswers,
  directoryAnswerProblems,
  directoryEntryOf,
  directoryFields,
  partnershipDirectory,
  removeDirectoryEntry,
} from '../../../shared/use-cases/partnership-directory.ts';
import { formErrors } from '../forms.ts';
import { notFound, type Page, type PageResult, redirect, render, type WebRequest } from '../page.ts';
import { directoryMenuPage } from './menu.ts';

/**
 * The partnership directory (issue 11 part 6), kept by the partnership team: its agencies, each
 * with its usual single point of contact and its strategic lead. Each change is a question page,
 * a check-your-answers page and a confirm that redirects back to the list with a success banner
 * (post/redirect/get); the answers travel in the forms.
 *
 *   GET  /directory                            the agencies
 *   GET  /directory/add                        add an agency (POST: again with the answers; POST …/check; POST …/confirm)
 *   GET  /directory/{agencyId}/change          change one (the same four pages)
 *   GET  /directory/{agencyId}/remove          check before removing one (POST …/confirm removes it)
 */

const access = directoryMenuPage.access;
type Field = keyof DirectoryAnswers;
const fields = Object.keys(directoryFields) as Field[];

const answersFrom = (form: URLSearchParams): DirectoryAnswers => ({
  name: form.get('name') ?? '',
  contactName: form.get('contactName') ?? '',
  contactEmail: form.get('contactEmail') ?? '',
  leadName: form.get('leadName') ?? '',
  leadEmail: form.get('leadEmail') ?? '',
});

const answersOf = (entry: DirectoryEntry): DirectoryAnswers => ({
  name: entry.name,
  contactName: entry.contact?.name ?? '',
  contactEmail: entry.contact?.email ?? '',
  leadName: entry.strategicLead?.name ?? '',
  leadEmail: entry.strategicLead?.email ?? '',
});

/**
 * The entry's version a form carries: a whole number, or 0 (which no stored entry has, so a
 * tampered form is refused as a change made on an older reading).
 */
const versionFrom = (given: string | null | undefined): number =>
  given && /^[1-9]\d{0,8}$/.test(given) ? Number(given) : 0;

/** Whom a person is, in one line: "Name (email)", or the words for nobody. */
const personLine = (person: DirectoryEntry['contact'], nobody: string) =>
  person ? `${person.name} (${person.email})` : nobody;

/** The flow an agency is added or changed through: its path, and the entry when it changes one. */
interface Flow {
  path: string;
  entry?: DirectoryEntry;
  version: string;
}

function question(flow: Flow, answers: DirectoryAnswers, errors?: InvalidField[]): PageResult {
  return render(
    'directory/question.njk',
    {
      pageTitle: flow.entry ? `Change ${flow.entry.name}` : 'Add an agency to the directory',
      action: `${flow.path}/check`,
      version: flow.version,
      fields: fields.map((field) => ({ field, label: directoryFields[field].label })),
      answers,
      ...(errors?.length ? { errors: formErrors(errors) } : {}),
    },
    errors?.length ? 400 : 200,
  );
}

function check(flow: Flow, answers: DirectoryAnswers): PageResult {
  return render('directory/check.njk', {
    pageTitle: flow.entry ? 'Check the agency before you change it' : 'Check the agency before you add it',
    flowPath: flow.path,
    version: flow.version,
    rows: fields.map((field) => ({
      field,
      label: directoryFields[field].label,
      value: answers[field].trim() || 'Not given',
      given: answers[field],
    })),
    button: flow.entry ? 'Save the changes' : 'Add the agency',
  });
}

function problem(title: string, detail: string, status: number): PageResult {
  return render('directory/problem.njk', { pageTitle: title, detail }, status);
}

/** What a refused change shows: the questions again naming the fields, or the refusal in words. */
function refused(error: unknown, flow: Flow, answers: DirectoryAnswers): PageResult {
  if (error instanceof InvalidInputError) return question(flow, answers, error.fields);
  if (!(error instanceof DomainError)) throw error;
  if (error.kind === 'not-found') return notFound();
  return problem(
    'Someone else changed the directory',
    'Someone changed this agency while you were working on it. Go back to the directory, check the agency and make your change again.',
    409,
  );
}

/** The entry a page is about, or undefined when it is not in the directory. */
async function entryOf(request: WebRequest): Promise<DirectoryEntry | undefined> {
  const agencyId = agencyIdSchema.safeParse(request.params.agencyId);
  return agencyId.success ? directoryEntryOf(request.service, agencyId.data) : undefined;
}

/** The four pages of adding or changing, for `path` (with `{agencyId}` when changing). */
function editPages(path: string, changing: boolean): Page[] {
  const load = async (request: WebRequest): Promise<Flow | undefined> => {
    if (!changing) return { path, version: '' };
    const entry = await entryOf(request);
    if (!entry) return undefined;
    const version = request.form.get('version') || String(entry.version);
    return { path: path.replace('{agencyId}', entry.agencyId), entry, version };
  };
  const step =
    (run: (request: WebRequest, flow: Flow) => PageResult | Promise<PageResult>) =>
    async (request: WebRequest): Promise<PageResult> => {
      const flow = await load(request);
      return flow ? run(request, flow) : notFound();
    };
  return [
    {
      method: 'GET',
      path,
      access,
      handle: step((_request, flow) =>
        question(flow, flow.entry ? answersOf(flow.entry) : answersFrom(new URLSearchParams())),
      ),
    },
    {
      method: 'POST',
      path,
      access,
      handle: step((request, flow) => question(flow, answersFrom(request.form))),
    },
    {
      method: 'POST',
      path: `${path}/check`,
      access,
      handle: step(async (request, flow) => {
        const answers = answersFrom(request.form);
        const { entries } = await partnershipDirectory(request.service);
        const others = entries.filter((entry) => entry.agencyId !== flow.entry?.agencyId);
        const problems = directoryAnswerProblems(answers, others);
        return problems.length ? question(flow, answers, problems) : check(flow, answers);
      }),
    },
    {
      method: 'POST',
      path: `${path}/confirm`,
      access,
      handle: step(async (request, flow) => {
        const answers = answersFrom(request.form);
        try {
          if (!flow.entry) {
            const added = await addDirectoryEntry(request.service, answers);
            return redirect(`/directory?added=${added.agencyId}`);
          }
          await changeDirectoryEntry(request.service, {
            agencyId: flow.entry.agencyId,
            version: versionFrom(flow.version),
            answers,
          });
          return redirect(`/directory?changed=${flow.entry.agencyId}`);
        } catch (error) {
          return refused(error, flow, answers);
        }
      }),
    },
  ];
}

/** The success banner the list shows after a change, from the redirect's query. */
function bannerOf(query: URLSearchParams, entries: readonly DirectoryEntry[]): string | undefined {
  const named = (key: string) => entries.find((entry) => entry.agencyId === query.get(key))?.name;
  const added = named('added');
  if (added) return `${added} is added to the directory`;
  const changed = named('changed');
  if (changed) return `${changed} is changed`;
  if (query.get('removed') === '1') return 'The agency is removed from the directory';
  return undefined;
}

export const directoryPages: Page[] = [
  {
    ...directoryMenuPage,
    async handle(request) {
      const { kept, entries } = await partnershipDirectory(request.service);
      return render('directory/list.njk', {
        pageTitle: 'Partnership directory',
        kept,
        banner: bannerOf(request.query, entries),
        agencies: entries.map((entry) => ({
          agencyId: entry.agencyId,
          name: entry.name,
          contact: personLine(entry.contact, 'None yet: notifiers add one by hand'),
          lead: personLine(entry.strategicLead, 'None'),
        })),
      });
    },
  },
  ...editPages('/directory/add', false),
  ...editPages('/directory/{agencyId}/change', true),
  {
    method: 'GET',
    path: '/directory/{agencyId}/remove',
    access,
    async handle(request) {
      const entry = await entryOf(request);
      if (!entry) return notFound();
      return render('directory/remove.njk', {
        pageTitle: `Remove ${entry.name} from the directory`,
        entry,
        contact: personLine(entry.contact, 'None'),
        lead: personLine(entry.strategicLead, 'None'),
      });
    },
  },
  {
    method: 'POST',
    path: '/directory/{agencyId}/remove/confirm',
    access,
    async handle(request) {
      const entry = await entryOf(request);
      if (!entry) return notFound();
      try {
        await removeDirectoryEntry(request.service, {
          agencyId: entry.agencyId,
          version: versionFrom(request.form.get('version') || String(entry.version)),
        });
        return redirect('/directory?removed=1');
      } catch (error) {
        return refused(
          error,
          { path: `/directory/${entry.agencyId}/change`, entry, version: '' },
          answersOf(entry),
        );
      }
    },
  },
];
