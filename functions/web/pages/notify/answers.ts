import { CalendarDate } from '../../../../shared/calendar/dates.ts';
import {
  type CrossBorder,
  checkIncidentDateOrder,
  childLabel,
  crossBorder,
  type DeathNotifications,
  deathNotificationLabels,
  ETHNICITY_NOT_KNOWN,
  ethnicGroups,
  ethnicityMessages,
  formatNhsNumber,
  futureDateMessage,
  type HouseholdMember,
  householdMember,
  MAX_HOUSEHOLD_MEMBERS,
  type NotifiedAgency,
  type NotifiedChild,
  notificationDateLabels,
  notifiedAgency,
  notifiedChild,
  PLAN_STATUSES,
  type PlanStatus,
  parallelProcesses,
  type SeriousIncidentNotification,
  seriousIncidentNotification,
} from '../../../../shared/schemas/notification.ts';
import { textMessages } from '../../../../shared/schemas/primitives.ts';
import * as z from '../../../../shared/schemas/zod.ts';
import { isoDateOf } from '../../../../shared/workflow/london-time.ts';

/**
 * The notify pages' answers: form fields to the notification's parts (checked by the same zod
 * pieces as the API, so the messages match) and back, and GOV.UK error messages that name the field.
 */

export type DatePart = 'day' | 'month' | 'year';
const dateParts: readonly DatePart[] = ['day', 'month', 'year'];

/** Form errors: the summary's list, the message by field name, and which parts of a date input are wrong. */
export interface PageErrors {
  errorList: { text: string; href: string }[];
  byField: Record<string, { text: string }>;
  dateParts: Record<string, DatePart[]>;
}

/** Collects one message per field (the first wins), in the order the page shows its fields. */
export class ErrorCollector {
  readonly #errors: { field: string; message: string; parts?: DatePart[] }[] = [];

