import { DuplicateWriteError, NotFoundError, StaleWriteError } from '../errors.ts';
import type { CaseRecord } from '../schemas/case.ts';
import type { Service } from '../service.ts';
import type { AuditInput, CaseChanges } from '../stores/case-store.ts';

/** Another writer (the workflow, another person) may change the case between our read and our write; re-read this many times. */
const SAVE_ATTEMPTS = 4;

/**
 * A person's change to a case, saved on the freshest copy: reads the case, asks `refuse` whether
 * the change may be made now, and writes `change(record)` with its audit event. A write that lost
 * a race re-reads and re-checks; a duplicate event id (the same change written meanwhile) is
 * reported by `refuse` on the fresh copy, so a person sees "already done", not an error.
 *
 * @throws NotFoundError (no such case), whatever `refuse` answers, StaleWriteError after the
 * last attempt.
 */
export async function saveOnCase(
  service: Pick<Service, 'cases'>,
  caseId: string,
  refuse: (record: CaseRecord) => Error | undefined,
  change: (record: CaseRecord) => { changes: CaseChanges; audit: AuditInput },
  /** The case as the caller has just read it (to check who may act): the first attempt uses it. */
  options: { read?: CaseRecord } = {},
): Promise<CaseRecord> {
  for (let attempt = 1; ; attempt += 1) {
    const record = attempt === 1 && options.read ? options.read : await service.cases.getCase(caseId);
    if (!record) throw new NotFoundError('There is no case with this id');
    const refused = refuse(record);
    if (refused) throw refused;
    const { changes, audit } = change(record);
    try {
      return await service.cases.updateCase(record, changes, audit);
    } catch (error) {
      if (error instanceof DuplicateWriteError) {
        const again = await service.cases.getCase(caseId);
        throw (again && refuse(again)) ?? error;
      }
      if (!(error instanceof StaleWriteError) || attempt >= SAVE_ATTEMPTS) throw error;
    }
  }
}

/** Raised inside `saveOnceOnCase` to stop `saveOnCase` on a case the change was already made on. */
class AlreadyMade extends Error {
  override readonly name = 'AlreadyMade';
  readonly record: CaseRecord;
  constructor(record: CaseRecord) {
    super('The change was already made on this case');
    this.record = record;
  }
}

/**
 * `saveOnCase` for a change made once (a withdrawal, a closure), whose repeat must finish the
 * follow-ups a 503 left undone: a case it was already made on (`alreadyMade`, checked before
 * `refuse`, on every attempt) is answered as it stands, `repeated`, with nothing written.
 */
export async function saveOnceOnCase(
  service: Pick<Service, 'cases'>,
  caseId: string,
  alreadyMade: (record: CaseRecord) => boolean,
  refuse: (record: CaseRecord) => Error | undefined,
  change: (record: CaseRecord) => { changes: CaseChanges; audit: AuditInput },
): Promise<{ record: CaseRecord; repeated: boolean }> {
  try {
    const record = await saveOnCase(
      service,
      caseId,
      (current) => (alreadyMade(current) ? new AlreadyMade(current) : refuse(current)),
      change,
    );
    return { record, repeated: false };
  } catch (error) {
    if (error instanceof AlreadyMade) return { record: error.record, repeated: true };
    throw error;
  }
}
