import type { ApiResponse } from './types.js';

/** The viewer as one self-contained HTML document, and the hashes of its one script and one style. */
export interface ViewerPage {
  html: string;
  /** `sha256-…` of the inline script's text, as a Content-Security-Policy source. */
  scriptHash: string;
  styleHash: string;
}

// Audit data is never cached: not by the browser, not by a proxy in between.
const COMMON = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

/** A JSON body with its status. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): ApiResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...COMMON, ...headers },
    body: JSON.stringify(body),
  };
}

/** `{ "error": message }`. */
export function errorResponse(
  statusCode: number,
  message: string,
  headers: Record<string, string> = {},
): ApiResponse {
  return jsonResponse(statusCode, { error: message }, headers);
}

/**
 * The Content-Security-Policy of the viewer: nothing but its own hashed script and style, and fetches to
 * its own origin. No inline script or style other than those two, no external origin, no framing.
 */
export function viewerCsp(page: ViewerPage): string {
  return [
    "default-src 'none'",
    `script-src '${page.scriptHash}'`,
    `style-src '${page.styleHash}'`,
    "connect-src 'self'",
    // The page's icon is an empty data: URL, so the browser does not ask for /favicon.ico.
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The viewer page under its strict CSP. */
export function pageResponse(page: ViewerPage): ApiResponse {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      ...COMMON,
      'content-security-policy': viewerCsp(page),
      'referrer-policy': 'no-referrer',
    },
    body: page.html,
  };
}
