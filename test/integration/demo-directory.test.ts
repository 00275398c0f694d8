/**
 * `npm start` begins the partnership directory with the demo's invented agencies, each with its
 * contact and the profile's strategic lead, on DynamoDB Local; a directory the team already keeps
 * is left alone.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { auditTableNameFor } from '../../local/case-table.ts';
import { demoDirectoryEntries, seedDemoDirectory } from '../../local/demo-directory.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { parsePartnershipProfile } from '../../shared/config/partnership-profile.ts';
import { DynamoDbCaseStore } from '../../shared/stores/case-store.ts';
import { useDynamoDbLocal } from '../support/dynamodb.ts';

const dynamo = useDynamoDbLocal();
const profile = parsePartnershipProfile(
  readFileSync(fileURLToPath(new URL('../../local/partnership-profile.json', import.meta.url)), 'utf8'),
);
const at = new Date('2026-03-04T10:00:00Z');

describe('the demo directory npm start begins with', () => {
  it('names every agency of the sample notification with its contact and, where the profile has one, its strategic lead', () => {
    const entries = demoDirectoryEntries(profile, at);

    expect(entries.map((entry) => entry.name)).toEqual(
      sampleNotification().agencies.map((agency) => agency.name),
    );
    expect(entries.every((entry) => entry.contact?.email.endsWith('@example.org'))).toBe(true);
    expect(entries.find((entry) => entry.name === 'Police')?.strategicLead).toEqual(
      profile.agencyStrategicLeads?.Police,
    );
  });

  it('starts the directory on an empty table, then leaves a kept one alone', async () => {
    const tableName = await dynamo.freshTable();
    const store = new DynamoDbCaseStore(dynamo.documentClient, tableName, auditTableNameFor(tableName));

    const first = await seedDemoDirectory(store, profile, at);
    const [firstEntry] = (await store.getDirectory()).entries;
    await store.removeDirectoryEntry(firstEntry!.agencyId, firstEntry!.version);
    const second = await seedDemoDirectory(store, profile, at);

    expect([first, second]).toEqual([true, false]);
    const kept = await store.getDirectory();
    expect(kept.kept).toBe(true);
    // The team's removal stands: the seed did not put the agency back.
    expect(kept.entries).toHaveLength(demoDirectoryEntries(profile, at).length - 1);
    expect(kept.entries.map((entry) => entry.agencyId)).not.toContain(firstEntry!.agencyId);
  });
});
