// openapi.test.mjs — the served OpenAPI document (GET /api/v1/openapi.json):
// valid OpenAPI 3.1 by a standard validator (@seriousme/openapi-schema-validator),
// every JSON route described (request body, success reply), the test-only
// routes listed only with test hooks on, and real replies checked against the
// schemas the document declares for them (ajv, JSON Schema 2020-12).
// Env: BASE_URL (a server without test hooks, seeded with `rounds seed --demo`),
// HOOKS_URL (the same database served with --test-hooks 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const BASE = process.env.BASE_URL;
const HOOKS = process.env.HOOKS_URL;
const DEMO_PASSWORD = 'rounds-demo-2026';

async function call(base, method, path, { body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
  let res;
  try {
    res = await fetch(base + path, init);
  } catch {
    res = await fetch(base + path, init); // a kept-alive connection the server had closed: once more
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, type: res.headers.get('content-type') || '', json, text };
}

const doc = (await call(BASE, 'GET', '/api/v1/openapi.json')).json;
const hooksDoc = (await call(HOOKS, 'GET', '/api/v1/openapi.json')).json;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

const methods = ['get', 'post', 'put', 'patch', 'delete'];
function operations(d) {
  const out = [];
  for (const [path, item] of Object.entries(d.paths))
    for (const m of methods) if (item[m]) out.push({ key: `${m.toUpperCase()} ${path}`, path, method: m, op: item[m] });
  return out;
}

// The operation whose path template matches a concrete path.
function operationFor(method, path) {
  const bare = path.split('?')[0];
  for (const o of operations(doc)) {
    if (o.method !== method.toLowerCase()) continue;
    const re = new RegExp('^' + o.path.replace(/\{[^}]+\}/g, '[^/]+') + '$');
    if (re.test(bare)) return o.op;
  }
  return null;
}

function validate(schema, value) {
  const check = ajv.compile({ ...schema, components: doc.components });
  const ok = check(value);
  return ok ? null : ajv.errorsText(check.errors, { separator: '\n' });
}

// The reply must have the success status the document declares (or be a
// problem+json error) and a body its schema accepts.
function assertReplyMatches(method, path, reply) {
  const op = operationFor(method, path);
  assert.ok(op, `${method} ${path} is in the document`);
  const declared = Object.keys(op.responses).filter((s) => s !== 'default');
  if (reply.status >= 400) {
    assert.match(reply.type, /application\/problem\+json/);
    const problem = validate(op.responses.default.content['application/problem+json'].schema, reply.json);
    assert.equal(problem, null, `${method} ${path} ${reply.status}: ${problem}\n${reply.text}`);
    return;
  }
  assert.deepEqual(declared, [String(reply.status)], `${method} ${path} answered ${reply.status}`);
  const content = op.responses[String(reply.status)].content;
  if (!content) {
    assert.equal(reply.text, '', `${method} ${path}: no body declared`);
    return;
  }
  const errors = validate(content['application/json'].schema, reply.json);
  assert.equal(errors, null, `${method} ${path}: ${errors}\n${reply.text.slice(0, 2000)}`);
}

test('the document is valid OpenAPI 3.1 (standard validator)', async () => {
  assert.equal(doc.openapi, '3.1.0');
  const validator = new Validator();
  const result = await validator.validate(doc);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 3000));
  const withHooks = await new Validator().validate(hooksDoc);
  assert.equal(withHooks.valid, true, JSON.stringify(withHooks.errors, null, 1)?.slice(0, 3000));
});

test('every schema of the document compiles (JSON Schema 2020-12) and every $ref resolves', () => {
  let n = 0;
  for (const { key, op } of operations(doc)) {
    const schemas = [];
    for (const c of Object.values(op.requestBody?.content ?? {})) schemas.push(c.schema);
    for (const r of Object.values(op.responses)) for (const c of Object.values(r.content ?? {})) schemas.push(c.schema);
    for (const s of schemas) {
      assert.doesNotThrow(() => ajv.compile({ ...s, components: doc.components }), key);
      n++;
    }
  }
  assert.ok(n > 200, `${n} schemas`);
});

test('the test-only routes are listed only when test hooks are on', () => {
  assert.equal(doc.paths['/api/v1/test/clock'], undefined);
  assert.equal(doc.paths['/api/v1/test/jobs'], undefined);
  assert.ok(hooksDoc.paths['/api/v1/test/clock']?.post);
  assert.ok(hooksDoc.paths['/api/v1/test/jobs']?.post);
  assert.equal(Object.keys(hooksDoc.paths).length, Object.keys(doc.paths).length + 2);
});

