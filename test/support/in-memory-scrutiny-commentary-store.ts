import { StaleWriteError } from '../../shared/errors.ts';
import {
  nextCommentary,
  type ScrutinyCommentary,
  type ScrutinyCommentaryStore,
} from '../../shared/stores/scrutiny-commentary-store.ts';

/** The scrutineer's commentaries in memory, with the audit events their saves write. */
export class InMemoryScrutinyCommentaryStore implements ScrutinyCommentaryStore {
  readonly #commentaries = new Map<string, ScrutinyCommentary>();
  readonly audit: { period: string; at: string; actorId: string; action: string }[] = [];

  async getCommentary(period: string) {
    const found = this.#commentaries.get(period);
    return found ? structuredClone(found) : undefined;
  }

  async saveCommentary(input: Parameters<ScrutinyCommentaryStore['saveCommentary']>[0]) {
    const current = this.#commentaries.get(input.period);
    if ((current?.version ?? 0) !== input.expectedVersion)
      throw new StaleWriteError(`The commentary on ${input.period} changed since it was read`);
    const next = nextCommentary(input);
    this.#commentaries.set(input.period, next);
    this.audit.push({
      period: input.period,
      at: input.at,
      actorId: input.actor.id,
      action: 'scrutiny.commentary-saved',
    });
    return structuredClone(next);
  }
}
