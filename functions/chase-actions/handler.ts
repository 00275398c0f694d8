import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { ConfigurationError } from '../../shared/errors.ts';
import { environmentService } from '../../shared/service.ts';
import { learningStoreFromEnvironment } from '../../shared/stores/learning-store.ts';
import { chaseActions } from '../../shared/use-cases/action-plans.ts';
import { parseScheduledEvent } from '../../shared/use-cases/sweep-orphans.ts';
import { eventHandler } from '../../shared/workflow/task-handler.ts';

/** A port the chase never uses: reaching it is a defect. */
const notHere = (port: string) => (): never => {
  throw new ConfigurationError(`chase-actions has no ${port}`);
};

const service = environmentService({
  learning: learningStoreFromEnvironment,
  mailer: mailerFromEnvironment,
  cases: notHere('case store'),
  localReviews: notHere('local review store'),
  documents: notHere('document store'),
});

/**
 * Daily, from an EventBridge schedule: reminds each open action's owner on the partnership's
 * ladder, before and after its due date, each reminder once (with a fresh link to the action).
 */
export const handler = eventHandler('chase-actions', async (event) => {
  parseScheduledEvent(event);
  const result = await chaseActions(service);
  return { reminded: result.reminded.length };
});
