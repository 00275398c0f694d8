import { SSMClient } from '@aws-sdk/client-ssm';

let client: SSMClient | undefined;

/** The Systems Manager client, made once per container; its endpoint comes from AWS_ENDPOINT_URL_SSM when set. */
export function ssmClient(): SSMClient {
  client ??= new SSMClient({});
  return client;
}
