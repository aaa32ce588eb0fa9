// The OpenAPI 3.1 document, generated from the route table with zod's JSON Schema output; never written by hand.
import { z } from 'zod';
import {
  API_PREFIX,
  ApiErrorResponse,
  JsonValue,
  pathParams,
  type RouteDef,
  RPC_PATH,
  routes,
  STREAM_PATH,
  topicNames,
} from '../../shared';
import { VERSION } from '../../shared/version';

type Json = Record<string, unknown>;

/** Named schemas hoisted into components (a recursive schema cannot be inlined). */
const named = z.registry<{ id: string }>();
named.add(JsonValue, { id: 'JsonValue' });

/**
 * zod -> JSON Schema for use inside the document. zod puts shared and recursive parts in a local `$defs`, whose
 * `#/$defs/...` references would resolve against the document root; they are moved to `components.schemas`.
 */
function toSchema(schema: z.ZodType, io: 'input' | 'output', prefix: string, components: Json): Json {
  const js = z.toJSONSchema(schema, { io, unrepresentable: 'any', metadata: named, target: 'draft-2020-12' }) as Json;
  delete js.$schema;
  const defs = (js.$defs ?? {}) as Record<string, Json>;
  delete js.$defs;
  const rename = new Map<string, string>();
  for (const name of Object.keys(defs))
    rename.set(name, name.startsWith('__') ? `${prefix}${name.replace(/^_+/, '_')}` : name);
  const fix = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(fix);
    if (node === null || typeof node !== 'object') return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      const m = k === '$ref' && typeof v === 'string' ? /^#\/\$defs\/(.+)$/.exec(v) : null;
      out[k] = m?.[1] ? `#/components/schemas/${rename.get(m[1]) ?? m[1]}` : fix(v);
    }
    return out;
  };
  for (const [name, def] of Object.entries(defs)) components[rename.get(name) as string] ??= fix(def);
  return fix(js) as Json;
}

const errorResponse = { $ref: '#/components/responses/Error' };

function operation(def: RouteDef, schemas: Json): Json {
  const { method, path, headers = {}, status = 200 } = def.http;
  const inPath = new Set(pathParams(path));
  const inHeaders = new Set(Object.values(headers));
  const input = toSchema(def.input, 'input', `${def.name}.input`, schemas);
  const properties = (input.properties ?? {}) as Record<string, Json>;
  const required = new Set((input.required ?? []) as string[]);
  const parameters: Json[] = [];
  for (const name of inPath) {
    parameters.push({ name, in: 'path', required: true, schema: properties[name] ?? { type: 'string' } });
  }
  for (const [header, key] of Object.entries(headers)) {
    parameters.push({ name: header, in: 'header', required: false, schema: properties[key] ?? { type: 'string' } });
  }
  const rest = Object.entries(properties).filter(([k]) => !inPath.has(k) && !inHeaders.has(k));
  const op: Json = { operationId: def.name, summary: def.summary, tags: [def.name.split('.')[0]] };
  if (method === 'GET' || method === 'DELETE') {
    for (const [name, schema] of rest) {
      parameters.push({ name, in: 'query', required: required.has(name), schema, style: 'form', explode: true });
    }
  } else {
    const body: Json = { ...input, properties: Object.fromEntries(rest) };
    const bodyRequired = [...required].filter((k) => !inPath.has(k) && !inHeaders.has(k));
    if (bodyRequired.length > 0) body.required = bodyRequired;
    else delete body.required;
    op.requestBody = { required: bodyRequired.length > 0, content: { 'application/json': { schema: body } } };
  }
  if (parameters.length > 0) op.parameters = parameters;
  const responses: Json = {
    [String(status)]: {
      description: def.summary,
      content: { 'application/json': { schema: toSchema(def.output, 'output', `${def.name}.output`, schemas) } },
    },
    '400': errorResponse,
  };
  if (def.http.auth !== false) responses['401'] = errorResponse;
  responses['403'] = errorResponse;
  responses['404'] = errorResponse;
  if (method !== 'GET' && method !== 'DELETE')
    Object.assign(responses, { '409': errorResponse, '413': errorResponse, '422': errorResponse });
  op.responses = responses;
  if (def.http.auth === false) op.security = [];
  return op;
}

/** Builds the whole document; `serverUrl` is where the API is mounted (default `/api/v1`, relative to the host). */
export function buildOpenApi(serverUrl: string = API_PREFIX): Json {
  const schemas: Json = {};
  const paths: Record<string, Json> = {};
  for (const def of Object.values(routes) as RouteDef[]) {
    paths[def.http.path] = { ...paths[def.http.path], [def.http.method.toLowerCase()]: operation(def, schemas) };
  }
  const rel = (p: string) => p.slice(API_PREFIX.length);
  paths[`${rel(RPC_PATH)}/{name}`] = {
    post: {
      operationId: 'rpc',
      summary: 'Call any contract route by name with its input as the JSON body (what the browser UI uses)',
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', enum: Object.keys(routes) } }],
      requestBody: { required: false, content: { 'application/json': { schema: { type: 'object' } } } },
      responses: {
        '200': { description: "The route's output", content: { 'application/json': { schema: {} } } },
        '400': errorResponse,
        '401': errorResponse,
        '404': errorResponse,
      },
    },
  };
  paths[rel(STREAM_PATH)] = {
    get: {
      operationId: 'stream',
      summary: `Server-sent events of the push topics: ${topicNames.join(', ')}`,
      responses: {
        '200': {
          description: '`event: <topic>` and `data: <json>` frames',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
        '401': errorResponse,
      },
    },
  };
  schemas.Error = toSchema(ApiErrorResponse, 'output', 'Error', schemas);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hookbench REST API',
      version: VERSION,
      description: 'Local management API of the Hookbench webhook workbench',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The token `hookbench serve` prints' },
      },
      responses: {
        Error: {
          description: 'An error: `{ error: { code, message, issues? } }`',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  };
}
