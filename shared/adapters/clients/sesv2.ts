import { SESv2Client } from '@aws-sdk/client-sesv2';

let client: SESv2Client | undefined;

/** The SES v2 client, made once per container; its endpoint comes from AWS_ENDPOINT_URL_SESV2 when set. */
export function sesClient(): SESv2Client {
  client ??= new SESv2Client({});
  return client;
}
