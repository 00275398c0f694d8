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
  '.json': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};
const textual = new Set(['.css', '.js', '.mjs', '.json', '.svg']);

/**
 * Where an asset URL's file is: govuk-frontend's compiled CSS and JS and its fonts, images and
 * manifest (the URLs its CSS and template use), or this service's own files (app.js, app.css).
 */
function fileFor(name: string): string | undefined {
  const clean = normalize(name);
  if (clean.startsWith('..') || clean.startsWith('/') || clean.includes('\0')) return undefined;
  if (!contentTypes[extname(clean)]) return undefined;
  const govuk = join(govukFrontendDirectory, 'govuk');
  if (clean === 'govuk-frontend.min.css' || clean === 'govuk-frontend.min.js') return join(govuk, clean);
  if (clean === 'manifest.json' || clean.startsWith('fonts/') || clean.startsWith('images/')) {
    return join(govuk, 'assets', clean);
  }
  return join(ownAssetsDirectory, clean);
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
        const body = readFileSync(file);
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
