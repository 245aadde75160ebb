/**
 * docs/simulator-driver.openapi.yaml against the running simulator, so that the description cannot drift: every route
 * the driver's code matches is documented, every documented path+method answers (with one of its documented
 * statuses, and a 200 JSON answer has the documented required fields), and undocumented methods are not served.
 */
import { GetDmpStatusCommand } from '@dmpkit/sdk';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startSimulator, type RunningSimulator } from '../src/index.js';
import { client, PATB } from './support.js';

const DOC = fileURLToPath(new URL('../../../docs/simulator-driver.openapi.yaml', import.meta.url));
const ROUTES = fileURLToPath(new URL('../src/driver/routes.ts', import.meta.url));
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

type Json = any;
const spec: Json = YAML.parse(readFileSync(DOC, 'utf8'));

function resolveRef(node: Json): Json {
  let n = node;
  for (let guard = 0; n && typeof n === 'object' && typeof n.$ref === 'string' && guard < 10; guard++) {
    const parts = (n.$ref as string).replace(/^#\//, '').split('/');
    n = parts.reduce((acc: Json, k) => acc?.[k], spec);
  }
  return n;
}

function allRefs(node: Json, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => allRefs(n, out));
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) k === '$ref' ? out.push(v as string) : allRefs(v, out);
  return out;
}

interface Operation {
  path: string;
  method: (typeof METHODS)[number];
  op: Json;
}
const operations: Operation[] = Object.entries(spec.paths as Record<string, Json>).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
);

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

/** The id of a request just logged (with its bodies). */
async function freshRequestId(): Promise<number> {
  await client(sim.baseUrl).send(new GetDmpStatusCommand({ patient: PATB }));
  return (sim.context.store.requests({ limit: 1 })[0]!.id as number);
}

async function concrete(path: string): Promise<string> {
  let p = path.replace('{ins}', PATB.ins);
  if (p.includes('{id}')) p = p.replace('{id}', String(await freshRequestId()));
  return p;
}

/** Checks the `required` fields (and arrays) of a documented JSON schema, following $ref and allOf. */
function checkShape(value: Json, schema: Json, where: string): void {
  const s = resolveRef(schema);
  if (!s) return;
  for (const part of s.allOf ?? []) checkShape(value, part, where);
  if (s.type === 'array') {
    expect(Array.isArray(value), `${where}: expected an array`).toBe(true);
    for (const item of (value as Json[]).slice(0, 5)) checkShape(item, s.items, `${where}[]`);
  }
  if (s.type === 'object' || s.required) {
    expect(value && typeof value === 'object' && !Array.isArray(value), `${where}: expected an object`).toBe(true);
    for (const k of s.required ?? []) expect(value, `${where}: required field ${k}`).toHaveProperty(k);
  }
}

describe('docs/simulator-driver.openapi.yaml', () => {
  it('is OpenAPI 3.1 whose references all resolve', () => {
    expect(spec.openapi).toMatch(/^3\.1\./);
    expect(operations.length).toBeGreaterThan(15);
    for (const ref of allRefs(spec)) expect(resolveRef({ $ref: ref }), ref).toBeDefined();
    for (const { path, method, op } of operations) expect(Object.keys(op.responses ?? {}).length, `${method} ${path}`).toBeGreaterThan(0);
  });

  it('documents every route the driver code matches', () => {
    const src = readFileSync(ROUTES, 'utf8');
    const literals = [...src.matchAll(/path === '([^']+)'/g)].map((m) => m[1]!);
    const patterns = [...src.matchAll(/= (\/\^.+?\$\/)\.exec\(path\)/g)].map((m) => new RegExp(m[1]!.slice(1, -1)));
    expect(literals.length).toBeGreaterThan(8);
    expect(patterns.length).toBeGreaterThanOrEqual(2);
    const documented = Object.keys(spec.paths as object);
    for (const l of literals) expect(documented, `route ${l}`).toContain(l === '/' ? '/_driver' : `/_driver${l}`);
    const examples = documented.map((p) => p.replace(/^\/_driver/, '').replace('{ins}', PATB.ins).replace('{id}', '1'));
    for (const re of patterns) expect(examples.some((e) => re.test(e)), `route ${re}`).toBe(true);
  });

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))('%s answers with a documented status and shape', async (_name, { path, method, op }) => {
    const url = `${sim.url}${await concrete(path)}`;
    const hasBody = op.requestBody !== undefined;
    const res = await fetch(url, { method: method.toUpperCase(), ...(hasBody ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}) });
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json') ? ((await res.json()) as Json) : await res.text();
    if (type.includes('json') && res.status !== 200) expect(body?.error?.code, JSON.stringify(body)).not.toBe('NOT_FOUND');
    expect(Object.keys(op.responses), `status ${res.status}: ${JSON.stringify(body)}`).toContain(String(res.status));
    const documented = resolveRef(op.responses[String(res.status)]);
    if (res.status === 200 && type.includes('json')) checkShape(body, documented.content['application/json'].schema, `${method} ${path}`);
    if (res.status !== 200) checkShape(body, { $ref: '#/components/schemas/Error' }, `${method} ${path}`);
  });

  it('serves no undocumented method on a documented path', async () => {
    for (const [path, item] of Object.entries(spec.paths as Record<string, Json>)) {
      const url = `${sim.url}${await concrete(path)}`;
      for (const m of METHODS.filter((x) => !item[x])) {
        const res = await fetch(url, { method: m.toUpperCase(), ...(m === 'get' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }) });
        expect(res.status, `${m.toUpperCase()} ${path}`).toBe(404);
        expect(((await res.json()) as Json).error.code, `${m.toUpperCase()} ${path}`).toBe('NOT_FOUND');
      }
    }
  });
});
