import { NotFoundError } from '../../../shared/errors.ts';
import { caseReaders } from '../../../shared/schemas/roles.ts';
import { printNotification } from '../../../shared/use-cases/print-notification.ts';
import { notFound, type Page, rawResponse, staffOnly } from '../page.ts';

/**
 * GET /cases/{caseId}/notification.pdf: the notification as a PDF to read and print (issue 11
 * part 1), linked from the case page's documents. Made from the notification as it stands now,
 * so it exists from the moment the case opens and follows every correction; the same people as
 * the case page may have it. Served by the case pages' function, which already bundles the
 * service's PDF writer.
 */
export const notificationPdfPages: Page[] = [
  {
    method: 'GET',
    path: '/cases/{caseId}/notification.pdf',
    access: staffOnly(...caseReaders),
    async handle(request) {
      try {
        const printed = await printNotification(request.service, { caseId: request.params.caseId ?? '' });
        return rawResponse({
          statusCode: 200,
          headers: {
            'content-type': 'application/pdf',
            'content-disposition': `inline; filename="${printed.fileName}"`,
            // It names the child: never kept in a shared or browser cache.
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
          },
          body: Buffer.from(printed.bytes).toString('base64'),
          isBase64Encoded: true,
        });
      } catch (error) {
        if (error instanceof NotFoundError) return notFound();
        throw error;
      }
    },
  },
];
