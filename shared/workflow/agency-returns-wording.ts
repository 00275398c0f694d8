import type { ReturnVersion } from '../schemas/agency-return.ts';
import type { AgencyRequest, CaseRecord } from '../schemas/case.ts';
import { formatInstant } from './london-time.ts';

/**
 * How the papers speak of each agency's return: its status in words, its latest structured
 * return, its uploaded file and the Word files. Apart from the collated report itself, so the
 * papers email can link the Word files without bundling the PDF library.
 */

/** A Word file an agency returned: listed at the end of the report, and sent to the group as its own link. */
export interface WordFile {
  agencyName: string;
  documentKey: string;
  /** The name it is offered under (the service does not keep the name the agency's file had). */
  fileName: string;
}

/** The agencies in the order the notification named them. */
export function inCaseOrder(record: CaseRecord, agencies: readonly AgencyRequest[]): AgencyRequest[] {
  const order = new Map(record.agencyIds.map((agencyId, index) => [agencyId, index]));
  const at = (agency: AgencyRequest) => order.get(agency.agencyId) ?? Number.MAX_SAFE_INTEGER;
  return [...agencies].sort((a, b) => at(a) - at(b));
}

/** The agency's latest structured return, if it made one. */
export function latestReturn(agency: AgencyRequest): ReturnVersion | undefined {
  return agency.returns?.at(-1);
}

/**
 * The agency's uploaded file: the latest one filed for it (the agency's own upload, or one the
 * partnership team uploaded for it), else the one its latest return names. Every upload sets the
 * agency's `documentKey`; a version only copies it, so the agency's is never older than a version's.
 */
export function returnedDocumentKey(agency: AgencyRequest): string | undefined {
  return agency.documentKey ?? latestReturn(agency)?.documentKey;
}

export const isWordKey = (key: string) => /\.docx?$/i.test(key);

/** A file name a person can read: the agency's name and the case reference, nothing internal. */
export function offeredName(agencyName: string, reference: string, extension: string): string {
  const name = agencyName
    .replace(/[^A-Za-z0-9 '&()-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return `${name} summary ${reference}.${extension}`;
}

/** The Word files the agencies returned, in the case's order (only agencies whose latest file is Word). */
export function wordFilesOf(record: CaseRecord, agencies: readonly AgencyRequest[]): WordFile[] {
  return inCaseOrder(record, agencies).flatMap((agency) => {
    const key = returnedDocumentKey(agency);
    if (!key || !isWordKey(key) || isRemoved(agency)) return [];
    return [
      {
        agencyName: agency.agencyName,
        documentKey: key,
        fileName: offeredName(agency.agencyName, record.reference, 'docx'),
      },
    ];
  });
}

/** An agency the partnership team took off the case (a status another change adds): not missing, not chased. */
export function isRemoved(agency: AgencyRequest): boolean {
  return (agency.status as string) === 'removed';
}

/** Where an agency's return stands, in one sentence. */
export function agencyStatusInWords(agency: AgencyRequest, timeZone: string): string {
  if (isRemoved(agency)) return 'Removed from the review';
  if (agency.status === 'received') {
    const at = agency.receivedAt ?? latestReturn(agency)?.submittedAt;
    const when = at ? formatInstant(at, timeZone) : 'a time not recorded';
    if (latestReturn(agency)?.answers.kind === 'no-involvement') {
      return `No involvement with this child or family (returned ${agency.late ? 'late ' : ''}at ${when})`;
    }
    return agency.late ? `Returned late at ${when}` : `Returned on time at ${when}`;
  }
  const chased = [
    agency.remindedAt ? `reminded at ${formatInstant(agency.remindedAt, timeZone)}` : undefined,
    agency.escalatedAt ? `escalated at ${formatInstant(agency.escalatedAt, timeZone)}` : undefined,
  ].filter((part) => part !== undefined);
  return chased.length > 0 ? `Not returned: ${chased.join(', ')}` : 'Not returned';
}
