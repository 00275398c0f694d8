import { describe, expect, it } from 'vitest';
import { uploadOrigins } from '../../../infra/build-app.ts';

describe('the origins allowed to upload agency summaries from a browser', () => {
  it("adds the agency page's own origin (publicBaseUrl) to the configured ones, once", () => {
    const origins = uploadOrigins({
      uploadAllowedOrigins: ['https://reviews.example.org', 'https://other.example.org'],
      publicBaseUrl: 'https://reviews.example.org/base',
    });

    expect(origins).toEqual(['https://reviews.example.org', 'https://other.example.org']);
  });

  it('keeps the configured origins alone when the pages are on the API URL (known only at deploy)', () => {
    expect(uploadOrigins({ uploadAllowedOrigins: [], publicBaseUrl: undefined })).toEqual([]);
    expect(uploadOrigins({ uploadAllowedOrigins: [], publicBaseUrl: 'https://reviews.example.org' })).toEqual(
      ['https://reviews.example.org'],
    );
  });
});
