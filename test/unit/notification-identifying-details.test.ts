import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../local/sample-notification.ts';
import { openCase } from '../../shared/cases/open-case.ts';
import {
  addressInOneLine,
  formatNhsNumber,
  isValidNhsNumber,
  seriousIncidentNotification,
} from '../../shared/schemas/notification.ts';
import { invalidFields } from '../../shared/validation.ts';
import { childRows } from '../../shared/workflow/rapid-review-report.ts';

/** Invented: 943 476 5919 is the NHS's own published example of a valid number. */
const VALID_NHS_NUMBER = '943 476 5919';

function withChild(extra: Record<string, unknown>) {
  const notification = sampleNotification();
  return { ...notification, children: [{ ...notification.children[0], ...extra }] };
}

function fieldsOf(value: unknown) {
  const result = seriousIncidentNotification.safeParse(value);
  return result.success ? [] : invalidFields(result.error);
}

describe("the child's address, NHS number and household members", () => {
  it('takes a valid NHS number with spaces and keeps its digits', () => {
    const parsed = seriousIncidentNotification.parse(withChild({ nhsNumber: VALID_NHS_NUMBER }));
    expect(parsed.children[0]?.nhsNumber).toBe('9434765919');
    expect(formatNhsNumber('9434765919')).toBe(VALID_NHS_NUMBER);
  });

  it('refuses an NHS number failing its check digit, naming the field', () => {
    expect(fieldsOf(withChild({ nhsNumber: '943 476 5918' }))).toEqual([
      { field: 'children.0.nhsNumber', message: 'Enter a real NHS number: this one fails its check digit' },
    ]);
  });

  it.each(['12345', '94347659190', '943-476-5919', 'ABC 476 5919'])(
    'refuses %s as not 10 digits',
    (nhsNumber) => {
      expect(fieldsOf(withChild({ nhsNumber }))).toEqual([
        { field: 'children.0.nhsNumber', message: 'Enter the NHS number as 10 digits, like 943 476 5919' },
      ]);
    },
  );

  it('refuses a number whose check digit would be 10 (never issued)', () => {
    // 1,1,1,1,1,1,1,1,9 weighted: 10+9+8+7+6+5+4+3+18 = 70; 70 mod 11 = 4; 11 - 4 = 7: valid with 7.
    expect(isValidNhsNumber('1111111197')).toBe(true);
    // 10 + 2 = 12, 1 mod 11, asks for a check digit of 10: no tenth digit can match.
    for (let digit = 0; digit <= 9; digit += 1) expect(isValidNhsNumber(`100000001${digit}`)).toBe(false);
  });

  it('takes an address over several lines, capped at 500 characters', () => {
    expect(fieldsOf(withChild({ address: '1 Example Street\nExampletown\nEX1 1AA' }))).toEqual([]);
    expect(fieldsOf(withChild({ address: 'x'.repeat(501) }))).toEqual([
      { field: 'children.0.address', message: 'Must be 500 characters or fewer' },
    ]);
    expect(addressInOneLine('1 Example Street,\n\nExampletown\r\nEX1 1AA')).toBe(
      '1 Example Street, Exampletown, EX1 1AA',
    );
  });

  it('takes household members, each named with their relationship, at most 12', () => {
    const member = { name: 'Invented Parent', relationship: 'Mother' };
    expect(fieldsOf({ ...sampleNotification(), householdMembers: [member] })).toEqual([]);
    expect(fieldsOf({ ...sampleNotification(), householdMembers: [{ name: 'Invented Parent' }] })).toEqual([
      { field: 'householdMembers.0.relationship', message: 'Enter a value' },
    ]);
    expect(
      fieldsOf({ ...sampleNotification(), householdMembers: Array.from({ length: 13 }, () => member) }),
    ).toEqual([{ field: 'householdMembers', message: 'A notification names at most 12 household members' }]);
  });

  it('keeps them out of the case record: only the notification document holds them', () => {
    const notification = seriousIncidentNotification.parse({
      ...withChild({ nhsNumber: VALID_NHS_NUMBER, address: '1 Example Street' }),
      householdMembers: [{ name: 'Invented Parent', relationship: 'Mother' }],
    });
    const { record } = openCase({
      caseId: '2b0f7a3e-8c1d-4e5f-9a6b-7c8d9e0f1a2b',
      notification,
      receivedAt: new Date('2026-03-05T10:00:00Z'),
      notificationDocumentKey: 'cases/2b0f7a3e-8c1d-4e5f-9a6b-7c8d9e0f1a2b/notification.json',
    });
    const json = JSON.stringify(record);
    for (const detail of ['9434765919', 'Example Street', 'Invented Parent', 'Mother']) {
      expect(json).not.toContain(detail);
    }
  });

  it("lists the child's address and NHS number in the rapid review report's child section, when given", () => {
    const [child] = seriousIncidentNotification.parse(
      withChild({ nhsNumber: VALID_NHS_NUMBER, address: '1 Example Street\nExampletown' }),
    ).children;
    const [without] = sampleNotification().children;

    expect(childRows(child!)).toEqual(
      expect.arrayContaining([
        ['Address', '1 Example Street, Exampletown'],
        ['NHS number', VALID_NHS_NUMBER],
      ]),
    );
    expect(childRows(without!).map(([key]) => key)).not.toContain('NHS number');
  });
});
