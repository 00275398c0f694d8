import { InvalidInputError } from '../errors.ts';
import { text } from '../schemas/primitives.ts';
import * as z from '../schemas/zod.ts';
import { invalidFields } from '../validation.ts';
import { STAFF_UPLOAD_MAX_BYTES, type StaffUpload } from './rrg-meeting.ts';

/**
 * The API's staff uploads (the minutes, the Panel's letter) as JSON, apart from the use cases so
 * the web function, whose pages post the file as a multipart form, does not carry it.
 */

/** The JSON body the upload routes take: the file's name and its bytes in base64. */
export const staffUploadBody = z.object({
  fileName: text(200),
  contentBase64: z
    .string({ error: 'Give the file’s bytes in base64' })
    .check(
      z.minLength(1, { error: 'The file is empty' }),
      z.regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'Give the file’s bytes in base64' }),
      z.maxLength(Math.ceil(STAFF_UPLOAD_MAX_BYTES / 3) * 4, { error: 'The file must be 4 MB or smaller' }),
    ),
});

/** The upload a JSON body describes, or InvalidInputError naming what is wrong. */
export function staffUploadFromBody(body: unknown): StaffUpload {
  const parsed = staffUploadBody.safeParse(body);
  if (!parsed.success) throw new InvalidInputError('upload', invalidFields(parsed.error));
  return {
    fileName: parsed.data.fileName,
    content: new Uint8Array(Buffer.from(parsed.data.contentBase64, 'base64')),
  };
}
