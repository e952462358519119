import type { Request } from '../protocol/requests.js';

/** The server answered a request with an error response. */
export class ServerRejection extends Error {
  constructor(
    readonly request: Request,
    readonly code: string,
    readonly serverMessage: string,
  ) {
    super(`server rejected ${request.action}: ${code}: ${serverMessage}`);
    this.name = 'ServerRejection';
  }
}
