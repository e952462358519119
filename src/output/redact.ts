/**
 * Secrets of this run (the token, header values) that no diagnostic line may show. This is the
 * last line of defence: code should never pass a secret to a log in the first place.
 */
const secrets = new Set<string>();

/**
 * Secrets shorter than this are not replaced, because masking every "1" or "ab" in stderr would
 * garble the output while protecting little.
 */
const MIN_REDACTED_LENGTH = 6;

export const REDACTED = '[redacted]';

export function registerSecret(secret: string): void {
  if (secret.length >= MIN_REDACTED_LENGTH) {
    secrets.add(secret);
  }
}

/** Replaces every registered secret in `text` with [redacted]. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const secret of secrets) {
    if (result.includes(secret)) {
      result = result.replaceAll(secret, REDACTED);
    }
  }
  return result;
}

/** Returns the URL as text with its password, if any, replaced by `***`, for logs and the status line. */
export function redactUrl(url: URL): string {
  if (url.password === '') {
    return url.href;
  }
  const shown = new URL(url.href);
  shown.password = '***';
  return shown.href;
}
