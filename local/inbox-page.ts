import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { htmlResponse } from '../functions/web/router.ts';
import { createTemplateEnvironment } from '../functions/web/views.ts';
import { formatInstant } from '../shared/workflow/london-time.ts';
import { localPageContext } from './page-context.ts';
import type { LocalEmail, LocalInbox } from './ses.ts';

/** The local inbox's own path; the local stack serves it, the web function knows nothing of it. */
export const localInboxPath = '/local/inbox';

const timeZone = 'Europe/London';
const templates = createTemplateEnvironment([fileURLToPath(new URL('./templates/', import.meta.url))]);

/** A piece of an email's line: text, or a link that opens in a click. */
export type LinePart = { text: string } | { text: string; href: string };

const LINK = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g;

/** One line of an email's text, with every web address made a link. */
export function linkedLine(line: string): LinePart[] {
  const parts: LinePart[] = [];
  let at = 0;
  for (const match of line.matchAll(LINK)) {
    if (match.index > at) parts.push({ text: line.slice(at, match.index) });
    parts.push({ text: match[0], href: match[0] });
    at = match.index + match[0].length;
  }
  if (at < line.length) parts.push({ text: line.slice(at) });
  return parts;
}

/** The email's text as paragraphs (split at blank lines) of lines of parts. */
export function emailParagraphs(text: string): LinePart[][][] {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .filter((paragraph) => paragraph.trim() !== '')
    .map((paragraph) => paragraph.split('\n').map(linkedLine));
}

function emailView(email: LocalEmail) {
  return {
    messageId: email.messageId,
    subject: email.subject,
    serviceTime: email.serviceTime ? formatInstant(email.serviceTime, timeZone) : undefined,
    realTime: formatInstant(email.receivedAt, timeZone),
    from: email.from,
    to: email.to.join(', '),
    cc: email.cc.join(', '),
    replyTo: email.replyTo.join(', '),
    attachments: email.attachments.map((attachment) => ({
      ...attachment,
      href: `${localInboxPath}/${encodeURIComponent(email.messageId)}/${encodeURIComponent(attachment.fileName)}`,
      kib: Math.max(1, Math.round(attachment.size / 1024)).toLocaleString('en-GB'),
    })),
    paragraphs: emailParagraphs(email.text),
  };
}

/**
 * The local stack's inbox (GET /local/inbox): every email the service sent, newest first, each
 * with when the service sent it by its virtual clock beside the real time, who it went to, its
 * text with every link ready to open in a click, and its attachments to download
 * (GET /local/inbox/{messageId}/{fileName}). Only local/api.ts serves it; on AWS emails go out.
 */
export async function localInboxPage(
  options: { sessionSecret: Buffer; inbox: LocalInbox },
  request: { path: string; cookies: readonly string[] | undefined; recipient?: string | null },
): Promise<APIGatewayProxyStructuredResultV2> {
  if (request.path !== localInboxPath) {
    const [messageId, fileName] = request.path
      .slice(localInboxPath.length + 1)
      .split('/')
      .map((part) => decodeURIComponent(part));
    const email = (await options.inbox.listEmails()).find((candidate) => candidate.messageId === messageId);
    const attachment = email?.attachments.find((candidate) => candidate.fileName === fileName);
    if (!email || !attachment || !fileName) {
      return {
        statusCode: 404,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: 'No such attachment',
      };
    }
    const bytes = await options.inbox.attachment(email.messageId, fileName);
    return {
      statusCode: 200,
      headers: {
        'content-type': attachment.contentType,
        'content-disposition': `attachment; filename="${fileName.replace(/["\\\r\n]/g, '_')}"`,
      },
      body: Buffer.from(bytes).toString('base64'),
      isBase64Encoded: true,
    };
  }
  const context = localPageContext(options.sessionSecret, request.cookies);
  const recipient = request.recipient?.trim().toLowerCase() || undefined;
  const emails = (await options.inbox.listEmails())
    .filter(
      (email) =>
        !recipient || [...email.to, ...email.cc].some((address) => address.toLowerCase() === recipient),
    )
    .sort(
      (a, b) =>
        (b.serviceTime ?? b.receivedAt).getTime() - (a.serviceTime ?? a.receivedAt).getTime() ||
        b.receivedAt.getTime() - a.receivedAt.getTime(),
    );
  const response = htmlResponse(
    await templates,
    'local-inbox.njk',
    {
      ...context.layout(localInboxPath),
      emails: emails.map(emailView),
      recipient,
    },
    200,
  );
  return context.withIssuedCookies(response);
}
