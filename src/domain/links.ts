/**
 * Slack wraps links it recognises as `<https://x.org/n>` or `<https://x.org/n|x.org/n>`. Providers paste either
 * form, or a bare link; all three mean the same address.
 */
export function unwrapSlackLink(text: string): string {
  const trimmed = text.trim();
  const wrapped = /^<([^|>]+)(?:\|[^>]*)?>$/.exec(trimmed);
  return wrapped?.[1] ?? trimmed;
}

/** The link as a normalised http(s) URL, or null when it is not one. */
export function parseHttpLink(text: string): string | null {
  const candidate = unwrapSlackLink(text);
  if (!/^https?:\/\//i.test(candidate)) return null;
  try {
    const url = new URL(candidate);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
    return url.toString();
  } catch {
    return null;
  }
}
