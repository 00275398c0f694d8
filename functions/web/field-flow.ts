import { DomainError, type InvalidField } from '../../shared/errors.ts';
import { expectedProblem, type Problem } from '../../shared/http/problem.ts';
import type * as z from '../../shared/schemas/zod.ts';
import { formatDate } from '../../shared/workflow/london-time.ts';
import { fieldId, formErrors } from './forms.ts';
import { notFound, type PageResult, render } from './page.ts';
import { dateFromParts, namedMessage } from './pages/notify/answers.ts';

/**
 * The form machinery of the "question → check your answers → confirmation" flows that the local
 * review, local review drafts and Practice Review Group pages share: the questions, how the form
 * becomes the use case's answers, the errors in the page's words, and what the check page shows.
 * Each page module keeps its own flows, paths and templates; where they ask a little differently,
 * their `FormRules` say how.
 */

/** One question on a page. Its name is the answer's path in the use case's schema (`evidence.research`). */
export interface Field {
  name: string;
  label: string;
  /** How to ask for it in a message: "Enter {enter}". */
  enter: string;
  hint?: string;
  kind: 'text' | 'email' | 'textarea' | 'date' | 'yes-no' | 'radios' | 'checkboxes' | 'money';
  options?: { value: string; text: string }[];
  optional?: boolean;
  /** Dates: which side of today they may fall; any by default. */
  when?: 'past' | 'future';
}

/** Where one page module's flows ask differently. */
export interface FormRules {
  /** A radio question left unanswered is a missing answer (rather than an empty one). */
  blankChoiceIsMissing?: boolean;
  /** A schema's "Choose …" message counts as the question unanswered. */
  chooseIsUnanswered?: boolean;
  /** How a schema issue's path finds its field, after the field of the same name. */
  issueMatches: readonly ('inside-field' | 'field-inside' | 'pence')[];
  /** How the check page shows a date. */
  dateFormat?: { weekday: false };
  /** Between the choices of a checkbox answer on the check page. */
  listSeparator: string;
}

/** The answers the form gives, the errors found on the way, and which date boxes were wrong. */
export interface DatedAnswers {
  answers: Record<string, unknown>;
  errors: InvalidField[];
  dateParts: Record<string, string[]>;
}

/** The form's values as the answers the use case takes, and the errors only the page can find (dates, money). */
export function answersOf(
  fields: readonly Field[],
  form: URLSearchParams,
  today: string,
  rules: FormRules,
): DatedAnswers {
  const answers: Record<string, unknown> = {};
  const errors: InvalidField[] = [];
  const dateParts: Record<string, string[]> = {};
  const set = (path: string, value: unknown) => {
    const keys = path.split('.');
    let target = answers;
    for (const key of keys.slice(0, -1)) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
    }
    if (value !== undefined) target[keys.at(-1) as string] = value;
  };
  for (const field of fields) {
    const raw = (form.get(field.name) ?? '').trim();
    if (field.kind === 'date') {
      const date = dateFromParts(
        form,
        field.name,
        { label: field.label, enter: field.enter },
        {
          today: field.when ? today : '0000-01-01',
          required: !field.optional,
          when: field.when === 'past' ? 'past' : 'future',
        },
      );
      if (date.error) {
        errors.push({ field: field.name, message: date.error.message });
        dateParts[field.name] = date.error.parts;
      }
      set(field.name, date.value);
    } else if (field.kind === 'yes-no') {
      set(field.name, raw === 'yes' ? true : raw === 'no' ? false : undefined);
    } else if (field.kind === 'checkboxes') {
      set(field.name, form.getAll(field.name));
    } else if (field.kind === 'money') {
      const pounds = raw.replace(/^£/, '').replace(/,/g, '');
      if (!/^\d{1,9}(\.\d{1,2})?$/.test(pounds)) {
        errors.push({
          field: field.name,
          message: `${raw === '' ? `Enter ${field.enter}` : `${field.label} must be an amount in pounds`}, for example 12500 or 12,500.50`,
        });
      } else {
        set(field.name.replace(/Pounds$/, 'Pence'), Math.round(Number(pounds) * 100));
      }
    } else if (field.kind === 'radios' && rules.blankChoiceIsMissing) {
      set(field.name, raw === '' ? undefined : raw);
    } else {
      // An email address left out is asked for by name, not as one in the wrong format.
      if (field.kind === 'email' && raw === '' && !field.optional) {
        errors.push({ field: field.name, message: `Enter ${field.enter}` });
      }
      set(field.name, raw === '' && field.optional ? undefined : raw);
    }
  }
  return { answers, errors, dateParts };
}

/**
 * A schema's message in the page's words: a choice nobody made is "Choose …" or "Say …"; a
 * missing or generic answer names the field ("Enter the method"); any other message stands.
 */
function fieldMessage(field: Field, message: string, rules: FormRules): string {
  const unanswered =
    /^Invalid|^Expected|Enter a value/.test(message) ||
    (!!rules.chooseIsUnanswered && /^Choose/.test(message));
  if (unanswered && (field.kind === 'checkboxes' || field.kind === 'radios')) return `Choose ${field.enter}`;
  if ((unanswered || message.startsWith('Say whether')) && field.kind === 'yes-no')
    return `Say ${field.enter}`;
  return namedMessage(message, { label: field.label, enter: field.enter });
}

