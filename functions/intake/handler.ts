import { dynamoDocumentClient, sfnClient } from '../../shared/adapters/aws-clients.ts';
import { requireEnv } from '../../shared/env.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { serviceFromEnvironment } from '../../shared/service.ts';
import { DynamoDbCaseStore } from '../../shared/stores/case-store.ts';
import { type IntakePorts, submitNotification } from './submit-notification.ts';

let ports: IntakePorts | undefined;
function intakePorts(): IntakePorts {
  ports ??= {
    idempotency: new DynamoDbCaseStore(dynamoDocumentClient(), requireEnv('tableName')),
    stepFunctions: sfnClient(),
    stateMachineArn: () => requireEnv('stateMachineArn'),
  };
  return ports;
}

/** POST /api/notifications (SubmitNotification). */
export const handler = apiHandler({
  SubmitNotification: (request) => submitNotification(serviceFromEnvironment(), intakePorts(), request),
});
