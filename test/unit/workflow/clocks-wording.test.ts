import { describe, expect, it } from 'vitest';
import type { Timetable } from '../../../shared/schemas/timetable.ts';
import { planRapidReview } from '../../../shared/timetable.ts';
import {
  clocksInBrief,
  clocksInWords,
  clocksOf,
  timelinessInWords,
} from '../../../shared/workflow/clocks-wording.ts';

/** Invented dates only. */
const panelGoverns = () =>
  planRapidReview({
    receivedAt: '2026-12-18T10:00:00Z',
    awareOn: '2026-12-14',
    panelNotifiedOn: '2026-12-15',
  });

/** A timetable as a case planned before the two clocks stored it: none of the new fields. */
function plannedBeforeTwoClocks(timetable: Timetable): Timetable {
  const {
    localDueDate: _local,
    governingDueDate: _governing,
    governedBy: _governedBy,
    workingDaysApart: _apart,
    panelNotifiedLate: _panelLate,
    partnershipToldLate: _partnershipLate,
    ...before
  } = timetable;
  return before;
}

describe('the two clocks in words', () => {
  it('says the Panel’s date governs, and how many working days earlier it is than the local Day 15', () => {
    const words = clocksInWords(clocksOf(panelGoverns()));

    expect(words.sentence).toBe(
      "The Panel expects this rapid review by Friday 8 January 2027. The partnership's own timetable would finish on Tuesday 12 January 2027. The review works to the Panel's date, 2 working days earlier.",
    );
    expect(words).toMatchObject({
      panelDate: 'Friday 8 January 2027',
      localDate: 'Tuesday 12 January 2027',
      governs: "The review works to the Panel's date, 2 working days earlier.",
    });
  });

  it('says the partnership’s timetable governs when the Panel’s date is later, and by how much', () => {
    // Over Easter 2027: the Panel was told three days after the partnership.
    const timetable = planRapidReview({ receivedAt: '2027-03-22T10:00:00Z', panelNotifiedOn: '2027-03-25' });

    expect(clocksInWords(clocksOf(timetable)).sentence).toBe(
      "The Panel expects this rapid review by Monday 19 April 2027. The partnership's own timetable finishes on Tuesday 13 April 2027. The review works to the partnership's timetable: the Panel's date is 4 working days later.",
    );
  });

  it('counts one working day in the singular', () => {
    const timetable = planRapidReview({ receivedAt: '2026-03-04T10:00:00Z', panelNotifiedOn: '2026-03-04' });

    expect(clocksInWords(clocksOf(timetable)).governs).toBe(
      "The review works to the partnership's timetable: the Panel's date is 1 working day later.",
    );
  });

  it('says when both dates fall on the same day', () => {
    const timetable = planRapidReview({ receivedAt: '2026-03-04T10:00:00Z', panelNotifiedOn: '2026-03-03' });

    const words = clocksInWords(clocksOf(timetable));

    expect(words.sentence).toBe(
      "The Panel expects this rapid review by Tuesday 24 March 2026. The partnership's own timetable finishes on the same day, and the review works to that date.",
    );
    expect(words.governs).toBe('Both dates fall on the same day: the review works to Tuesday 24 March 2026.');
  });

  it('says the Panel’s date is not known when the date the Panel was notified is not', () => {
    const words = clocksInWords(clocksOf(planRapidReview({ receivedAt: '2026-03-04T10:00:00Z' })));

    expect(words.panelDate).toBe('Not known');
    expect(words.sentence).toBe(
      "The Panel's date is not known, because the date the Panel was notified is not recorded. The partnership's own timetable finishes on Tuesday 24 March 2026. The review works to the partnership's own timetable.",
    );
  });

  it('reads a case planned before the two clocks as working to its local timetable, without a count', () => {
    // Planned before the two clocks: its milestones on the local dates, the Panel's date beside them.
    const local = planRapidReview({ receivedAt: '2026-12-18T10:00:00Z', awareOn: '2026-12-14' });
    const clocks = clocksOf(plannedBeforeTwoClocks({ ...local, panelDueBy: '2027-01-08' }));

    expect(clocks).toMatchObject({
      governedBy: 'local',
      clocksCompared: false,
      localDueDate: '2027-01-12',
      panelDueBy: '2027-01-08',
      panelNotifiedLate: null,
      partnershipToldLate: false,
    });
    expect(clocksInWords(clocks).governs).toBe(
      "The review works to the partnership's own timetable: it was planned before the service compared it with the Panel's date.",
    );
    expect(clocksInWords(clocks).sentence).not.toMatch(/working day/);
  });

  it('puts the date the review works to first in the brief form, with the other beside it', () => {
    expect(clocksInBrief(clocksOf(panelGoverns()))).toEqual({
      due: "8 January 2027 (the Panel's date)",
      other: "Partnership's own date: 12 January 2027, 2 working days later",
    });
    expect(
      clocksInBrief(
        clocksOf(planRapidReview({ receivedAt: '2027-03-22T10:00:00Z', panelNotifiedOn: '2027-03-25' })),
      ),
    ).toEqual({
      due: "13 April 2027 (the partnership's own date)",
      other: "Panel's date: 19 April 2027, 4 working days later",
    });
    expect(clocksInBrief(clocksOf(planRapidReview({ receivedAt: '2026-03-04T10:00:00Z' })))).toEqual({
      due: "24 March 2026 (the partnership's own date)",
      other: "Panel's date not known",
    });
  });

  it('writes no ISO date', () => {
    const clocks = clocksOf(panelGoverns());
    const all = [
      ...Object.values(clocksInWords(clocks)),
      ...Object.values(clocksInBrief(clocks)),
      ...Object.values(timelinessInWords(clocks)),
    ].join(' ');

    expect(all).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});

describe('the notifications’ timeliness in words', () => {
  it('says both notifications came on time, with the date they were due', () => {
    expect(timelinessInWords(clocksOf(panelGoverns()))).toEqual({
      panelNotified: 'The local authority notified the Panel on time (due by Monday 21 December 2026).',
      partnershipTold: 'The partnership was told on time (due by Monday 21 December 2026).',
    });
  });

  it('says each was late when it came after the due date', () => {
    const timetable = planRapidReview({
      receivedAt: '2026-12-18T10:00:00Z',
      awareOn: '2026-12-01',
      panelNotifiedOn: '2026-12-15',
    });

    expect(timelinessInWords(clocksOf(timetable))).toEqual({
      panelNotified: 'The local authority notified the Panel late (due by Tuesday 8 December 2026).',
      partnershipTold: 'The partnership was told late (due by Tuesday 8 December 2026).',
    });
  });

  it('says what is not known', () => {
    const noAwareness = planRapidReview({
      receivedAt: '2026-03-04T10:00:00Z',
      panelNotifiedOn: '2026-03-04',
    });
    const noPanelDate = planRapidReview({ receivedAt: '2026-03-04T10:00:00Z', awareOn: '2026-03-03' });

    expect(timelinessInWords(clocksOf(noAwareness))).toEqual({
      panelNotified:
        'Whether the local authority notified the Panel on time is not known: the date the local authority became aware is not recorded.',
      partnershipTold:
        'Whether the partnership was told on time is not known: the date the local authority became aware is not recorded.',
    });
    expect(timelinessInWords(clocksOf(noPanelDate))).toEqual({
      panelNotified:
        'Whether the local authority notified the Panel on time is not known (due by Tuesday 10 March 2026).',
      partnershipTold: 'The partnership was told on time (due by Tuesday 10 March 2026).',
    });
  });
});