// Routes of the route table when this test was written (routes.txt): each must
// say what it takes and answers. A route added since is listed, not failed,
// until the route table describes it (.request/.response; see README "Tests").
test('every JSON route declares its query parameters, request body and success reply', () => {
  const known = new Set(readFileSync(new URL('routes.txt', import.meta.url), 'utf8').split('\n').filter(Boolean));
  const failing = [];
  const added = [];
  for (const { key, op } of operations(hooksDoc)) {
    const missing = op['x-rounds-undescribed'];
    if (!missing) continue;
    (known.has(key) ? failing : added).push(`${key}: no ${missing.join(', no ')}`);
  }
  if (added.length) console.log(`routes newer than tests/openapi/routes.txt, not yet described:\n${added.join('\n')}`);
  assert.deepEqual(failing, []);
  for (const k of known) assert.ok(operations(hooksDoc).some((o) => o.key === k), `${k} is still served`);
  // the list endpoints say which query parameters they take, with types
  const search = doc.paths['/api/v1/offerings'].get.parameters;
  assert.deepEqual(search.find((p) => p.name === 'limit').schema.type, 'integer');
  assert.deepEqual(search.find((p) => p.name === 'cursor').schema.type, 'string');
  assert.equal(doc.paths['/api/v1/applications/{id}'].get.parameters[0].in, 'path');
  // every list is paged alike: it takes limit and cursor, and its reply has next_cursor
  let lists = 0;
  for (const { key, op } of operations(doc)) {
    const schema = op.responses?.['200']?.content?.['application/json']?.schema;
    if (!schema?.properties?.items) continue;
    lists++;
    assert.ok(schema.required.includes('next_cursor'), `${key}: a list without next_cursor`);
    const names = (op.parameters ?? []).map((p) => p.name);
    assert.ok(names.includes('limit') && names.includes('cursor'), `${key}: a list without limit and cursor`);
  }
  assert.ok(lists >= 26, `${lists} lists`);
});

test('request schemas come from the field specs the handlers parse with', async () => {
  const schema = doc.paths['/api/v1/auth/register'].post.requestBody.content['application/json'].schema;
  assert.deepEqual([...schema.required].sort(), ['email', 'name', 'password']);
  assert.equal(schema.additionalProperties, false);
  assert.equal(validate(schema, { email: 'a@b.example', password: 'plum-orchard-harbor-71', name: 'A B' }), null);
  assert.notEqual(validate(schema, { email: 'a@b.example', password: 'plum-orchard-harbor-71' }), null);
  assert.notEqual(validate(schema, { email: 'a@b.example', password: 'x', name: 'A', extra: 1 }), null);
  // what the schema refuses, the server refuses too (an unknown field, a missing one)
  const extra = await call(BASE, 'POST', '/api/v1/auth/register', { body: { email: 'x@y.example', password: 'plum-orchard-harbor-71', name: 'X', extra: 1 } });
  assert.equal(extra.status, 400);
  // enums come from the vocabulary's name tables, nested objects from nested specs
  const offering = doc.paths['/api/v1/offerings'].post.requestBody.content['application/json'].schema;
  assert.ok(offering.properties.kind.enum.length >= 2);
  assert.equal(offering.properties.eligibility.type, 'object');
  assert.equal(offering.properties.tuition_cents.type, 'integer');
  assert.ok(Number.isInteger(offering.properties.tuition_cents.maximum));
  // an upload takes multipart/form-data
  assert.ok(doc.paths['/api/v1/documents'].post.requestBody.content['multipart/form-data']);
});

