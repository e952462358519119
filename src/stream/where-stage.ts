import type { NotificationFrame } from '../protocol/frames.js';
import type { NotificationStage, StageVerdict } from './notification-stage.js';
import { parsedNotification } from './parsed-notification.js';
import { testCondition, type Condition } from './where-expression.js';

/** Passes a notification only when every --where condition holds. */
export class WhereStage implements NotificationStage {
  constructor(private readonly conditions: readonly Condition[]) {}

  inspect(frame: NotificationFrame): StageVerdict {
    const notification = parsedNotification(frame);
    return this.conditions.every((condition) => testCondition(condition, notification)) ? 'deliver' : 'skip';
  }
}

/** Ends the run with exit 0 at the first notification for which every --until condition holds, after delivering it. */
export class UntilStage implements NotificationStage {
  constructor(private readonly conditions: readonly Condition[]) {}

  inspect(frame: NotificationFrame): StageVerdict {
    const notification = parsedNotification(frame);
    return this.conditions.every((condition) => testCondition(condition, notification)) ? 'deliver-and-stop' : 'deliver';
  }
}
