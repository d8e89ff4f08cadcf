// sign.mjs — signs webhook payloads with Stripe's own library
// (stripe.webhooks.generateTestHeaderString), so that the tests check Rounds'
// verification against Stripe's implementation rather than against itself.
//
//   node tests/stripe/sign.mjs SECRET [TIMESTAMP] < payload      one Stripe-Signature header
//   node tests/stripe/sign.mjs --lines SECRET [TIMESTAMP] < file  one header per input line
//
// TIMESTAMP (Unix seconds) defaults to now. The header goes to stdout.
import Stripe from 'stripe';

const args = process.argv.slice(2);
const lines = args[0] === '--lines';
if (lines) args.shift();
const [secret, timestamp] = args;
if (!secret) {
  process.stderr.write('usage: sign.mjs [--lines] SECRET [TIMESTAMP] < payload\n');
  process.exit(2);
}
const stripe = new Stripe('sk_test_unused_for_signing');
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = Buffer.concat(chunks).toString('utf8');
const sign = (payload) => stripe.webhooks.generateTestHeaderString({
  payload,
  secret,
  ...(timestamp ? { timestamp: Number(timestamp) } : {}),
});
if (lines) {
  const out = input.split('\n').filter((l) => l.length > 0).map(sign);
  process.stdout.write(out.join('\n') + '\n');
} else {
  process.stdout.write(sign(input) + '\n');
}
