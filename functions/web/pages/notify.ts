import { randomUUID } from 'node:crypto';
import { rulesOf } from '../../../shared/config/partnership-profile.ts';
import { CaseNotFoundError, DomainError, InvalidInputError } from '../../../shared/errors.ts';
import type { MilestoneKey } from '../../../shared/rapid-review-rules.ts';
import { childLabel, type SeriousIncidentNotification } from '../../../shared/schemas/notification.ts';
import type { CaseFile } from '../../../shared/stores/case-store.ts';
import type { NotificationDraft } from '../../../shared/stores/draft-store.ts';
import { partnershipDirectory } from '../../../shared/use-cases/partnership-directory.ts';
import {
  type PossibleDuplicate,
  PossibleDuplicateError,
  submitNotification,
} from '../../../shared/use-cases/submit-notification.ts';
import { clocksInWords, clocksOf } from '../../../shared/workflow/clocks-wording.ts';
import { dayOneInWords } from '../../../shared/workflow/day-one-wording.ts';
import { formatInstant, formatWallClockTime } from '../../../shared/workflow/london-time.ts';
import { formValues } from '../forms.ts';
import { notFound, type Page, type PageResult, redirect, render, type WebRequest } from '../page.ts';
import { notifyMenuPage } from './menu.ts';
import {
  agencyFormValues,
  childFormValues,
  ethnicityRadios,
  householdFormValues,
  householdRows,
  incidentFormValues,
  londonDate,
  missingSections,
  notifierFormValues,
  type PageErrors,
  parallelFormValues,
  parallelProcessOptions,
  parseAgency,
  parseChild,
  parseHousehold,
  parseIncident,
  parseNotifier,
  parseParallelProcesses,
} from './notify/answers.ts';
import { checkAnswerSections, childDescription, timetableDates } from './notify/views.ts';

/**
 * Notify a serious incident: the notification of shared/schemas/notification.ts as GOV.UK
 * question pages. Each page's accepted answers are kept in the person's draft (DraftStore);
 * check your answers submits them through the same intake logic as `POST /api/notifications`,
 * with an Idempotency-Key made from the draft, so a double click or a resubmission opens one case.
 */

/** What the notify pages can be given besides the request's service. */
export interface NotifyOptions {
  /** Mints a draft's id; random by default. */
  newDraftId?: () => string;
}

export const MAX_CHILDREN = 4;
export const MAX_AGENCIES = 30;

/** Who may notify: the route table's SubmitNotification roles. */
const access = notifyMenuPage.access;

type Listed = 'children' | 'agencies';
type NotifiedAgencies = NonNullable<SeriousIncidentNotification['agencies']>;

/** The partnership directory's agencies a notifier can pick: those with a contact, by name. */
async function pickableAgencies(request: WebRequest) {
  const { entries } = await partnershipDirectory(request.service);
  return entries.flatMap((entry) => (entry.contact ? [{ ...entry, contact: entry.contact }] : []));
}

/** Where adding an agency starts: the directory's checkboxes when it has agencies to pick, else the form. */
async function addAgencyPath(request: WebRequest): Promise<string> {
  return (await pickableAgencies(request)).length ? '/notify/agencies/directory' : '/notify/agencies/new';
}

