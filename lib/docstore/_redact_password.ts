/**
 * url with its password replaced by `***`, safe to print. The user info is taken to end at the last `@`, so
 * a password holding `/` or another `@` (which a URL parser would split at) is never echoed.
 */
export function redactPassword(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/is.exec(url);
  if (!match) return url;
  const [, scheme, rest] = match;
  const at = rest.lastIndexOf("@");
  if (at === -1) return url;
  const colon = rest.indexOf(":");
  if (colon === -1 || colon > at) return url;
  return `${scheme}${rest.slice(0, colon)}:***@${rest.slice(at + 1)}`;
}