  add(field: string, message: string, parts?: DatePart[]): void {
    if (this.#errors.some((error) => error.field === field)) return;
    this.#errors.push({ field, message, ...(parts ? { parts } : {}) });
  }

  get empty(): boolean {
    return this.#errors.length === 0;
  }

  /** In `order` (field names as on the page); fields not in it come last. */
  result(order: readonly string[]): PageErrors {
    const rank = (field: string) => {
      const index = order.indexOf(field);
      return index === -1 ? order.length : index;
    };
    const sorted = [...this.#errors].sort((a, b) => rank(a.field) - rank(b.field));
    const errors: PageErrors = { errorList: [], byField: {}, dateParts: {} };
    for (const { field, message, parts } of sorted) {
      errors.byField[field] = { text: message };
      // A date links to its first wrong input (the day when the whole date is wrong).
      const href = parts ? `#${field}-${parts[0] ?? 'day'}` : `#${field}`;
      errors.errorList.push({ text: message, href });
      if (parts) errors.dateParts[field] = parts;
    }
    return errors;
  }
}

/** How a field is named in messages: "Enter <enter>", "<Label> must be …". */
export interface FieldWords {
  label: string;
  enter: string;
}

/**
 * The schema's message, made to name the field where the schema's own is generic
 * ("Enter a value" → "Enter where the incident happened").
 */
export function namedMessage(message: string, words: FieldWords | undefined): string {
  if (!words) return message;
  if (message === textMessages.required) return `Enter ${words.enter}`;
  if (message === textMessages.singleLine)
    return `${words.label} must not contain line breaks or control characters`;
  if (message === textMessages.multiLine) return `${words.label} must not contain control characters`;
  const tooLong = /^Must be (\d+) characters or fewer$/.exec(message);
  if (tooLong) return `${words.label} must be ${tooLong[1]} characters or fewer`;
  return message;
}

/** Adds zod's issues to `errors`, each under the page's field name for its path. */
export function addIssues(
  errors: ErrorCollector,
  error: { issues: readonly z.core.$ZodIssue[] },
  fieldFor: (path: string) => string,
  words: Record<string, FieldWords>,
  dateFields: readonly string[] = [],
): void {
  for (const issue of error.issues) {
    const field = fieldFor(issue.path.map(String).join('.'));
    const fieldWords = words[field];
    // zod's own length message ("Too big: …") in the GOV.UK words, naming the field.
    const message =
      issue.code === 'too_big' && fieldWords
        ? `${fieldWords.label} must be ${String(issue.maximum)} characters or fewer`
        : namedMessage(issue.message, fieldWords);
    errors.add(field, message, dateFields.includes(field) ? [...dateParts] : undefined);
  }
}

/** The London calendar date of an instant, YYYY-MM-DD. */
export function londonDate(instant: Date): string {
  return isoDateOf(instant, 'Europe/London');
}

/**
 * A GOV.UK date input's three fields (`<name>-day`, `-month`, `-year`) as YYYY-MM-DD, or the
 * message to show and the parts to mark. All three empty is `undefined` (the caller decides
 * whether that is allowed).
 */
export function dateFromParts(
  form: URLSearchParams,
  name: string,
  words: FieldWords,
  options: {
    today: string;
    required: boolean;
    /** Which side of today the date may fall: `past` (the default) for what happened, `future` for what is expected. */
    when?: 'past' | 'future';
  },
): { value?: string; error?: { message: string; parts: DatePart[] } } {
  const values = Object.fromEntries(
    dateParts.map((part) => [part, (form.get(`${name}-${part}`) ?? '').trim()]),
  ) as Record<DatePart, string>;
  const missing = dateParts.filter((part) => values[part] === '');
  if (missing.length === 3) {
    return options.required ? { error: { message: `Enter ${words.enter}`, parts: [...dateParts] } } : {};
  }
  if (missing.length > 0) {
    const list = missing.length === 2 ? `${missing[0]} and ${missing[1]}` : missing[0];
    return { error: { message: `${words.label} must include a ${list}`, parts: missing } };
  }
  const notNumbers = dateParts.filter((part) => !/^\d+$/.test(values[part]));
  if (notNumbers.length > 0) {
    return { error: { message: `${words.label} must be a real date`, parts: notNumbers } };
  }
  if (!/^\d{4}$/.test(values.year)) {
    return { error: { message: `${words.label} must include a year with 4 numbers`, parts: ['year'] } };
  }
  let date: CalendarDate;
  try {
    date = CalendarDate.from({
      year: Number(values.year),
      month: Number(values.month),
      day: Number(values.day),
    });
  } catch {
    const month = Number(values.month);
    const parts: DatePart[] = month < 1 || month > 12 ? ['month'] : ['day'];
    return { error: { message: `${words.label} must be a real date`, parts } };
  }
  const value = date.toString();
  // The API's rule and message (shared/schemas/notification.ts), so both refuse the same dates alike.
  if (options.when === 'future') {
    if (value < options.today) {
      return { error: { message: `${words.label} must be today or in the future`, parts: [...dateParts] } };
    }
    return { value };
  }
  const future = futureDateMessage(words.label, value, options.today);
  if (future) return { error: { message: future, parts: [...dateParts] } };
  return { value };
}

/** A date as the three fields of a GOV.UK date input, for showing an accepted answer again. */
export function dateToParts(name: string, value: string | undefined): Record<string, string> {
  if (!value) return {};
  const [year, month, day] = value.split('-');
  return {
    [`${name}-day`]: String(Number(day)),
    [`${name}-month`]: String(Number(month)),
    [`${name}-year`]: year ?? '',
  };
}

const optionalText = (form: URLSearchParams, name: string): string | undefined => {
  const value = (form.get(name) ?? '').trim();
  return value === '' ? undefined : value;
};

/** A yes/no radio as a boolean; anything else as given, so the schema names it. */
function yesNo(value: string | null): unknown {
  if (value === 'yes') return true;
  if (value === 'no') return false;
  return undefined;
}

// ---------------------------------------------------------------- incident

export type IncidentAnswers = Pick<
  SeriousIncidentNotification,
  'notifyingLocalAuthority' | 'incident' | 'deathNotifications' | 'crossBorder'
>;

export const incidentFieldOrder = [
  'kind',
  'occurredOn',
  'localAuthorityAwareOn',
  'panelNotifiedOn',
  'location',
  'panelReference',
  'notifyingLocalAuthority',
  'summary',
  'secretaryOfStateNotifiedOn',
  'ofstedNotifiedOn',
  'otherLocalAuthority',
  'connection',
  'leadPartnership',
] as const;

export const incidentWords: Record<string, FieldWords> = {
  occurredOn: { label: notificationDateLabels.occurredOn, enter: 'the date of the incident' },
  localAuthorityAwareOn: {
    label: notificationDateLabels.localAuthorityAwareOn,
    enter: 'the date the local authority became aware',
  },
  panelNotifiedOn: {
    label: notificationDateLabels.panelNotifiedOn,
    enter: 'the date the Panel was notified',
  },
  location: { label: 'Where it happened', enter: 'where the incident happened' },
  panelReference: { label: 'Panel reference', enter: 'the Panel reference' },
  notifyingLocalAuthority: { label: 'Notifying local authority', enter: 'the notifying local authority' },
  summary: { label: 'Summary', enter: 'a summary' },
  secretaryOfStateNotifiedOn: {
    label: deathNotificationLabels.secretaryOfStateNotifiedOn,
    enter: 'the date the Secretary of State was notified',
  },
  ofstedNotifiedOn: {
    label: deathNotificationLabels.ofstedNotifiedOn,
    enter: 'the date Ofsted was notified',
  },
  otherLocalAuthority: { label: 'The other local authority', enter: 'the other local authority' },
};

const deathDates = ['secretaryOfStateNotifiedOn', 'ofstedNotifiedOn'] as const;

const incidentDates = ['occurredOn', 'localAuthorityAwareOn', 'panelNotifiedOn'] as const;

const incidentSchema = z
  .object({
    notifyingLocalAuthority: seriousIncidentNotification.shape.notifyingLocalAuthority,
    incident: seriousIncidentNotification.shape.incident,
  })
  // The notification's own date order rules, with its messages.
  .check(z.superRefine((answers, ctx) => checkIncidentDateOrder(answers.incident, ctx)));

/** The cross-border answers: none when all three are blank, else all three. */
function parseCrossBorder(form: URLSearchParams, errors: ErrorCollector): CrossBorder | undefined {
  const answers = {
    otherLocalAuthority: form.get('otherLocalAuthority') ?? '',
    connection: form.get('connection') ?? undefined,
    leadPartnership: form.get('leadPartnership') ?? undefined,
  };
  if (answers.otherLocalAuthority.trim() === '' && !answers.connection && !answers.leadPartnership) {
    return undefined;
  }
  const parsed = crossBorder.safeParse(answers);
  if (parsed.success) return parsed.data;
  addIssues(errors, parsed.error, (path) => path, incidentWords);
  return undefined;
}

/** The dates the Secretary of State and Ofsted were notified: none, or both. */
function parseDeathNotifications(
  form: URLSearchParams,
  today: string,
  errors: ErrorCollector,
): DeathNotifications | undefined {
  const dates: Partial<Record<(typeof deathDates)[number], string>> = {};
  const blank: string[] = [];
  for (const name of deathDates) {
    const answer = dateFromParts(form, name, incidentWords[name] as FieldWords, { today, required: false });
    if (answer.error) errors.add(name, answer.error.message, answer.error.parts);
    else if (answer.value === undefined) blank.push(name);
    else dates[name] = answer.value;
  }
  if (blank.length === 2) return undefined;
  for (const name of blank) {
    errors.add(name, `Enter ${(incidentWords[name] as FieldWords).enter}`, ['day', 'month', 'year']);
  }
  const { secretaryOfStateNotifiedOn, ofstedNotifiedOn } = dates;
  return secretaryOfStateNotifiedOn && ofstedNotifiedOn
    ? { secretaryOfStateNotifiedOn, ofstedNotifiedOn }
    : undefined;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: PageErrors };

export function parseIncident(form: URLSearchParams, today: string): Parsed<IncidentAnswers> {
  const errors = new ErrorCollector();
  const dates: Record<string, string | undefined> = {};
  for (const name of incidentDates) {
    const answer = dateFromParts(form, name, incidentWords[name] as FieldWords, { today, required: true });
    if (answer.error) errors.add(name, answer.error.message, answer.error.parts);
    // A date with an error is given to the schema as '' so only the date's own message shows.
    dates[name] = answer.value ?? '';
  }
  const kind = form.get('kind');
  const candidate = {
    notifyingLocalAuthority: form.get('notifyingLocalAuthority') ?? '',
    incident: {
      kind: kind === 'death' || kind === 'serious-harm' ? kind : undefined,
      occurredOn: dates.occurredOn,
      localAuthorityAwareOn: dates.localAuthorityAwareOn,
      panelNotifiedOn: dates.panelNotifiedOn,
      location: form.get('location') ?? '',
      panelReference: form.get('panelReference') ?? '',
      summary: optionalText(form, 'summary'),
    },
  };
  const parsed = incidentSchema.safeParse(candidate);
  if (!parsed.success) {
    addIssues(errors, parsed.error, (path) => path.replace(/^incident\./, ''), incidentWords, incidentDates);
  }
  const deaths = parseDeathNotifications(form, today, errors);
  if (deaths && candidate.incident.occurredOn) {
    for (const name of deathDates) {
      if (deaths[name] < candidate.incident.occurredOn) {
        errors.add(name, `${deathNotificationLabels[name]} must be on or after the date of the incident`, [
          'day',
          'month',
          'year',
        ]);
      }
    }
  }
  const border = parseCrossBorder(form, errors);
  if (!errors.empty || !parsed.success) return { ok: false, errors: errors.result(incidentFieldOrder) };
  // Answers taken away on this page are removed from the draft too.
  return { ok: true, value: { ...parsed.data, deathNotifications: deaths, crossBorder: border } };
}

export function incidentFormValues(answers: IncidentAnswers | undefined): Record<string, string> {
  if (!answers) return {};
  const { incident } = answers;
  return {
    kind: incident.kind,
    ...dateToParts('occurredOn', incident.occurredOn),
    ...dateToParts('localAuthorityAwareOn', incident.localAuthorityAwareOn),
    ...dateToParts('panelNotifiedOn', incident.panelNotifiedOn),
    location: incident.location,
    panelReference: incident.panelReference,
    notifyingLocalAuthority: answers.notifyingLocalAuthority,
    summary: incident.summary ?? '',
    ...dateToParts('secretaryOfStateNotifiedOn', answers.deathNotifications?.secretaryOfStateNotifiedOn),
    ...dateToParts('ofstedNotifiedOn', answers.deathNotifications?.ofstedNotifiedOn),
    otherLocalAuthority: answers.crossBorder?.otherLocalAuthority ?? '',
    connection: answers.crossBorder?.connection ?? '',
    leadPartnership: answers.crossBorder?.leadPartnership ?? '',
  };
}

// ---------------------------------------------------------------- a child

export const childFieldOrder = [
  'identity',
  'name',
  'dateOfBirth',
  'ageYears',
  'sex',
  'ethnicity',
  'ethnicityDescription',
  'disability',
  'disabilityDescription',
  'lookedAfterStatus',
  'careLeaver',
  'childProtectionPlan',
  'childInNeed',
  'address',
  'nhsNumber',
] as const;

export const childWords: Record<string, FieldWords> = {
  name: { label: 'Name', enter: 'the child’s name' },
  dateOfBirth: { label: notificationDateLabels.dateOfBirth, enter: 'the child’s date of birth' },
  ethnicityDescription: { label: 'The description of their background', enter: 'their background' },
  disabilityDescription: { label: 'The description of the disability', enter: 'the disability' },
  address: { label: 'Address', enter: 'the child’s address' },
  nhsNumber: { label: 'NHS number', enter: 'the child’s NHS number' },
};

/** The child page's questions that every new notification answers, with the message when one is not. */
const childQuestions = {
  ethnicity: 'Select the child’s ethnicity, or ‘Not known’',
  disability: 'Select whether the child has a disability',
  lookedAfterStatus: 'Select whether the child is or was looked after by a local authority',
  careLeaver: 'Select whether the young person is a care leaver',
  childProtectionPlan: 'Select whether the child is subject to a child protection plan',
  childInNeed: 'Select whether the child is a child in need',
} as const;

/** The page's field for a path of the child schema (`ethnicity.code` → `ethnicity`). */
function childField(path: string): string {
  if (path === 'ethnicity.code') return 'ethnicity';
  if (path === 'ethnicity.description') return 'ethnicityDescription';
  if (path === 'disability.answer') return 'disability';
  if (path === 'disability.description') return 'disabilityDescription';
  if (path === 'lookedAfter') return 'lookedAfterStatus';
  return path;
}

/** The page's words for a schema message where the page says it differently. */
function childMessage(field: string, message: string): string {
  if (field === 'ethnicity' && !message.includes('characters')) return childQuestions.ethnicity;
  if (field === 'ethnicityDescription' && message === ethnicityMessages.descriptionNotTaken) {
    return 'Describe the background only for an ‘Any other’ choice: leave it blank, or select ‘Any other’';
  }
  if (field === 'careLeaver' && message.startsWith('A care leaver was looked after')) {
    return 'A care leaver was looked after: select ‘Not now, but previously looked after’, or answer no';
  }
  if (field === 'disabilityDescription' && message.startsWith('Describe the disability only')) {
    return 'Describe the disability only if the child has one: leave it blank, or select yes';
  }
  return message;
}

const planAnswer = (value: string | null): PlanStatus | undefined =>
  (PLAN_STATUSES as readonly string[]).includes(value ?? '') ? (value as PlanStatus) : undefined;

/** The ethnicity radios, a group each (the first radio is `#ethnicity`, where an error links). */
export const ethnicityRadios = [
  ...ethnicGroups.map((group, groupIndex) => ({
    idPrefix: `ethnicity-group-${groupIndex + 1}`,
    legend: group.group,
    items: group.categories.map((category, index) => ({
      value: category.code,
      text: category.text,
      id: groupIndex === 0 && index === 0 ? 'ethnicity' : `ethnicity-${category.code}`,
    })),
  })),
  {
    idPrefix: 'ethnicity-group-not-known',
    legend: undefined,
    items: [{ divider: 'or' }, { value: ETHNICITY_NOT_KNOWN, text: 'Not known', id: 'ethnicity-not-known' }],
  },
];

/**
 * The child page's answers as a child of the notification. An unborn child is not asked whether
 * they are disabled or looked after (the page says so): answers given to those are not kept.
 */
export function parseChild(form: URLSearchParams, today: string): Parsed<NotifiedChild> {
  const errors = new ErrorCollector();
  const born = dateFromParts(form, 'dateOfBirth', childWords.dateOfBirth as FieldWords, {
    today,
    required: false,
  });
  if (born.error) errors.add('dateOfBirth', born.error.message, born.error.parts);
  const ageText = (form.get('ageYears') ?? '').trim();
  const sex = form.get('sex');
  const identity = form.get('identity') ?? 'named';
  const unborn = identity === 'unborn';
  const name = (form.get('name') ?? '').trim();
  const ethnicityCode = form.get('ethnicity') ?? '';
  const disabilityAnswer = form.get('disability');
  const lookedAfterStatus = unborn ? undefined : planAnswer(form.get('lookedAfterStatus'));
  const careLeaver = yesNo(form.get('careLeaver'));
  const candidate = {
    identity,
    // A named child's blank name is given to the schema so it names the field; an unnamed child's is left out.
    name: identity === 'named' || name !== '' ? (form.get('name') ?? '') : undefined,
    // A wrong date is left out here: its own message is already shown.
    dateOfBirth: born.value,
    ageYears: ageText === '' ? undefined : /^\d+$/.test(ageText) ? Number(ageText) : ageText,
    sex: sex === 'female' || sex === 'male' || sex === 'not-known' ? sex : undefined,
    ethnicity: { code: ethnicityCode, description: optionalText(form, 'ethnicityDescription') },
    // Looked after now exactly when the status says so; an unborn child is not.
    lookedAfter: unborn
      ? false
      : lookedAfterStatus === undefined
        ? undefined
        : lookedAfterStatus === 'current',
    lookedAfterStatus,
    careLeaver,
    disability:
      unborn || !['yes', 'no', 'not-known'].includes(disabilityAnswer ?? '')
        ? undefined
        : { answer: disabilityAnswer, description: optionalText(form, 'disabilityDescription') },
    childProtectionPlan: planAnswer(form.get('childProtectionPlan')),
    childInNeed: planAnswer(form.get('childInNeed')),
    address: optionalText(form, 'address'),
    nhsNumber: optionalText(form, 'nhsNumber'),
  };
  // The questions the schema leaves optional (older notifications lack them) are answered here.
  if (!unborn && candidate.disability === undefined) errors.add('disability', childQuestions.disability);
  if (!unborn && lookedAfterStatus === undefined) {
    errors.add('lookedAfterStatus', childQuestions.lookedAfterStatus);
  }
  if (lookedAfterStatus === 'previously' && careLeaver === undefined) {
    errors.add('careLeaver', childQuestions.careLeaver);
  }
  if (candidate.childProtectionPlan === undefined) {
    errors.add('childProtectionPlan', childQuestions.childProtectionPlan);
  }
  if (candidate.childInNeed === undefined) errors.add('childInNeed', childQuestions.childInNeed);
  const parsed = notifiedChild.safeParse(candidate);
  if (!parsed.success) {
    const issues = (
      born.error
        ? parsed.error.issues.filter((issue) => issue.path[0] !== 'dateOfBirth')
        : parsed.error.issues
    ).map((issue) => {
      const field = childField(issue.path.map(String).join('.'));
      return { ...issue, path: [field], message: childMessage(field, issue.message) };
    });
    addIssues(errors, { issues }, (path) => path, childWords, ['dateOfBirth']);
  }
  if (!errors.empty || !parsed.success) return { ok: false, errors: errors.result(childFieldOrder) };
  return { ok: true, value: parsed.data };
}

export function childFormValues(child: NotifiedChild | undefined): Record<string, string> {
  if (!child) return {};
  // A draft from before the census categories holds free text: the question is asked again.
  const ethnicity = typeof child.ethnicity === 'string' ? undefined : child.ethnicity;
  return {
    identity: child.identity ?? 'named',
    name: child.name ?? '',
    ...dateToParts('dateOfBirth', child.dateOfBirth),
    ageYears: child.ageYears === undefined ? '' : String(child.ageYears),
    sex: child.sex,
    ethnicity: ethnicity?.code ?? '',
    ethnicityDescription: ethnicity?.description ?? '',
    disability: child.disability?.answer ?? '',
    disabilityDescription: child.disability?.description ?? '',
    lookedAfterStatus: child.lookedAfterStatus ?? '',
    careLeaver: child.careLeaver === undefined ? '' : child.careLeaver ? 'yes' : 'no',
    childProtectionPlan: child.childProtectionPlan ?? '',
    childInNeed: child.childInNeed ?? '',
    address: child.address ?? '',
    nhsNumber: child.nhsNumber ? formatNhsNumber(child.nhsNumber) : '',
  };
}

/**
 * Whether the child page has answers a new notification needs that this child lacks (a draft
 * saved before the questions were asked): the census ethnicity, disability, looked-after
 * status, child protection plan and child in need status.
 */
export function childLacksAnswers(child: NotifiedChild): boolean {
  const unborn = child.identity === 'unborn';
  return (
    typeof child.ethnicity === 'string' ||
    child.childProtectionPlan === undefined ||
    child.childInNeed === undefined ||
    (!unborn && (child.disability === undefined || child.lookedAfterStatus === undefined))
  );
}

// ---------------------------------------------------------------- the household

/** Rows the household page offers beyond the members already given, up to the cap. */
export const SPARE_HOUSEHOLD_ROWS = 3;

/** How many name-and-relationship rows the household page shows. */
export function householdRows(members: readonly HouseholdMember[] | undefined): number {
  return Math.min(MAX_HOUSEHOLD_MEMBERS, Math.max(4, (members?.length ?? 0) + SPARE_HOUSEHOLD_ROWS));
}

/**
 * The household page's rows (`member-<n>-name`, `member-<n>-relationship`, 1-based): a row left
 * empty is left out, a row half given names its missing half. None at all is an answer too.
 */
export function parseHousehold(form: URLSearchParams): Parsed<HouseholdMember[]> {
  const errors = new ErrorCollector();
  const members: HouseholdMember[] = [];
  const order: string[] = [];
  for (let number = 1; number <= MAX_HOUSEHOLD_MEMBERS; number += 1) {
    const name = form.get(`member-${number}-name`) ?? '';
    const relationship = form.get(`member-${number}-relationship`) ?? '';
    order.push(`member-${number}-name`, `member-${number}-relationship`);
    if (name.trim() === '' && relationship.trim() === '') continue;
    const parsed = householdMember.safeParse({ name, relationship });
    if (parsed.success) members.push(parsed.data);
    else {
      addIssues(errors, parsed.error, (path) => `member-${number}-${path}`, {
        [`member-${number}-name`]: {
          label: `Household member ${number}’s name`,
          enter: `household member ${number}’s name`,
        },
        [`member-${number}-relationship`]: {
          label: `Household member ${number}’s relationship to the child`,
          enter: `how household member ${number} is related to the child`,
        },
      });
    }
  }
  if (!errors.empty) return { ok: false, errors: errors.result(order) };
  return { ok: true, value: members };
}

export function householdFormValues(members: readonly HouseholdMember[] | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  (members ?? []).forEach((member, index) => {
    values[`member-${index + 1}-name`] = member.name;
    values[`member-${index + 1}-relationship`] = member.relationship;
  });
  return values;
}

// ---------------------------------------------------------------- an agency

export const agencyFieldOrder = ['name', 'spocName', 'spocEmail'] as const;

export const agencyWords: Record<string, FieldWords> = {
  name: { label: 'Agency name', enter: 'the agency’s name' },
  spocName: { label: 'Contact name', enter: 'the name of the agency’s single point of contact' },
  spocEmail: { label: 'Contact email address', enter: 'the contact’s email address' },
};

const agencyField = (path: string) =>
  path === 'spoc.name' ? 'spocName' : path === 'spoc.email' ? 'spocEmail' : path;

export function parseAgency(
  form: URLSearchParams,
  others: readonly NotifiedAgency[],
): Parsed<NotifiedAgency> {
  const errors = new ErrorCollector();
  const parsed = notifiedAgency.safeParse({
    name: form.get('name') ?? '',
    spoc: { name: form.get('spocName') ?? '', email: form.get('spocEmail') ?? '' },
  });
  if (!parsed.success) addIssues(errors, parsed.error, agencyField, agencyWords);
  if (parsed.success && others.some((other) => other.name.toLowerCase() === parsed.data.name.toLowerCase())) {
    // The notification's own rule, with its message.
    errors.add('name', 'Each agency must be named once');
  }
  if (!errors.empty || !parsed.success) return { ok: false, errors: errors.result(agencyFieldOrder) };
  return { ok: true, value: parsed.data };
}

export function agencyFormValues(agency: NotifiedAgency | undefined): Record<string, string> {
  if (!agency) return {};
  return { name: agency.name, spocName: agency.spoc.name, spocEmail: agency.spoc.email };
}

// ---------------------------------------------------------------- the notifier

export type NotifierAnswers = SeriousIncidentNotification['notifier'];
export const notifierFieldOrder = ['name', 'role', 'email', 'phone'] as const;

export const notifierWords: Record<string, FieldWords> = {
  name: { label: 'Your name', enter: 'your name' },
  role: { label: 'Your role', enter: 'your role' },
  email: { label: 'Email address', enter: 'your email address' },
  phone: { label: 'Telephone number', enter: 'your telephone number' },
};

const notifierSchema = seriousIncidentNotification.shape.notifier;

export function parseNotifier(form: URLSearchParams): Parsed<NotifierAnswers> {
  const errors = new ErrorCollector();
  const parsed = notifierSchema.safeParse({
    name: form.get('name') ?? '',
    role: form.get('role') ?? '',
    email: form.get('email') ?? '',
    phone: optionalText(form, 'phone'),
  });
  if (!parsed.success) {
    addIssues(errors, parsed.error, (path) => path, notifierWords);
    return { ok: false, errors: errors.result(notifierFieldOrder) };
  }
  return { ok: true, value: parsed.data };
}

export function notifierFormValues(notifier: NotifierAnswers | undefined): Record<string, string> {
  if (!notifier) return {};
  return { name: notifier.name, role: notifier.role, email: notifier.email, phone: notifier.phone ?? '' };
}

// ---------------------------------------------------------------- parallel processes

export type ParallelAnswers = SeriousIncidentNotification['parallelProcesses'];

/** The checkboxes, in the order shown ("None", exclusive, comes after them). */
export const parallelProcessOptions = [
  { value: 'policeInvestigation', text: 'Police investigation' },
  { value: 'childDeathReview', text: 'Child death review' },
  { value: 'safeguardingAdultReview', text: 'Safeguarding adult review' },
  { value: 'domesticHomicideReview', text: 'Domestic homicide review' },
  { value: 'inquest', text: 'Coroner’s inquest' },
] as const;

/** The "None" checkbox's value: exclusive of every process, and of "any other process". */
export const NO_PARALLEL_PROCESS = 'none';

const parallelMessages = {
  nothing: 'Select the other processes running alongside the review, or select ‘None’',
  noneAndProcesses: 'Select ‘None’ only if no other process is running: untick it, or untick the processes',
  noneAndOther: 'Leave ‘Any other process’ blank if you select ‘None’, or untick ‘None’',
} as const;

/**
 * The other-processes page: the processes ticked, or "None" (exclusive, per the GOV.UK
 * checkboxes pattern; without JavaScript a page with both is refused), and any other process
 * named. Nothing ticked and nothing named is no answer.
 */
export function parseParallelProcesses(form: URLSearchParams): Parsed<ParallelAnswers> {
  const chosen = form.getAll('processes');
  const none = chosen.includes(NO_PARALLEL_PROCESS);
  const processes = parallelProcessOptions.filter((option) => chosen.includes(option.value));
  const other = optionalText(form, 'other');
  const errors = new ErrorCollector();
  if (none && processes.length > 0) errors.add('processes', parallelMessages.noneAndProcesses);
  else if (none && other !== undefined) errors.add('other', parallelMessages.noneAndOther);
  else if (!none && processes.length === 0 && other === undefined) {
    errors.add('processes', parallelMessages.nothing);
  }
  const parsed = parallelProcesses.safeParse({
    policeInvestigation: chosen.includes('policeInvestigation'),
    childDeathReview: chosen.includes('childDeathReview'),
    safeguardingAdultReview: chosen.includes('safeguardingAdultReview'),
    domesticHomicideReview: chosen.includes('domesticHomicideReview'),
    inquest: chosen.includes('inquest'),
    other,
  });
  if (!parsed.success) {
    addIssues(errors, parsed.error, (path) => path, {
      other: { label: 'Other processes', enter: 'the other processes' },
    });
  }
  if (!errors.empty || !parsed.success) return { ok: false, errors: errors.result(['processes', 'other']) };
  return { ok: true, value: parsed.data };
}

/** The page's answers again: the processes ticked, "None" when the answer was none. */
export function parallelFormValues(answers: ParallelAnswers | undefined): {
  processes: string[];
  other: string;
} {
  if (!answers) return { processes: [], other: '' };
  const ticked: string[] = parallelProcessOptions
    .filter((option) => answers[option.value])
    .map((option) => option.value);
  return {
    processes: ticked.length === 0 && !answers.other ? [NO_PARALLEL_PROCESS] : ticked,
    other: answers.other ?? '',
  };
}

// ---------------------------------------------------------------- what is still missing

/** The sections not yet answered, each with the page that asks it. */
export function missingSections(
  notification: Partial<SeriousIncidentNotification>,
): { text: string; href: string }[] {
  const missing: { text: string; href: string }[] = [];
  if (!notification.incident) missing.push({ text: 'Add the incident details', href: '/notify/incident' });
  if (!notification.children?.length)
    missing.push({ text: 'Add at least one child', href: '/notify/children' });
  (notification.children ?? []).forEach((child, index) => {
    if (childLacksAnswers(child)) {
      missing.push({
        text: `Answer the remaining questions about ${childLabel(child)}`,
        href: `/notify/children/${index + 1}?change=yes`,
      });
    }
  });
  if (!notification.agencies?.length)
    missing.push({ text: 'Add at least one agency', href: '/notify/agencies' });
  if (!notification.notifier) missing.push({ text: 'Add your details', href: '/notify/notifier' });
  if (!notification.parallelProcesses)
    missing.push({ text: 'Answer the question about other processes', href: '/notify/parallel-processes' });
  return missing;
}
