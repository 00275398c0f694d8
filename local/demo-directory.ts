import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { agencyIdFor } from '../shared/cases/open-case.ts';
import { type PartnershipProfile, strategicLeadFor } from '../shared/config/partnership-profile.ts';
import type { DirectoryEntry } from '../shared/schemas/directory.ts';
import type { DirectoryEntries } from '../shared/stores/case-store.ts';
import { DynamoDbCaseStore } from '../shared/stores/case-store.ts';
import { auditTableNameFor } from './case-table.ts';
import { localClientConfig } from './dynamodb-local.ts';
import { sampleNotification } from './sample-notification.ts';

/**
 * The partnership directory `npm start` begins with: the invented agencies the sample
 * notification names, each with its invented contact and the profile's strategic lead, so a
 * notifier trying the service picks agencies from a list as a partnership's would, and the team
 * finds them at /directory to change.
 */
export function demoDirectoryEntries(
  profile: Pick<PartnershipProfile, 'agencyStrategicLeads' | 'agencyStrategicLeadsById'>,
  at: Date,
): DirectoryEntry[] {
  return sampleNotification().agencies.map((agency) => {
    const agencyId = agencyIdFor(agency.name);
    const lead = strategicLeadFor(profile, { agencyId, agencyName: agency.name });
    return {
      agencyId,
      name: agency.name,
      contact: { name: agency.spoc.name, email: agency.spoc.email },
      ...(lead ? { strategicLead: { name: lead.name, email: lead.email } } : {}),
      version: 1,
      updatedAt: at.toISOString(),
    };
  });
}

/** Starts the directory with the demo's agencies, unless the partnership team already keeps one. */
export async function seedDemoDirectory(
  store: DirectoryEntries,
  profile: Pick<PartnershipProfile, 'agencyStrategicLeads' | 'agencyStrategicLeadsById'>,
  at: Date,
): Promise<boolean> {
  if ((await store.getDirectory()).kept) return false;
  await store.startDirectory(demoDirectoryEntries(profile, at));
  return true;
}

/** The local stack's case store, for `npm start` to seed. */
export function localCaseStore(dynamodbEndpoint: string, tableName: string): DynamoDbCaseStore {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(dynamodbEndpoint)), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return new DynamoDbCaseStore(client, tableName, auditTableNameFor(tableName));
}
