import type { SessionRevocations } from '../../shared/stores/session-revocations.ts';

/** The SessionRevocations port in memory, as the DynamoDB adapter behaves (held to the same contract). */
export class InMemorySessionRevocations implements SessionRevocations {
  readonly #revoked = new Map<string, string>();
  /** How many times `isRevoked` was asked: a page request with a session asks once. */
  checks = 0;

  async revoke(sessionId: string, until: Date): Promise<void> {
    this.#revoked.set(sessionId, until.toISOString());
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    this.checks += 1;
    return this.#revoked.has(sessionId);
  }
}