export function notifyPagesWith(options: NotifyOptions = {}): Page[] {
  const newDraftId = options.newDraftId ?? randomUUID;

  const userIdOf = (request: WebRequest): string => {
    // Staff pages always have a user (the router sends others to sign in).
    if (!request.user) throw new Error('A notify page ran without a signed-in person');
    return request.user.id;
  };
  const loadDraft = (request: WebRequest) => request.service.drafts.getDraft(userIdOf(request));
  const draftOrNew = async (request: WebRequest): Promise<NotificationDraft> =>
    (await loadDraft(request)) ?? { draftId: newDraftId(), notification: {} };
  const saveDraft = (request: WebRequest, draft: NotificationDraft) =>
    request.service.drafts.saveDraft(userIdOf(request), draft);
  const today = (request: WebRequest) => londonDate(request.service.clock.now());

  /** Whether the person came from check your answers (a Change link), so saving goes back there. */
  const changing = (request: WebRequest) =>
    (request.method === 'GET' ? request.query.get('change') : request.form.get('change')) === 'yes';
  const keepChanging = (request: WebRequest, path: string) =>
    changing(request) ? `${path}?change=yes` : path;
  const onwards = (request: WebRequest, next: string) =>
    redirect(changing(request) ? '/notify/check-answers' : next);

  const page = (
    template: string,
    request: WebRequest,
    context: Record<string, unknown>,
    errors?: PageErrors,
  ): PageResult =>
    render(
      `notify/${template}`,
      { change: changing(request), ...context, ...(errors ? { errors } : {}) },
      errors ? 400 : 200,
    );

  /** The 1-based position in a list from the path, or undefined when there is no such entry. */
  const position = (request: WebRequest, length: number): number | undefined => {
    const text = request.params.number ?? '';
    if (!/^[1-9]\d{0,2}$/.test(text)) return undefined;
    const index = Number(text) - 1;
    return index < length ? index : undefined;
  };

  // ------------------------------------------------------------ lists: children and agencies

  const lists = {
    children: {
      singular: 'child',
      plural: 'children',
      max: MAX_CHILDREN,
      next: '/notify/household',
      items: (draft: NotificationDraft | undefined) => draft?.notification.children ?? [],
      describe: (item: unknown) => {
        const child = item as NonNullable<SeriousIncidentNotification['children']>[number];
        return { name: childLabel(child), detail: childDescription(child) };
      },
    },
    agencies: {
      singular: 'agency',
      plural: 'agencies',
      max: MAX_AGENCIES,
      next: '/notify/notifier',
      items: (draft: NotificationDraft | undefined) => draft?.notification.agencies ?? [],
      describe: (item: unknown) => {
        const agency = item as NonNullable<SeriousIncidentNotification['agencies']>[number];
        return { name: agency.name, detail: `${agency.spoc.name}, ${agency.spoc.email}` };
      },
    },
  } as const;

  function listPages(list: Listed): Page[] {
    const words = lists[list];
    const base = `/notify/${list}`;
    const template = list === 'children' ? 'child.njk' : 'agency.njk';
    /** Where adding one starts: for agencies, the partnership directory when it has any to pick. */
    const addPath = async (request: WebRequest) =>
      list === 'agencies' ? addAgencyPath(request) : `${base}/new`;

    const showList = (request: WebRequest, draft: NotificationDraft | undefined, errors?: PageErrors) => {
      const items = words.items(draft).map((item, index) => ({
        ...words.describe(item),
        changeHref: keepChanging(request, `${base}/${index + 1}`),
        removeHref: keepChanging(request, `${base}/${index + 1}/remove`),
      }));
      return page(
        `${list}.njk`,
        request,
        { items, max: words.max, words, values: formValues(request.form) },
        errors,
      );
    };

    const showItemForm = (
      request: WebRequest,
      context: { values: Record<string, string>; action: string; adding: boolean },
      errors?: PageErrors,
    ) =>
      page(
        template,
        request,
        {
          ...context,
          backHref: keepChanging(request, base),
          ...(list === 'children' ? { ethnicityRadios } : {}),
        },
        errors,
      );

    const parseItem = (request: WebRequest, draft: NotificationDraft | undefined, replacing?: number) => {
      if (list === 'children') return parseChild(request.form, today(request));
      const others = words.items(draft).filter((_, index) => index !== replacing);
      return parseAgency(request.form, others as NonNullable<SeriousIncidentNotification['agencies']>);
    };

    const store = async (request: WebRequest, draft: NotificationDraft, items: unknown[]) => {
      const notification = { ...draft.notification, [list]: items } as NotificationDraft['notification'];
      await saveDraft(request, { ...draft, notification });
    };

    return [
      {
        method: 'GET',
        path: base,
        access,
        async handle(request) {
          const draft = await loadDraft(request);
          if (words.items(draft).length === 0) return redirect(keepChanging(request, await addPath(request)));
          return showList(request, draft);
        },
      },
      {
        method: 'POST',
        path: base,
        access,
        async handle(request) {
          const draft = await loadDraft(request);
          const count = words.items(draft).length;
          if (count === 0) return redirect(keepChanging(request, await addPath(request)));
          if (count >= words.max) return onwards(request, words.next);
          const answer = request.form.get('addAnother');
          if (answer === 'yes') return redirect(keepChanging(request, await addPath(request)));
          if (answer === 'no') return onwards(request, words.next);
          const message = `Select yes if you need to add another ${words.singular}`;
          return showList(request, draft, {
            errorList: [{ text: message, href: '#addAnother' }],
            byField: { addAnother: { text: message } },
            dateParts: {},
          });
        },
      },
      {
        method: 'GET',
        path: `${base}/new`,
        access,
        async handle(request) {
          const draft = await loadDraft(request);
          if (words.items(draft).length >= words.max) return redirect(keepChanging(request, base));
          return showItemForm(request, { values: {}, action: `${base}/new`, adding: true });
        },
      },
      {
        method: 'POST',
        path: `${base}/new`,
        access,
        async handle(request) {
          const draft = await draftOrNew(request);
          const items = [...words.items(draft)];
          if (items.length >= words.max) return redirect(keepChanging(request, base));
          const parsed = parseItem(request, draft);
          if (!parsed.ok) {
            return showItemForm(
              request,
              { values: formValues(request.form), action: `${base}/new`, adding: true },
              parsed.errors,
            );
          }
          await store(request, draft, [...items, parsed.value]);
          return redirect(keepChanging(request, base));
        },
      },
      {
        method: 'GET',
        path: `${base}/{number}`,
        access,
        async handle(request) {
          const items = words.items(await loadDraft(request));
          const index = position(request, items.length);
          if (index === undefined) return notFound();
          const item = items[index];
          const values =
            list === 'children'
              ? childFormValues(item as Parameters<typeof childFormValues>[0])
              : agencyFormValues(item as Parameters<typeof agencyFormValues>[0]);
          return showItemForm(request, { values, action: `${base}/${index + 1}`, adding: false });
        },
      },
      {
        method: 'POST',
        path: `${base}/{number}`,
        access,
        async handle(request) {
          const draft = await loadDraft(request);
          const items = [...words.items(draft)];
          const index = position(request, items.length);
          if (!draft || index === undefined) return notFound();
          const parsed = parseItem(request, draft, index);
          if (!parsed.ok) {
            return showItemForm(
              request,
              { values: formValues(request.form), action: `${base}/${index + 1}`, adding: false },
              parsed.errors,
            );
          }
          const before = items[index] as { name?: string; agencyId?: string } | undefined;
          const after = parsed.value as { name: string };
          // An agency picked from the directory keeps its id while it keeps its name.
          items[index] = (
            list === 'agencies' && before?.agencyId && before.name?.toLowerCase() === after.name.toLowerCase()
              ? { ...after, agencyId: before.agencyId }
              : after
          ) as (typeof items)[number];
          await store(request, draft, items);
          return redirect(keepChanging(request, base));
        },
      },
      {
        method: 'GET',
        path: `${base}/{number}/remove`,
        access,
        async handle(request) {
          const items = words.items(await loadDraft(request));
          const index = position(request, items.length);
          if (index === undefined) return notFound();
          return page('remove.njk', request, {
            name: words.describe(items[index]).name,
            words,
            action: `${base}/${index + 1}/remove`,
            backHref: keepChanging(request, base),
          });
        },
      },
      {
        method: 'POST',
        path: `${base}/{number}/remove`,
        access,
        async handle(request) {
          const draft = await loadDraft(request);
          const items = [...words.items(draft)];
          const index = position(request, items.length);
          if (!draft || index === undefined) return notFound();
          items.splice(index, 1);
          await store(request, draft, items);
          return redirect(keepChanging(request, items.length ? base : `${base}/new`));
        },
      },
    ];
  }

  /** The directory's agencies as checkboxes, those already on the notification ticked. */
  const pickPage = (
    request: WebRequest,
    chosen: NotifiedAgencies,
    pickable: Awaited<ReturnType<typeof pickableAgencies>>,
    errors?: PageErrors,
  ) => {
    const ids = new Set(chosen.flatMap((agency) => agency.agencyId ?? []));
    return page(
      'pick-agencies.njk',
      request,
      {
        agencies: pickable.map((entry) => ({
          value: entry.agencyId,
          text: entry.name,
          // A long address breaks rather than making a narrow screen scroll sideways.
          hint: {
            text: `Contact: ${entry.contact.name}, ${entry.contact.email}`,
            classes: 'app-wrap-anywhere',
          },
          checked: ids.has(entry.agencyId),
        })),
        byHand: chosen.filter((agency) => agency.agencyId === undefined).map((agency) => agency.name),
        backHref: changing(request)
          ? '/notify/check-answers'
          : chosen.length
            ? '/notify/agencies'
            : '/notify/household',
      },
      errors,
    );
  };

  // ------------------------------------------------------------ the pages

  return [
    {
      ...notifyMenuPage,
      async handle(request) {
        const draft = await loadDraft(request);
        return page('start.njk', request, {
          hasDraft: Boolean(draft),
          cutOff: formatWallClockTime(rulesOf(request.service.profile).workingDayEnd),
        });
      },
    },
    {
      method: 'GET',
      path: '/notify/incident',
      access,
      async handle(request) {
        const draft = await loadDraft(request);
        const answers = draft?.notification.incident
          ? {
              notifyingLocalAuthority: draft.notification.notifyingLocalAuthority ?? '',
              incident: draft.notification.incident,
              deathNotifications: draft.notification.deathNotifications,
              crossBorder: draft.notification.crossBorder,
            }
          : undefined;
        return page('incident.njk', request, { values: incidentFormValues(answers) });
      },
    },
    {
      method: 'POST',
      path: '/notify/incident',
      access,
      async handle(request) {
        const parsed = parseIncident(request.form, today(request));
        if (!parsed.ok) {
          return page('incident.njk', request, { values: formValues(request.form) }, parsed.errors);
        }
        const draft = await draftOrNew(request);
        // Answers left blank on this page (no cross-border, no dates for the Secretary of State) are taken out.
        const { deathNotifications, crossBorder, ...rest } = { ...draft.notification, ...parsed.value };
        await saveDraft(request, {
          ...draft,
          notification: {
            ...rest,
            ...(deathNotifications ? { deathNotifications } : {}),
            ...(crossBorder ? { crossBorder } : {}),
          },
        });
        return onwards(request, '/notify/children');
      },
    },
    ...listPages('children'),
    // The child's household (issue 10 part 1): optional, a row each, empty rows left out.
    {
      method: 'GET',
      path: '/notify/household',
      access,
      async handle(request) {
        const members = (await loadDraft(request))?.notification.householdMembers;
        return page('household.njk', request, {
          values: householdFormValues(members),
          rows: householdRows(members),
        });
      },
    },
    {
      method: 'POST',
      path: '/notify/household',
      access,
      async handle(request) {
        const parsed = parseHousehold(request.form);
        if (!parsed.ok) {
          const given = formValues(request.form);
          const rows = Math.max(
            householdRows(undefined),
            ...Object.keys(given).map((name) => Number(/^member-(\d+)-/.exec(name)?.[1] ?? 0)),
          );
          return page('household.njk', request, { values: given, rows }, parsed.errors);
        }
        const draft = await draftOrNew(request);
        const { householdMembers: _before, ...rest } = draft.notification;
        await saveDraft(request, {
          ...draft,
          notification: { ...rest, ...(parsed.value.length ? { householdMembers: parsed.value } : {}) },
        });
        return onwards(request, '/notify/agencies');
      },
    },
    // The partnership directory's agencies as checkboxes (issue 11 part 6), before the list's
    // pages, whose `/notify/agencies/{number}` would match the path too.
    {
      method: 'GET',
      path: '/notify/agencies/directory',
      access,
      async handle(request) {
        const draft = await loadDraft(request);
        return pickPage(request, draft?.notification.agencies ?? [], await pickableAgencies(request));
      },
    },
    {
      method: 'POST',
      path: '/notify/agencies/directory',
      access,
      async handle(request) {
        const draft = await draftOrNew(request);
        const pickable = await pickableAgencies(request);
        const ticked = new Set(request.form.getAll('agencies'));
        const notListed = ticked.delete('not-listed');
        const byHand = (draft.notification.agencies ?? []).filter((agency) => agency.agencyId === undefined);
        const picked = pickable
          .filter((entry) => ticked.has(entry.agencyId))
          .map((entry) => ({ name: entry.name, spoc: { ...entry.contact }, agencyId: entry.agencyId }));
        // Picked by name as well: an agency added by hand under a directory agency's name gives way to it.
        const names = new Set(picked.map((agency) => agency.name.toLowerCase()));
        const agencies = [...picked, ...byHand.filter((agency) => !names.has(agency.name.toLowerCase()))];
        if (!notListed && agencies.length === 0) {
          const message = 'Select the agencies to ask for a summary, or select that an agency is not listed';
          return pickPage(request, [], pickable, {
            errorList: [{ text: message, href: '#agencies' }],
            byField: { agencies: { text: message } },
            dateParts: {},
          });
        }
        if (agencies.length > MAX_AGENCIES) {
          const message = `A notification names at most ${MAX_AGENCIES} agencies`;
          return pickPage(request, agencies, pickable, {
            errorList: [{ text: message, href: '#agencies' }],
            byField: { agencies: { text: message } },
            dateParts: {},
          });
        }
        await saveDraft(request, { ...draft, notification: { ...draft.notification, agencies } });
        if (notListed) return redirect(keepChanging(request, '/notify/agencies/new'));
        return redirect(keepChanging(request, '/notify/agencies'));
      },
    },
    ...listPages('agencies'),
    {
      method: 'GET',
      path: '/notify/notifier',
      access,
      async handle(request) {
        const draft = await loadDraft(request);
        const values = draft?.notification.notifier
          ? notifierFormValues(draft.notification.notifier)
          : { name: request.user?.name ?? '' };
        return page('notifier.njk', request, { values });
      },
    },
    {
      method: 'POST',
      path: '/notify/notifier',
      access,
      async handle(request) {
        const parsed = parseNotifier(request.form);
        if (!parsed.ok)
          return page('notifier.njk', request, { values: formValues(request.form) }, parsed.errors);
        const draft = await draftOrNew(request);
        await saveDraft(request, {
          ...draft,
          notification: { ...draft.notification, notifier: parsed.value },
        });
        return onwards(request, '/notify/parallel-processes');
      },
    },
    {
      method: 'GET',
      path: '/notify/parallel-processes',
      access,
      async handle(request) {
        const draft = await loadDraft(request);
        return page('parallel-processes.njk', request, {
          values: parallelFormValues(draft?.notification.parallelProcesses),
          options: parallelProcessOptions,
        });
      },
    },
    {
      method: 'POST',
      path: '/notify/parallel-processes',
      access,
      async handle(request) {
        const parsed = parseParallelProcesses(request.form);
        if (!parsed.ok) {
          return page(
            'parallel-processes.njk',
            request,
            {
              values: { processes: request.form.getAll('processes'), other: request.form.get('other') ?? '' },
              options: parallelProcessOptions,
            },
            parsed.errors,
          );
        }
        const draft = await draftOrNew(request);
        await saveDraft(request, {
          ...draft,
          notification: { ...draft.notification, parallelProcesses: parsed.value },
        });
        return redirect('/notify/check-answers');
      },
    },
    {
      method: 'GET',
      path: '/notify/check-answers',
      access,
      async handle(request) {
        const draft = await loadDraft(request);
        if (!draft) return redirect('/notify');
        return page('check-answers.njk', request, {
          sections: checkAnswerSections(draft.notification),
          missing: missingSections(draft.notification),
        });
      },
    },
    {
      method: 'POST',
      path: '/notify/check-answers',
      access,
      async handle(request) {
        const draft = await loadDraft(request);
        // Sent already (the draft is removed once the case is open), or never started.
        if (!draft) return redirect('/notify');
        const showProblems = (
          problems: { text: string; href: string }[],
          status = 400,
          duplicates?: { list: PossibleDuplicate[]; reason: string; reasonError?: string },
        ) =>
          render(
            'notify/check-answers.njk',
            {
              sections: checkAnswerSections(draft.notification),
              missing: missingSections(draft.notification),
              errors: {
                errorList: problems,
                byField: duplicates?.reasonError ? { duplicateReason: { text: duplicates.reasonError } } : {},
                dateParts: {},
              },
              ...(duplicates
                ? {
                    duplicates: duplicates.list.map((duplicate) => ({
                      ...duplicate,
                      why: duplicateWords(duplicate),
                    })),
                    duplicateReason: duplicates.reason,
                  }
                : {}),
            },
            status,
          );
        const missing = missingSections(draft.notification);
        if (missing.length > 0) return showProblems(missing);

        // Sent again after the possible duplicate warning: which case, and why it goes on anyway.
        const duplicateCaseId = request.form.get('duplicateCaseId') ?? '';
        const duplicateReason = request.form.get('duplicateReason') ?? '';
        const acknowledging = duplicateCaseId !== '' && duplicateReason.trim() !== '';

        let opened: { caseId: string };
        try {
          opened = await submitNotification(request.service, {
            notification: draft.notification,
            submitter: request.user,
            idempotencyKey: `notify-draft-${draft.draftId}`,
            ...(acknowledging
              ? { possibleDuplicate: { caseId: duplicateCaseId, reason: duplicateReason } }
              : {}),
          });
        } catch (error) {
          if (error instanceof PossibleDuplicateError) {
            const reasonError =
              duplicateCaseId !== '' && !acknowledging
                ? 'Enter why you are sending this notification although it may be a duplicate'
                : undefined;
            return showProblems(reasonError ? [{ text: reasonError, href: '#duplicateReason' }] : [], 409, {
              list: error.duplicates,
              reason: duplicateReason,
              ...(reasonError ? { reasonError } : {}),
            });
          }
          if (error instanceof InvalidInputError) {
            return showProblems(
              error.fields.map((field) => ({ text: field.message, href: sectionHref(field.field) })),
            );
          }
          if (!(error instanceof DomainError)) throw error;
          if (error.kind === 'unavailable') {
            // Saved, not yet started: sending again (same draft, same key) starts it without a second case.
            return showProblems(
              [
                {
                  text: 'Your notification is saved, but its review could not be started just now. Send it again to start it.',
                  href: '#submit',
                },
              ],
              503,
            );
          }
          return showProblems([{ text: error.message, href: '#submit' }]);
        }
        await request.service.drafts.deleteDraft(userIdOf(request));
        return redirect(`/notify/confirmation/${encodeURIComponent(opened.caseId)}`);
      },
    },
    {
      method: 'GET',
      path: '/notify/confirmation/{caseId}',
      access,
      async handle(request) {
        let file: CaseFile;
        try {
          file = await request.service.cases.getCaseFile(request.params.caseId ?? '');
        } catch (error) {
          if (error instanceof CaseNotFoundError) return notFound();
          throw error;
        }
        // The confirmation is for the person who sent it (and the partnership team, who see every case).
        const opened = file.audit.find((event) => event.action === 'case.opened');
        const sentByThisPerson = opened?.actor.kind === 'staff' && opened.actor.id === request.user?.id;
        if (!sentByThisPerson && !request.user?.roles.includes('partnership-team')) return notFound();
        return page('confirmation.njk', request, {
          reference: file.case.reference,
          received: formatInstant(file.case.receivedAt, 'Europe/London'),
          dayOne: dayOneInWords(file.case.receivedAt, file.case.timetable.milestones),
          dates: timetableDates(file.case.timetable, confirmationMilestones),
          clocks: clocksInWords(clocksOf(file.case.timetable)).sentence,
          // The local authority's notification to the Panel (issue 10 part 5): uploaded until the papers are collated.
          panelNotification: ['notified', 'awaiting-summaries'].includes(file.case.status)
            ? {
                href: `/cases/${file.case.caseId}/panel-notification`,
                ...(file.case.panelNotificationDocument
                  ? { uploaded: file.case.panelNotificationDocument.fileName }
                  : {}),
              }
            : undefined,
        });
      },
    },
  ];
}

