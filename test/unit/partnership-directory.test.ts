import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../local/sample-notification.ts';
import { openCase } from '../../shared/cases/open-case.ts';
import { partnershipProfile } from '../../shared/config/partnership-profile.ts';
import { InvalidInputError, StaleWriteError } from '../../shared/errors.ts';
import {
  addDirectoryEntry,
  changeDirectoryEntry,
  type DirectoryAnswers,
  partnershipDirectory,
  removeDirectoryEntry,
  strategicLeadOf,
} from '../../shared/use-cases/partnership-directory.ts';
import { InMemoryCaseStore } from '../support/in-memory-case-store.ts';
import { SettableClock } from './api/support/api-fixtures.ts';
import { testProfile } from './workflow/workflow-fakes.ts';

const profile = partnershipProfile.parse({
  ...testProfile,
  agencyStrategicLeads: {
    "Children's Social Care": { name: 'Name-keyed Lead (demo)', email: 'csc.lead@example.org' },
  },
  agencyStrategicLeadsById: { police: { name: 'Id-keyed Lead (demo)', email: 'police.lead@example.org' } },
});

function aDirectory() {
  const cases = new InMemoryCaseStore();
  const service = { cases, profile, clock: new SettableClock('2026-03-04T10:00:00Z') };
  return { cases, service };
}

const housing: DirectoryAnswers = {
  name: 'Housing (demo)',
  contactName: 'Harriet Housing (demo)',
  contactEmail: 'housing.spoc@example.org',
  leadName: '',
  leadEmail: '',
};

async function refusal(run: Promise<unknown>): Promise<unknown[]> {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return (error as InvalidInputError).fields.map(({ field, message }) => [field, message]);
}

describe('the partnership directory', () => {
  it('is the profile’s agencies, with their leads and no contact, until the team first changes it', async () => {
    const { service } = aDirectory();

    const directory = await partnershipDirectory(service);

    expect(directory.kept).toBe(false);
    expect(
      directory.entries.map((entry) => [
        entry.agencyId,
        entry.name,
        entry.contact,
        entry.strategicLead?.email,
      ]),
    ).toEqual([
      ['childrens-social-care', "Children's Social Care", undefined, 'csc.lead@example.org'],
      ['police', 'Police', undefined, 'police.lead@example.org'],
    ]);
  });

  it('adds an agency with an id made from its name, keeping the profile’s agencies beside it', async () => {
    const { service } = aDirectory();

    const added = await addDirectoryEntry(service, {
      ...housing,
      leadName: 'Lee Lead (demo)',
      leadEmail: 'lee@example.org',
    });

    expect(added).toMatchObject({
      agencyId: 'housing-demo',
      name: 'Housing (demo)',
      contact: { name: 'Harriet Housing (demo)', email: 'housing.spoc@example.org' },
      strategicLead: { name: 'Lee Lead (demo)', email: 'lee@example.org' },
      version: 1,
    });
    const directory = await partnershipDirectory(service);
    expect(directory.kept).toBe(true);
    expect(directory.entries.map((entry) => entry.agencyId)).toEqual([
      'childrens-social-care',
      'housing-demo',
      'police',
    ]);
  });

  it('refuses bad answers, naming each field in the order of the page', async () => {
    const { service } = aDirectory();

    expect(
      await refusal(
        addDirectoryEntry(service, {
          ...housing,
          name: ' ',
          contactEmail: 'not an address',
          leadName: 'Only A Name',
        }),
      ),
    ).toEqual([
      ['name', 'Enter the agency’s name'],
      ['contactEmail', 'Enter the contact’s email address in the correct format, like name@example.org'],
      ['leadEmail', 'Enter the strategic lead’s email address'],
    ]);
    expect(
      await refusal(addDirectoryEntry(service, { ...housing, name: 'police', contactName: 'x'.repeat(121) })),
    ).toEqual([
      ['name', 'The directory already has an agency called police'],
      ['contactName', 'Contact’s name must be 120 characters or fewer'],
    ]);
    expect((await partnershipDirectory(service)).entries).toHaveLength(2);
  });

  it('changes an agency, keeping its id, and refuses a change made on an older reading', async () => {
    const { service } = aDirectory();
    const added = await addDirectoryEntry(service, housing);

    const changed = await changeDirectoryEntry(service, {
      agencyId: added.agencyId,
      version: 1,
      answers: { ...housing, name: 'Exampleshire Housing (demo)' },
    });

    expect(changed).toMatchObject({
      agencyId: 'housing-demo',
      name: 'Exampleshire Housing (demo)',
      version: 2,
    });
    await expect(
      changeDirectoryEntry(service, { agencyId: added.agencyId, version: 1, answers: housing }),
    ).rejects.toBeInstanceOf(StaleWriteError);
  });

  it('removes an agency, which stays removed though the profile names it', async () => {
    const { service } = aDirectory();

    await removeDirectoryEntry(service, { agencyId: 'police', version: 1 });

    expect((await partnershipDirectory(service)).entries.map((entry) => entry.agencyId)).toEqual([
      'childrens-social-care',
    ]);
  });

  it('finds an agency’s strategic lead by its id: the directory’s, else the profile’s, never by name', async () => {
    const { service } = aDirectory();
    await changeDirectoryEntry(service, {
      agencyId: 'police',
      version: 1,
      answers: { ...housing, name: 'Police', leadName: 'New Lead (demo)', leadEmail: 'new.lead@example.org' },
    });
    await addDirectoryEntry(service, {
      ...housing,
      name: 'Education',
      leadName: 'Ed Lead (demo)',
      leadEmail: 'ed@example.org',
    });

    expect(await strategicLeadOf(service, { agencyId: 'police', agencyName: 'Police' })).toEqual({
      name: 'New Lead (demo)',
      email: 'new.lead@example.org',
    });
    expect(
      (await strategicLeadOf(service, { agencyId: 'childrens-social-care', agencyName: 'x' }))?.email,
    ).toBe('csc.lead@example.org');
    // Named "Education" on a case, but with another id: the directory's Education lead is not its lead.
    expect(
      await strategicLeadOf(service, { agencyId: 'education-2', agencyName: 'Education' }),
    ).toBeUndefined();
  });

  it('gives a case’s agency the directory’s id when it was picked from the directory', () => {
    const notification = sampleNotification();
    notification.agencies = [
      {
        name: 'Police',
        spoc: { name: 'Spoc (demo)', email: 'spoc@example.org' },
        agencyId: 'exampleshire-police',
      },
      { name: 'Exampleshire Police', spoc: { name: 'Spoc (demo)', email: 'spoc2@example.org' } },
    ];

    const { agencies } = openCase({
      caseId: '0b6f2d4e-1c3a-4e5f-9a7b-00000000c0de',
      notification,
      receivedAt: new Date('2026-03-04T10:00:00Z'),
      notificationDocumentKey: 'cases/x/notification.json',
    });

    expect(agencies.map((agency) => agency.agencyId)).toEqual([
      'exampleshire-police',
      'exampleshire-police-2',
    ]);
  });
});
