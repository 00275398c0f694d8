import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { SERVICE_TIME_HEADER } from '../shared/adapters/mailer.ts';
import { portToUse } from './ports.ts';

const require = createRequire(import.meta.url);

/** An email as aws-ses-v2-local stores it (`GET /store`). */
interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  /** The Reply-To addresses (SES v2's ReplyToAddresses); absent in an older store. */
  replyTo?: string[];
  subject: string;
  body: { html?: string; text?: string };
  attachments: { content: string; contentType: string; filename?: string; size: number }[];
  headers?: { name: string; value: string }[];
  /** Seconds since the epoch (wall clock, not the virtual clock). */
  at: number;
}

/** One email in the local inbox, as tests and the demo read it. */
export interface LocalEmail {
  messageId: string;
  from: string;
  to: string[];
  cc: string[];
  /** Where a reply goes (the Reply-To header). */
  replyTo: string[];
  subject: string;
  text: string;
  attachments: { fileName: string; contentType: string; size: number }[];
  /** When the local SES received it, in real (wall-clock) time. */
  receivedAt: Date;
  /** When the service sent it by its own clock (the stack's virtual time), when the email says. */
  serviceTime?: Date;
}

/** Reads the emails a local SES holds, through its JSON API. */
export interface LocalInbox {
  listEmails(): Promise<LocalEmail[]>;
  /** The bytes of one attachment of one email. */
  attachment(messageId: string, fileName: string): Promise<Uint8Array>;
}

export interface RunningSes extends LocalInbox {
  /** The SES API endpoint for `AWS_ENDPOINT_URL_SESV2`. */
  endpoint: string;
  /** The web inbox showing every email sent. */
  sesUrl: string;
  port: number;
  stop(): Promise<void>;
}

/** Raw emails hold headers like `To: a@example.org, "B" <b@example.org>`; this keeps the addresses. */
function addresses(fields: string[]): string[] {
  return fields
    .flatMap((field) => field.split(','))
    .map((part) => (/<([^>]+)>/.exec(part)?.[1] ?? part).trim())
    .filter(Boolean);
}

function toLocalEmail(email: StoredEmail): LocalEmail {
  const stamped = email.headers?.find(
    (header) => header.name.toLowerCase() === SERVICE_TIME_HEADER.toLowerCase(),
  );
  const serviceTime = stamped ? new Date(stamped.value) : undefined;
  return {
    messageId: email.messageId,
    from: email.from,
    to: addresses(email.destination.to),
    cc: addresses(email.destination.cc),
    replyTo: addresses(email.replyTo ?? []),
    subject: email.subject,
    text: email.body.text ?? '',
    attachments: email.attachments.map((attachment) => ({
      fileName: attachment.filename ?? '',
      contentType: attachment.contentType,
      size: attachment.size,
    })),
    receivedAt: new Date(email.at * 1000),
    ...(serviceTime && !Number.isNaN(serviceTime.getTime()) ? { serviceTime } : {}),
  };
}

/** A client for the JSON API of an aws-ses-v2-local at `baseUrl`. */
export function localInbox(baseUrl: string): LocalInbox {
  async function stored(): Promise<StoredEmail[]> {
    const response = await fetch(new URL('/store', baseUrl));
    if (!response.ok) throw new Error(`Local SES answered ${response.status} to GET /store`);
    const body = (await response.json()) as { emails: StoredEmail[] };
    return body.emails;
  }
  return {
    async listEmails() {
      return (await stored()).map(toLocalEmail);
    },
    async attachment(messageId, fileName) {
      const email = (await stored()).find((candidate) => candidate.messageId === messageId);
      const found = email?.attachments.find((attachment) => attachment.filename === fileName);
      if (!found) throw new Error(`No attachment ${fileName} on email ${messageId}`);
      return new Uint8Array(Buffer.from(found.content, 'base64'));
    },
  };
}

/**
 * Starts aws-ses-v2-local in this process, bound to 127.0.0.1. It accepts SES v2 SendEmail
 * with Simple, Raw (MIME, attachments parsed) or Template content and keeps the emails in
 * memory: the inbox starts empty on every start. Its store is global to the process, so it is
 * cleared at start to keep one stack's inbox its own.
 */
export async function startLocalSes(options: { preferredPort?: number } = {}): Promise<RunningSes> {
  const startServer = (require('aws-ses-v2-local') as { default: typeof import('aws-ses-v2-local').default })
    .default;
  const port = await portToUse(options.preferredPort);
  const server: Server = await startServer({ host: '127.0.0.1', port });
  const endpoint = `http://127.0.0.1:${port}`;
  const cleared = await fetch(new URL('/clear-store', endpoint), { method: 'POST' });
  if (!cleared.ok) throw new Error(`Local SES answered ${cleared.status} to POST /clear-store`);
  return {
    endpoint,
    sesUrl: `${endpoint}/`,
    port,
    ...localInbox(endpoint),
    async stop() {
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      server.closeAllConnections();
      await closed;
    },
  };
}
