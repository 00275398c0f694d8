import { SFNClient } from '@aws-sdk/client-sfn';

let client: SFNClient | undefined;

/** The Step Functions client, made once per container; its endpoint comes from AWS_ENDPOINT_URL_SFN when set. */
export function sfnClient(): SFNClient {
  client ??= new SFNClient({});
  return client;
}
