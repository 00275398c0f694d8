import type { DraftStore, NotificationDraft } from '../../shared/stores/draft-store.ts';

/** The DraftStore port in memory; everything handed in or out is a copy. */
export class InMemoryDraftStore implements DraftStore {
  readonly #drafts = new Map<string, NotificationDraft>();

  async getDraft(userId: string): Promise<NotificationDraft | undefined> {
    const draft = this.#drafts.get(userId);
    return draft ? structuredClone(draft) : undefined;
  }

  async saveDraft(userId: string, draft: NotificationDraft): Promise<void> {
    this.#drafts.set(userId, structuredClone({ ...draft, updatedAt: new Date().toISOString() }));
  }

  async deleteDraft(userId: string): Promise<void> {
    this.#drafts.delete(userId);
  }

  /** How many drafts are held (for tests). */
  get size(): number {
    return this.#drafts.size;
  }
}
