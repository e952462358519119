/**
 * Wraps one JSON line for --envelope as `{"seq":N,"received":"ISO 8601 UTC, ms","notification":…}`.
 * The notification is inserted as text, so its bytes stay exactly as they were.
 */
export function wrapInEnvelope(line: string, sequence: number, receivedAt: Date): string {
  return `{"seq":${sequence},"received":"${receivedAt.toISOString()}","notification":${line}}`;
}
