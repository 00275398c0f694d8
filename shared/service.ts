import { dynamoDocumentClient, s3Client, sesClient } from './adapters/aws-clients.ts';
import { DocumentStore } from './adapters/documents.ts';
import { type Mailer, SesMailer } from './adapters/mailer.ts';
import { appClock, type Clock } from './clock.ts';
import { loadPartnershipProfile, type PartnershipProfile } from './config/partnership-profile.ts';
import { requireEnv } from './env.ts';
import { type CaseStore, DynamoDbCaseStore } from './stores/case-store.ts';

/**
 * The ports a function's logic is given. Handlers build them lazily from the environment
 * (once per container); tests build them from fakes or the local emulators.
 */
export interface Service {
  clock: Clock;
  cases: CaseStore;
  profile(): PartnershipProfile;
  mailer(): Mailer;
  documents(): DocumentStore;
  uploads(): DocumentStore;
  publicBaseUrl(): string;
}

let service: Service | undefined;

/** The service from the environment; each piece is read when first used, so a function only needs the variables it uses. */
export function serviceFromEnvironment(): Service {
  if (service) return service;
  const tableName = () => requireEnv('tableName');
  let mailer: Mailer | undefined;
  let documents: DocumentStore | undefined;
  let uploads: DocumentStore | undefined;
  let cases: CaseStore | undefined;
  service = {
    get clock() {
      return appClock();
    },
    get cases() {
      cases ??= new DynamoDbCaseStore(dynamoDocumentClient(), tableName());
      return cases;
    },
    profile: loadPartnershipProfile,
    mailer() {
      mailer ??= new SesMailer({
        ses: sesClient(),
        table: dynamoDocumentClient(),
        tableName: tableName(),
        from: loadPartnershipProfile().senderAddress,
        configurationSet: requireEnv('sesConfigurationSet'),
      });
      return mailer;
    },
    documents() {
      documents ??= new DocumentStore(s3Client(), requireEnv('documentBucket'));
      return documents;
    },
    uploads() {
      uploads ??= new DocumentStore(s3Client(), requireEnv('uploadBucket'));
      return uploads;
    },
    publicBaseUrl: () => requireEnv('publicBaseUrl').replace(/\/+$/, ''),
  };
  return service;
}
