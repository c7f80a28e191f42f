/**
 * Hides the password of URLs (`postgresql://user:pw@host` → `postgresql://user:***@host`), for
 * every message, log line and printout that may hold a database or Redis URL. The user name stays,
 * so a message still says who tried to connect.
 *
 * Passwords are often pasted unencoded, with `/`, `@`, `:` or `#` in them: everything between
 * `//` and the last `@` counts as user-info, so no part of such a password survives (a path or
 * query holding `@` is hidden too, which is the safe side).
 */

const REDACTED = '***';

/** `scheme://` followed by the rest of one URL (whitespace allowed: it is one value). */
const WHOLE_URL = /^([a-z][a-z0-9+.-]*:\/\/)(.*)@/is;

/** `scheme://user-info@` inside free text: a URL ends at whitespace, a quote or a bracket. */
const URL_IN_TEXT = /([a-z][a-z0-9+.-]*:\/\/)([^\s'"`<>()[\]{}]*)@/gi;

/** One URL with its password replaced by `***`; a URL without user-info comes back unchanged. */
export function redactUrl(url: string): string {
  return url.replace(WHOLE_URL, (_match, scheme: string, userInfo: string) => `${scheme}${redactUserInfo(userInfo)}@`);
}

/** Text (an error message, a log line) with the password of every URL in it replaced by `***`. */
export function redactUrlsIn(text: string): string {
  return text.replace(
    URL_IN_TEXT,
    (_match, scheme: string, userInfo: string) => `${scheme}${redactUserInfo(userInfo)}@`,
  );
}

/** `user:password` → `user:***`; a user name alone has no secret and stays. */
function redactUserInfo(userInfo: string): string {
  const colon = userInfo.indexOf(':');
  return colon === -1 ? userInfo : `${userInfo.slice(0, colon)}:${REDACTED}`;
}
