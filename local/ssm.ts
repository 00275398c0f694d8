import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running local Parameter Store. */
export interface RunningSsm {
  /** `http://127.0.0.1:<port>`: give it to AWS_ENDPOINT_URL_SSM. */
  endpoint: string;
  port: number;
  /** Puts (or replaces) a String parameter, as PutParameter with Overwrite would. */
  put(name: string, value: string): void;
  /** Every parameter under `path`, at any depth (what a recursive GetParametersByPath returns, unpaged). */
  list(path: string): { name: string; value: string }[];
  /** Removes a parameter; true when there was one. */
  remove(name: string): boolean;
  /** Requests answered so far, by operation. */
  requests(): Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

interface StoredParameter {
  Name: string;
  Type: string;
  Value: string;
  Version: number;
  LastModifiedDate: number;
  DataType: string;
}

/** What GetParametersByPath answers at most a page, as on AWS. */
const pageSize = 10;

class SsmFault extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

/**
 * Starts a minimal AWS Systems Manager Parameter Store on 127.0.0.1, speaking the AWS JSON 1.1
 * protocol the real `SSMClient` uses (`X-Amz-Target: AmazonSSM.<Operation>`): GetParametersByPath
 * (recursive or one level, ten a page with NextToken, as on AWS), GetParameter, PutParameter and
 * DeleteParameter. Signatures are not checked. It holds its parameters in memory, starting from
 * `parameters` (the local stack seeds it from local/partnership-profile.json on every start).
 */
export async function startLocalSsm(
  options: { parameters?: readonly { name: string; value: string }[]; port?: number } = {},
): Promise<RunningSsm> {
  const store = new Map<string, StoredParameter>();
  const counts: Record<string, number> = {};
  const put = (name: string, value: string, type = 'String') => {
    const version = (store.get(name)?.Version ?? 0) + 1;
    store.set(name, {
      Name: name,
      Type: type,
      Value: value,
      Version: version,
      LastModifiedDate: Date.now() / 1000,
      DataType: 'text',
    });
    return version;
  };
  for (const { name, value } of options.parameters ?? []) put(name, value);

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    GetParametersByPath(input) {
      const path = requiredString(input, 'Path');
      if (!path.startsWith('/')) throw new SsmFault('ValidationException', 'Path must start with /');
      const prefix = path.endsWith('/') ? path : `${path}/`;
      const recursive = input.Recursive === true;
      const matching = [...store.values()]
        .filter((parameter) => parameter.Name.startsWith(prefix))
        .filter((parameter) => recursive || !parameter.Name.slice(prefix.length).includes('/'))
        .sort((a, b) => a.Name.localeCompare(b.Name));
      const limit = Math.min(Number(input.MaxResults ?? pageSize) || pageSize, pageSize);
      const start = input.NextToken === undefined ? 0 : offsetFromToken(input.NextToken);
      const page = matching.slice(start, start + limit);
      const next = start + limit < matching.length ? tokenFor(start + limit) : undefined;
      return { Parameters: page, ...(next ? { NextToken: next } : {}) };
    },
    GetParameter(input) {
      const name = requiredString(input, 'Name');
      const parameter = store.get(name);
      if (!parameter) throw new SsmFault('ParameterNotFound', `Parameter ${name} not found.`);
      return { Parameter: parameter };
    },
    PutParameter(input) {
      const name = requiredString(input, 'Name');
      const value = requiredString(input, 'Value');
      if (store.has(name) && input.Overwrite !== true) {
        throw new SsmFault('ParameterAlreadyExists', 'The parameter already exists.');
      }
      if (Buffer.byteLength(value) > 4096) {
        throw new SsmFault('ValidationException', 'Standard parameter values are at most 4 KB');
      }
      return {
        Version: put(name, value, typeof input.Type === 'string' ? input.Type : 'String'),
        Tier: 'Standard',
      };
    },
    DeleteParameter(input) {
      const name = requiredString(input, 'Name');
      if (!store.delete(name)) throw new SsmFault('ParameterNotFound', `Parameter ${name} not found.`);
      return {};
    },
  };

  const server = createServer((request, response) => {
    void answer(request, response);
  });
  async function answer(request: IncomingMessage, response: ServerResponse) {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(body));
    };
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = /^AmazonSSM\.(\w+)$/.exec(target)?.[1];
      const run = operation ? operations[operation] : undefined;
      if (request.method !== 'POST' || !operation || !run) {
        throw new SsmFault(
          'UnknownOperationException',
          `The local Parameter Store does not do ${target || 'that'}`,
        );
      }
      counts[operation] = (counts[operation] ?? 0) + 1;
      const text = Buffer.concat(chunks).toString('utf8');
      let input: unknown;
      try {
        input = text ? JSON.parse(text) : {};
      } catch {
        throw new SsmFault('SerializationException', 'The body is not JSON');
      }
      if (typeof input !== 'object' || input === null)
        throw new SsmFault('SerializationException', 'Not an object');
      send(200, run(input as Record<string, unknown>));
    } catch (error) {
      if (error instanceof SsmFault) send(400, { __type: error.type, message: error.message });
      else send(500, { __type: 'InternalServerError', message: 'The local Parameter Store failed' });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    put: (name, value) => {
      put(name, value);
    },
    list: (path) =>
      [...store.values()]
        .filter((parameter) => parameter.Name.startsWith(path.endsWith('/') ? path : `${path}/`))
        .map((parameter) => ({ name: parameter.Name, value: parameter.Value })),
    remove: (name) => store.delete(name),
    requests: () => ({ ...counts }),
    async stop() {
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      server.closeAllConnections();
      await closed;
    },
  };
}

function requiredString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    throw new SsmFault('ValidationException', `${field} is required`);
  }
  return value;
}

function tokenFor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function offsetFromToken(token: unknown): number {
  try {
    const { offset } = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as {
      offset: unknown;
    };
    if (Number.isInteger(offset) && (offset as number) >= 0) return offset as number;
  } catch {
    // Falls through to the error below.
  }
  throw new SsmFault('InvalidNextToken', 'The NextToken is not valid');
}
