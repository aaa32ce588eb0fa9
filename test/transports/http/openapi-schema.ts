// Validates JSON against the schemas of the generated OpenAPI document (JSON Schema 2020-12, via Ajv), so tests
// can check that what the server answers is what the document promises.
import { Ajv2020 } from 'ajv/dist/2020';
import { buildOpenApi } from '../../../src/main/transports/openapi';

type Json = Record<string, unknown>;

export const openApiDoc = buildOpenApi() as Json & { paths: Record<string, Record<string, Json>>; components: Json };

const DOC_ID = 'https://hookbench.local/openapi.json';
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ ...openApiDoc, $id: DOC_ID });

const pointerEscape = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

/** Finds the operation with this operationId: its path, method and object. */
export function findOperation(operationId: string): { path: string; method: string; op: Json } {
  for (const [path, item] of Object.entries(openApiDoc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op.operationId === operationId) return { path, method, op };
    }
  }
  throw new Error(`no operation ${operationId}`);
}

/** Validates a response body against the documented schema; returns Ajv's errors (empty when valid). */
export function responseErrors(operationId: string, status: number, body: unknown): unknown[] {
  const { path, method } = findOperation(operationId);
  const pointer = `#/paths/${pointerEscape(path)}/${method}/responses/${status}`;
  const responses = (openApiDoc.paths[path]?.[method]?.responses ?? {}) as Json;
  const response = responses[String(status)] as Json | undefined;
  if (!response) throw new Error(`${operationId} documents no ${status} response`);
  // error responses point at components.responses.Error
  const ref = '$ref' in response ? '#/components/schemas/Error' : `${pointer}/content/application~1json/schema`;
  const validate = ajv.getSchema(`${DOC_ID}${ref}`);
  if (!validate) throw new Error(`no schema at ${ref}`);
  return validate(body) ? [] : (validate.errors ?? []);
}
