import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { govukFrontendDirectory, ownAssetsDirectory } from './paths.ts';

/** Every static file lives under this path. */
export const assetPath = '/assets';

const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};
const textual = new Set(['.css', '.js', '.mjs', '.svg']);

/**
 * Where an asset URL's file is: govuk-frontend's compiled CSS and JS, or this service's own
 * files (app.js, app.css). Not govuk-frontend's fonts, images or manifest: GOV.UK's typeface,
 * crown and icons are for services on GOV.UK, and this service is the partnership's own.
 */
function fileFor(name: string): string | undefined {
  const clean = normalize(name);
  if (clean.startsWith('..') || clean.startsWith('/') || clean.includes('\0')) return undefined;
  if (!contentTypes[extname(clean)]) return undefined;
  const govuk = join(govukFrontendDirectory, 'govuk');
  if (clean === 'govuk-frontend.min.css' || clean === 'govuk-frontend.min.js') return join(govuk, clean);
  return join(ownAssetsDirectory, clean);
}

/**
 * govuk-frontend's compiled CSS without GOV.UK's typeface, GDS Transport, which only services on
 * GOV.UK may use: its font faces removed and every font stack left at the Design System's
 * fallback, Arial then the system's sans-serif. The same as compiling govuk-frontend's Sass with
 * `$govuk-font-family: arial, sans-serif` and `$govuk-include-default-font-face: false`, without
 * a Sass compiler.
 */
export function withoutGovukTypeface(css: string): string {
  return css
    .replace(/@font-face\{font-family:GDS Transport;[^}]*\}/g, '')
    .replaceAll('font-family:GDS Transport,', 'font-family:');
}

interface LoadedAsset {
  body: Buffer;
  version: string;
}
const loaded = new Map<string, LoadedAsset | null>();

function load(name: string): LoadedAsset | undefined {
  if (!loaded.has(name)) {
    const file = fileFor(name);
    let asset: LoadedAsset | null = null;
    if (file) {
      try {
        const read = readFileSync(file);
        const body =
          name === 'govuk-frontend.min.css' ? Buffer.from(withoutGovukTypeface(read.toString('utf8'))) : read;
        asset = { body, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
      } catch {
        asset = null;
      }
    }
    loaded.set(name, asset);
  }
  return loaded.get(name) ?? undefined;
}

/**
 * The URL of an asset with its content hash as `?v=`, so it can be cached for a year and still
 * change with a deployment. Templates call it as `asset('app.js')`.
 */
export function assetUrl(name: string): string {
  const asset = load(name);
  return asset ? `${assetPath}/${name}?v=${asset.version}` : `${assetPath}/${name}`;
}

/**
 * Answers `GET /assets/<name>`: the file with its content type, base64 for binaries (API Gateway
 * decodes it), cached for a year when the URL carries a version, for a day otherwise.
 * Undefined when there is no such asset.
 */
export function serveAsset(
  path: string,
  query: URLSearchParams,
): APIGatewayProxyStructuredResultV2 | undefined {
  if (!path.startsWith(`${assetPath}/`)) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(path.slice(assetPath.length + 1));
  } catch {
    return undefined;
  }
  const asset = load(name);
  if (!asset) return undefined;
  const extension = extname(name);
  const isText = textual.has(extension);
  return {
    statusCode: 200,
    headers: {
      'content-type': contentTypes[extension] ?? 'application/octet-stream',
      'cache-control': query.has('v') ? 'public, max-age=31536000, immutable' : 'public, max-age=86400',
      'x-content-type-options': 'nosniff',
    },
    body: isText ? asset.body.toString('utf8') : asset.body.toString('base64'),
    isBase64Encoded: !isText,
  };
}
