import { ServerRejection } from '../connection/server-rejection.js';
import { CscwsError } from '../errors.js';

const TOKEN_SOURCES = 'Pass a token with --token-file FILE, CSCWS_TOKEN or --token.';

/** Turns the server's error response to a rejected request into the error, exit code and hint for the user. */
export function explainRejection(rejection: ServerRejection, addresses: readonly string[]): CscwsError {
  const { request, code, serverMessage } = rejection;

  if (request.action === 'auth') {
    // Any error response to auth means the token was not accepted, whatever the code.
    return new CscwsError('auth', `token rejected: ${code}: ${serverMessage}`, {
      hint: 'Check the token; it is never printed.',
    });
  }

  const channel = request.channel;
  const serverError = `${code}: ${serverMessage}`;

  switch (code) {
    case 'auth_required':
      return new CscwsError('auth', `channel ${channel} requires authentication (${serverError})`, { hint: TOKEN_SOURCES });
    case 'rate_limit_exceeded':
      return new CscwsError('rateLimited', `the server rate-limited the ${request.action} of ${channel} (${serverError})`, {
        hint: 'Wait before trying again, or subscribe to fewer channels.',
      });
    case 'invalid_channel':
      return new CscwsError('subscription', `the server does not offer channel ${channel} (${serverError})`, {
        hint: 'The node may run an older API version; check its documentation for the channels it serves.',
      });
    case 'invalid_params': {
      const hint =
        channel === 'address-transactions'
          ? `The addresses sent were: ${summariseAddresses(request.params?.addresses ?? addresses)}. Check each one for typos.`
          : `The channel ${channel} takes no parameters on this node.`;
      return new CscwsError('subscription', `the server rejected the ${request.action} of ${channel} (${serverError})`, { hint });
    }
    default:
      return new CscwsError('subscription', `the server rejected the ${request.action} of ${channel} (${serverError})`);
  }
}

/** Lists up to five addresses and counts the rest, so a 10,000-address rejection stays readable. */
function summariseAddresses(addresses: readonly string[]): string {
  const shown = addresses.slice(0, 5).join(', ');
  return addresses.length > 5 ? `${shown} and ${addresses.length - 5} more` : shown;
}
