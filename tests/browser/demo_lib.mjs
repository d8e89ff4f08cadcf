// demo_lib.mjs — the demo's applications for the browser tests. `rounds seed
// --demo` makes their ids as the site makes any other (time-ordered, at the
// moment its story gives), so a test finds them as a visitor would: in the
// demo accounts' lists, by status. The oldest of each status is the demo's
// (other tests may add more of the same status later).
import assert from 'node:assert/strict';
import { apiExpect, apiLogin } from './lib.mjs';

async function oldest(email, status) {
  const token = await apiLogin(email);
  const { items } = await apiExpect(200, 'GET', `/api/v1/applications?status=${status}&limit=100`, { token });
  assert.ok(items.length > 0, `${email} has a ${status} application — is the demo seeded?`);
  return items[items.length - 1].id;
}

let found = null;

// { booked, completed } of student@rounds.test and { rotation } (under way) of rotation@rounds.test.
export function demoApplications() {
  found ??= (async () => ({
    booked: await oldest('student@rounds.test', 'booked'),
    completed: await oldest('student@rounds.test', 'completed'),
    rotation: await oldest('rotation@rounds.test', 'in_progress'),
  }))();
  return found;
}
