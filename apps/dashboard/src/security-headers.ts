/**
 * The Content-Security-Policy of every response. Scripts only from the dashboard's own files
 * (the built UI has no inline script), so markup that slipped into a page could not run script;
 * styles also inline, because ECharts positions its tooltips with style attributes; no plugins,
 * no <base>, no framing, and requests only back to this server.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sent with every response: HTML, API, events, exports and static files alike. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // Other sites may not embed the API's answers (<script src>, <img src>) either.
  'cross-origin-resource-policy': 'same-origin',
};
