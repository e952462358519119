import type { NotificationFrame } from '../protocol/frames.js';

/**
 * What a stage decides for one notification: `deliver` passes it on, `skip` drops it, and
 * `deliver-and-stop` passes it on and ends the run with exit 0 (for a condition such as --until).
 */
export type StageVerdict = 'deliver' | 'skip' | 'deliver-and-stop';

/** One step between the session and the sink: dedupe, gap checks, filters. Stages run in order. */
export interface NotificationStage {
  inspect(frame: NotificationFrame): StageVerdict;
}

/** Runs `frame` through `stages`; the first `skip` wins, and any `deliver-and-stop` is kept. */
export function runStages(stages: readonly NotificationStage[], frame: NotificationFrame): StageVerdict {
  let verdict: StageVerdict = 'deliver';
  for (const stage of stages) {
    const result = stage.inspect(frame);
    if (result === 'skip') {
      return 'skip';
    }
    if (result === 'deliver-and-stop') {
      verdict = result;
    }
  }
  return verdict;
}