/** The milestones the confirmation lists under "What happens next". */
const confirmationMilestones: readonly MilestoneKey[] = [
  'requestAgencySummaries',
  'agencySummariesDue',
  'distributePapers',
  'rapidReviewMeeting',
  'submitToPanel',
];

/** Why a case may be the same: the same Panel reference, the same child's date of birth and incident date. */
function duplicateWords(duplicate: PossibleDuplicate): string {
  return duplicate.matchedOn
    .map((match) =>
      match === 'panel-reference'
        ? 'the same Panel reference'
        : 'a child with the same date of birth and incident date',
    )
    .join(' and ');
}

/** The page that asks a field the API reported (`children.0.name` → the first child's page). */
function sectionHref(field: string): string {
  const [section, index] = field.split('.');
  if (section === 'children' || section === 'agencies') {
    return /^\d+$/.test(index ?? '')
      ? `/notify/${section}/${Number(index) + 1}?change=yes`
      : `/notify/${section}`;
  }
  if (section === 'notifier') return '/notify/notifier?change=yes';
  if (section === 'parallelProcesses') return '/notify/parallel-processes';
  if (section === 'possibleDuplicate') return '#duplicateReason';
  return '/notify/incident?change=yes';
}

/** The notify pages as the web function serves them. */
export const notifyPages: Page[] = notifyPagesWith();