/** The schema's issues, each under its field's name and in the page's words, after the page's own. */
export function errorsOf(
  fields: readonly Field[],
  schema: z.ZodMiniType,
  answers: Record<string, unknown>,
  found: readonly InvalidField[],
  rules: FormRules,
): InvalidField[] {
  const errors = [...found];
  const parsed = schema.safeParse(answers);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      let field = fields.find((candidate) => candidate.name === path);
      for (const match of rules.issueMatches) {
        field ??= fields.find((candidate) =>
          match === 'inside-field'
            ? path.startsWith(`${candidate.name}.`)
            : match === 'field-inside'
              ? candidate.name.startsWith(`${path}.`)
              : candidate.name.replace(/Pounds$/, 'Pence') === path,
        );
      }
      const name = field?.name ?? path;
      if (errors.some((error) => error.field === name)) continue;
      errors.push({
        field: name,
        message: field ? fieldMessage(field, issue.message, rules) : issue.message,
      });
    }
  }
  const order = fields.map((field) => field.name);
  return errors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}

/** The use case refused some fields: shown against the page's field of the same path. */
export function refusedFields(fields: readonly Field[], refused: readonly InvalidField[]): InvalidField[] {
  return refused.map(({ field, message }) => {
    const match = fields.find(
      (candidate) => field === candidate.name || field.startsWith(`${candidate.name}.`),
    );
    return { field: match?.name ?? field, message };
  });
}

/** Every value the form posted, for the check page's hidden fields. */
export function postedValues(form: URLSearchParams): { name: string; value: string }[] {
  return [...form]
    .filter(([name]) => !name.startsWith('_') && name !== 'csrf')
    .map(([name, value]) => ({ name, value }));
}

/** What the check page shows for a field's answer. */
function shownAnswer(
  field: Field,
  form: URLSearchParams,
  answers: Record<string, unknown>,
  rules: FormRules,
): string {
  const value = field.name
    .split('.')
    .reduce<unknown>((at, key) => (at as Record<string, unknown>)?.[key], answers);
  if (field.kind === 'date')
    return typeof value === 'string'
      ? rules.dateFormat
        ? formatDate(value, rules.dateFormat)
        : formatDate(value)
      : 'Not given';
  if (field.kind === 'yes-no') return value === true ? 'Yes' : 'No';
  if (field.kind === 'checkboxes' || field.kind === 'radios') {
    const chosen = field.kind === 'checkboxes' ? form.getAll(field.name) : [form.get(field.name) ?? ''];
    return chosen
      .map((item) => field.options?.find((option) => option.value === item)?.text ?? item)
      .join(rules.listSeparator);
  }
  if (field.kind === 'money') return `£${(form.get(field.name) ?? '').replace(/^£/, '')}`;
  return typeof value === 'string' && value !== '' ? value : 'Not given';
}

/** The check page's summary rows. */
export function checkRows(
  fields: readonly Field[],
  form: URLSearchParams,
  answers: Record<string, unknown>,
  rules: FormRules,
) {
  return fields.map((field) => ({
    key: field.label,
    value: shownAnswer(field, form, answers, rules),
    id: fieldId(field.name),
    multiline: field.kind === 'textarea',
  }));
}

/**
 * The question page's fields with what was entered, and its error summary (if any): a date's
 * error links to its first wrong box, as the GOV.UK date input asks.
 */
export function questionFields(
  defined: readonly Field[],
  form: URLSearchParams,
  errors: InvalidField[],
  dateParts: Record<string, string[]>,
) {
  const fields = defined.map((field) => ({
    ...field,
    id: fieldId(field.name),
    value: form.get(field.name) ?? '',
    values: form.getAll(field.name),
    day: form.get(`${field.name}-day`) ?? '',
    month: form.get(`${field.name}-month`) ?? '',
    year: form.get(`${field.name}-year`) ?? '',
    wrongParts: dateParts[field.name] ?? [],
  }));
  const summary = errors.length ? formErrors(errors, fieldId) : undefined;
  if (summary) {
    for (const item of summary.errorList) {
      const field = defined.find((candidate) => `#${fieldId(candidate.name)}` === item.href);
      if (field?.kind === 'date') item.href = `${item.href}-${dateParts[field.name]?.[0] ?? 'day'}`;
    }
  }
  return { fields, summary };
}

/** A refusal in words, with a link back, in the page module's own problem template. */
export function problemPage(
  template: string,
  answer: Problem,
  back: { href: string; text: string },
): PageResult {
  return render(template, { pageTitle: answer.title, answer, back }, answer.status);
}

/** A use case's refusal as a page: not found, or the problem in words; anything else is thrown on. */
export function refusal(template: string, error: unknown, back: { href: string; text: string }): PageResult {
  if (!(error instanceof DomainError)) throw error;
  if (error.kind === 'not-found') return notFound();
  return problemPage(template, expectedProblem(error) as Problem, back);
}