test('real replies match the schemas the document declares', async () => {
  const email = `openapi.${Date.now()}@example.org`;
  const body = { email, password: 'plum-orchard-harbor-71', name: 'Ifeoma Eze' };
  const registered = await call(BASE, 'POST', '/api/v1/auth/register', { body });
  assert.equal(registered.status, 201, registered.text);
  assertReplyMatches('POST', '/api/v1/auth/register', registered);

  const login = await call(BASE, 'POST', '/api/v1/auth/login', { body: { email: 'student@rounds.test', password: DEMO_PASSWORD } });
  assert.equal(login.status, 200, login.text);
  assertReplyMatches('POST', '/api/v1/auth/login', login);
  const token = login.json.token;

  for (const path of ['/api/v1/me', '/api/v1/offerings?limit=2', '/api/v1/applications', '/api/v1/documents']) {
    const r = await call(BASE, 'GET', path, { token });
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    assertReplyMatches('GET', path, r);
  }
  const page = (await call(BASE, 'GET', '/api/v1/offerings?limit=5', { token })).json;
  assert.ok(page.items.length > 0, 'the demo catalog has offerings');
  const offeringPath = `/api/v1/offerings/${page.items[0].id}`;
  const offering = await call(BASE, 'GET', offeringPath, { token });
  assert.equal(offering.status, 200);
  assertReplyMatches('GET', offeringPath, offering);

  const apps = (await call(BASE, 'GET', '/api/v1/applications', { token })).json;
  assert.ok(apps.items.length > 0, 'the demo student has applications');
  const appPath = `/api/v1/applications/${apps.items[0].id}`;
  const app = await call(BASE, 'GET', appPath, { token });
  assert.equal(app.status, 200);
  assertReplyMatches('GET', appPath, app);

  // a new application (201) to a block the student has not applied to, of a rotation they are eligible for
  const applied = new Set(apps.items.map((a) => a.offering.id));
  const eligible = await call(BASE, 'GET', '/api/v1/offerings?eligible=me&limit=20', { token });
  assertReplyMatches('GET', '/api/v1/offerings', eligible);
  let created = null;
  for (const hit of eligible.json.items.filter((h) => !applied.has(h.id))) {
    const o = (await call(BASE, 'GET', `/api/v1/offerings/${hit.id}`, { token })).json;
    for (const block of o.blocks) {
      const r = await call(BASE, 'POST', '/api/v1/applications', { token, body: { block_id: block.id, statement: 'Schema check.' } });
      assertReplyMatches('POST', '/api/v1/applications', r);
      if (r.status === 201) { created = r; break; }
    }
    if (created) break;
  }
  assert.ok(created, 'an application was created');

  // problems: not found, bad body, no session
  const missing = await call(BASE, 'GET', '/api/v1/offerings/no_such_offering', { token });
  assert.equal(missing.status, 404);
  assertReplyMatches('GET', '/api/v1/offerings/x', missing);
  const bad = await call(BASE, 'POST', '/api/v1/auth/login', { body: { email: 'student@rounds.test' } });
  assert.equal(bad.status, 400);
  assertReplyMatches('POST', '/api/v1/auth/login', bad);
  assert.equal(bad.json.field, 'password');
  const anonymous = await call(BASE, 'GET', '/api/v1/me');
  assert.equal(anonymous.status, 401);
  assertReplyMatches('GET', '/api/v1/me', anonymous);

  // a schema that disagrees with a reply is caught (the check can fail)
  const wrong = { ...login.json, token: 42 };
  assert.notEqual(validate(operationFor('POST', '/api/v1/auth/login').responses['200'].content['application/json'].schema, wrong), null);
});

// Every GET the document lists, as each demo role, and each item of a list
// through its own address: the reply matches the declared schema (or is a
// problem+json). Files are checked for their declared media type only.
test('every GET of each demo role answers as the document declares', async () => {
  const roles = ['student', 'rotation', 'host', 'preceptor', 'school', 'staff', 'coach'];
  let checked = 0;
  let succeeded = 0;
  for (const role of roles) {
    const login = await call(BASE, 'POST', '/api/v1/auth/login', { body: { email: `${role}@rounds.test`, password: DEMO_PASSWORD } });
    assert.equal(login.status, 200, `${role}: ${login.text}`);
    const token = login.json.token;
    for (const { path, op } of operations(doc)) {
      if (!op || path.includes('{') || !doc.paths[path].get || op !== doc.paths[path].get) continue;
      const reply = await call(BASE, 'GET', path, { token });
      const declared = op.responses[String(reply.status)]?.content;
      if (reply.status < 400 && declared && !declared['application/json']) {
        const media = Object.keys(declared)[0];
        assert.ok(reply.type.startsWith(media), `${role} GET ${path}: ${reply.type}, declared ${media}`);
        continue;
      }
      assertReplyMatches('GET', path, reply);
      checked++;
      if (reply.status < 300) succeeded++;
      for (const item of (reply.status === 200 && Array.isArray(reply.json?.items) ? reply.json.items.slice(0, 2) : [])) {
        if (typeof item?.id !== 'string' || !doc.paths[`${path}/{id}`]?.get) continue;
        const one = await call(BASE, 'GET', `${path}/${item.id}`, { token });
        assertReplyMatches('GET', `${path}/${item.id}`, one);
        checked++;
        if (one.status < 300) succeeded++;
      }
    }
  }
  console.log(`${checked} replies of ${roles.length} roles checked against their schemas, ${succeeded} of them successes`);
  assert.ok(succeeded > 100, `${succeeded} successful replies checked`);
});
