import type { InvalidField } from '../../shared/http/problem.ts';

/**
 * Form errors the GOV.UK way: an error summary at the top of the page linking to each bad
 * field, and the same message next to the field. Templates use
 * `govukErrorSummary({ titleText: "There is a problem", errorList: errors.errorList })` and
 * `errorMessage: errors.byField["incident-date"]`; the layout then starts the title "Error: ".
 */
export interface FormErrors {
  errorList: { text: string; href: string }[];
  byField: Record<string, { text: string }>;
}

/**
 * The page's field id for a field path the logic reports (`children.0.name` → `children-0-name`
 * by default); pass your own when a page's ids differ.
 */
export function fieldId(field: string): string {
  return field.replace(/[^A-Za-z0-9_-]+/g, '-');
}

/** Errors for a form, one per field (the first message wins), keyed by the field's id on the page. */
export function formErrors(
  fields: readonly InvalidField[],
  idFor: (field: string) => string = fieldId,
): FormErrors {
  const errors: FormErrors = { errorList: [], byField: {} };
  for (const { field, message } of fields) {
    const id = idFor(field);
    if (errors.byField[id]) continue;
    errors.byField[id] = { text: message };
    errors.errorList.push({ text: message, href: `#${id}` });
  }
  return errors;
}

/** The posted values as an object (first value of each name), to put back into the form when it is shown again. */
export function formValues(form: URLSearchParams): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of form) if (!(name in values)) values[name] = value;
  return values;
}
