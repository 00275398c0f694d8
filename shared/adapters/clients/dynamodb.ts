import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let client: DynamoDBDocumentClient | undefined;

/**
 * The DynamoDB document client, made once per container. Its endpoint comes from
 * AWS_ENDPOINT_URL_DYNAMODB when set (the local stack), so the same code reaches AWS or DynamoDB
 * Local. One module per client: a function bundles only the clients it imports.
 */
export function dynamoDocumentClient(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return client;
}
