/** Error codes the node's documentation lists. A client must also accept codes outside this list. */
export const DOCUMENTED_ERROR_CODES = [
  'invalid_channel',
  'invalid_params',
  'rate_limit_exceeded',
  'auth_required',
] as const;

export type DocumentedErrorCode = (typeof DOCUMENTED_ERROR_CODES)[number];

/**
 * Code the devnode sends for a frame that is not a request at all (not JSON, not an object, or an
 * unknown action). The documentation names no code for this case.
 */
export const INVALID_REQUEST = 'invalid_request';

export function isDocumentedErrorCode(code: string): code is DocumentedErrorCode {
  return (DOCUMENTED_ERROR_CODES as readonly string[]).includes(code);
}
