import ora, { type Ora } from 'ora';

import type { RunStatus } from '../notification-sink.js';
import { colorsFor } from '../color-policy.js';

/**
 * An ora spinner on stderr while the run connects, authenticates and subscribes, until the
 * connection is live. It runs only when stderr is a terminal (not `TERM=dumb`), so a log file
 * never fills with spinner frames.
 */
export class ConnectSpinner {
  private spinner: Ora | undefined;
  private done = false;

  static isPossible(): boolean {
    return process.stderr.isTTY === true && process.env.TERM !== 'dumb';
  }

  /** Shows the state on the way to live; stops for good at `live` or `closed`. */
  status(status: RunStatus): boolean {
    if (this.done || !ConnectSpinner.isPossible()) {
      return false;
    }
    const text = spinnerText(status);
    if (text === undefined) {
      this.stop();
      return false;
    }
    if (this.spinner === undefined) {
      this.spinner = ora({
        text,
        stream: process.stderr,
        color: colorsFor('stderr').level > 0 ? 'cyan' : false,
        // ora's own checks turn it off on CI servers; this spinner already runs only on a terminal.
        isEnabled: true,
        // Raw mode on stdin is the table's business; ora would otherwise take it over.
        discardStdin: false,
      }).start();
    } else {
      this.spinner.text = text;
    }
    return true;
  }

  stop(): void {
    this.done = true;
    this.spinner?.stop();
    this.spinner = undefined;
  }
}

function spinnerText(status: RunStatus): string | undefined {
  switch (status.state) {
    case 'connecting':
      return `connecting to ${status.url}`;
    case 'authenticating':
      return 'authenticating';
    case 'subscribing':
      return `subscribing to ${status.channel}`;
    default:
      return undefined;
  }
}
