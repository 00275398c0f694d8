import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynamoDbLocalCommand } from '../../../local/dynamodb-local.ts';

describe('how DynamoDB Local is started', () => {
  it('runs the loopback launcher on the jar’s classes, without telemetry, when Java can run a source file', () => {
    const command = dynamoDbLocalCommand({ port: 8123, dataDirectory: '/tmp/tables' }, true);

    expect(command.loopbackOnly).toBe(true);
    expect(existsSync(join(command.cwd, 'DynamoDBLocal.jar'))).toBe(true);
    const launcher = command.args.find((arg) => arg.endsWith('LoopbackDynamoDbLocal.java'));
    expect(launcher && existsSync(launcher)).toBe(true);
    expect(command.args).not.toContain('-jar');
    expect(command.args.slice(command.args.indexOf(launcher as string) + 1)).toEqual([
      '-disableTelemetry',
      '-port',
      '8123',
      '-dbPath',
      '/tmp/tables',
      '-sharedDb',
    ]);
  });

  it('falls back to the jar as it is, without telemetry, when it cannot, and reports that it is not loopback-only', () => {
    const command = dynamoDbLocalCommand({ port: 8123 }, false);

    expect(command.loopbackOnly).toBe(false);
    expect(command.args.slice(command.args.indexOf('-jar'))).toEqual([
      '-jar',
      'DynamoDBLocal.jar',
      '-disableTelemetry',
      '-port',
      '8123',
      '-inMemory',
      '-sharedDb',
    ]);
  });
});
