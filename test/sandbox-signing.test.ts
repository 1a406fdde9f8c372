// The sandbox signs its webhook deliveries the Standard Webhooks way (issue 10), for both payload kinds.
import { startSandbox } from './sandbox';
import { sign, signatureHeaders, newSigningSecret } from './sandbox/signing';
import { parseArgs } from './sandbox/cli';
import { KEY_AUTH, call, soulParams, waitFor, startReceiver, verifyStandardWebhook } from './sandbox/test-helpers';
import vectors from './fixtures/standard-webhooks.json';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const opened: Sandbox[] = [];
const receivers: Receiver[] = [];
async function sandbox(opts: Parameters<typeof startSandbox>[0] = {}) {
	const sb = await startSandbox({ jobSeconds: 0.1, ...opts });
	opened.push(sb);
	return sb;
}
async function receiver(status = 200) {
	const rx = await startReceiver(status);
	receivers.push(rx);
	return rx;
}
afterAll(async () => {
	await Promise.all([...opened.map((s) => s.close()), ...receivers.map((r) => r.close())]);
});

const SECRET = vectors.secret;
const OTHER = vectors.otherSecret;
const hook = (url: string) => '?hf_webhook=' + encodeURIComponent(url);

describe('the signing code against the reference library', () => {
	test('reproduces the test vectors (one secret, and a rotation with two)', () => {
		expect(sign(vectors.secret, vectors.webhookId, vectors.webhookTimestamp, vectors.body)).toBe(vectors.signature);
		expect(sign(vectors.otherSecret, vectors.webhookId, vectors.webhookTimestamp, vectors.body)).toBe(vectors.signatureWithOtherSecret);
		const h = signatureHeaders([vectors.otherSecret, vectors.secret], vectors.webhookId, Number(vectors.webhookTimestamp), Buffer.from(vectors.body));
		expect(h).toEqual({ 'webhook-id': vectors.webhookId, 'webhook-timestamp': vectors.webhookTimestamp, 'webhook-signature': vectors.rotationHeader });
	});

	test("the test's independent verifier agrees with the vectors", () => {
		const headers = { 'webhook-id': vectors.webhookId, 'webhook-timestamp': vectors.webhookTimestamp, 'webhook-signature': vectors.rotationHeader };
		const now = Number(vectors.webhookTimestamp);
		expect(verifyStandardWebhook(headers, Buffer.from(vectors.body), vectors.secret, { nowSeconds: now })).toEqual({ valid: true, matches: [1], fresh: true });
		expect(verifyStandardWebhook(headers, Buffer.from(vectors.body + ' '), vectors.secret, { nowSeconds: now }).valid).toBe(false);
		expect(verifyStandardWebhook(headers, Buffer.from(vectors.body), vectors.secret, { nowSeconds: now + 360 }).fresh).toBe(false);
	});

	test('new secrets have the whsec_ form; the CLI takes one or two (rotation)', () => {
		expect(newSigningSecret()).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
		expect(parseArgs(['--webhook-signing-secret', `${OTHER},${SECRET}`])).toMatchObject({ opts: { webhookSigningSecret: [OTHER, SECRET] } });
	});
});

describe('signed deliveries', () => {
	test('request API: the status body is signed over its exact bytes; duplicates and retries keep the webhook-id', async () => {
		const rx = await receiver();
		const sb = await sandbox({ webhookSigningSecret: SECRET, webhookDuplicates: 1 });
		const r = await call(sb.url, 'POST', '/nano-banana' + hook(rx.url), { prompt: 'x' }, KEY_AUTH);
		await waitFor(() => rx.received.length === 2);
		const [a, b] = rx.received;
		expect(a.body).toMatchObject({ request_id: r.json.request_id, status: 'completed' });
		expect(a.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
		expect(b.headers['webhook-id']).toBe(a.headers['webhook-id']);
		expect(b.raw.equals(a.raw)).toBe(true);
		for (const d of rx.received) expect(verifyStandardWebhook(d.headers, d.raw, SECRET)).toEqual({ valid: true, matches: [0], fresh: true });
		expect(verifyStandardWebhook(a.headers, a.raw, OTHER).valid).toBe(false);
		expect(a.headers['x-webhook-secret-key']).toBeUndefined();

		const flaky = await receiver(503);
		const sb2 = await sandbox({ webhookSigningSecret: SECRET, webhookRetries: 2, webhookRetryDelayMs: 20 });
		await call(sb2.url, 'POST', '/veo3.1' + hook(flaky.url), { prompt: 'x [sandbox:failed]' }, KEY_AUTH);
		await waitFor(() => flaky.received.length === 3);
		expect(new Set(flaky.received.map((d) => d.headers['webhook-id'])).size).toBe(1);
		expect(flaky.received[0].body).toMatchObject({ status: 'failed', error: expect.any(String) });
		expect(flaky.received.every((d) => verifyStandardWebhook(d.headers, d.raw, SECRET).valid)).toBe(true);
	});

	test('v1 job sets: signed AND the legacy X-Webhook-Secret-Key from the body secret', async () => {
		const rx = await receiver();
		const sb = await sandbox({ webhookSigningSecret: SECRET });
		await call(sb.url, 'POST', '/v1/text2image/soul', { params: soulParams(), webhook: { url: rx.url, secret: 'legacy-secret' } }, KEY_AUTH);
		await waitFor(() => rx.received.length === 1);
		const [d] = rx.received;
		expect(d.body.jobs[0].status).toBe('completed');
		expect(d.headers['x-webhook-secret-key']).toBe('legacy-secret');
		expect(verifyStandardWebhook(d.headers, d.raw, SECRET).valid).toBe(true);
		expect(sb.webhookDeliveries[0]).toMatchObject({ kind: 'jobSet', webhookId: d.headers['webhook-id'] });
	});

	test('no signing secret: no webhook-* headers (v1 keeps its legacy header as before)', async () => {
		const rx = await receiver();
		const sb = await sandbox();
		await call(sb.url, 'POST', '/v1/text2image/soul', { params: soulParams(), webhook: { url: rx.url, secret: 's' } }, KEY_AUTH);
		await call(sb.url, 'POST', '/nano-banana' + hook(rx.url), { prompt: 'x' }, KEY_AUTH);
		await waitFor(() => rx.received.length === 2);
		for (const d of rx.received) expect(Object.keys(d.headers).filter((h) => h.startsWith('webhook-'))).toEqual([]);
	});

	test('rotation: old and new secret both sign; each signature verifies with its own secret', async () => {
		const rx = await receiver();
		const sb = await sandbox({ webhookSigningSecret: [OTHER, SECRET] });
		await call(sb.url, 'POST', '/nano-banana' + hook(rx.url), { prompt: 'x' }, KEY_AUTH);
		await waitFor(() => rx.received.length === 1);
		const [d] = rx.received;
		expect(String(d.headers['webhook-signature']).split(' ')).toHaveLength(2);
		expect(verifyStandardWebhook(d.headers, d.raw, OTHER).matches).toEqual([0]);
		expect(verifyStandardWebhook(d.headers, d.raw, SECRET).matches).toEqual([1]);
	});

	test('redeliver: same webhook-id and bytes, fresh timestamp; with overrides (old timestamp, another secret, another URL)', async () => {
		const rx = await receiver();
		const other = await receiver();
		const sb = await sandbox({ webhookSigningSecret: SECRET });
		await call(sb.url, 'POST', '/nano-banana' + hook(rx.url), { prompt: 'x' }, KEY_AUTH);
		await waitFor(() => rx.received.length === 1);
		const id = String(rx.received[0].headers['webhook-id']);
		const again = await call(sb.url, 'POST', `/__sandbox/redeliver/${id}`, undefined, {});
		expect(again.json).toMatchObject({ status: 200, webhookId: id, attempt: 2 });
		const old = await call(sb.url, 'POST', `/__sandbox/redeliver/${id}`, { timestampOffsetSeconds: -360 }, {});
		expect(old.json.status).toBe(200);
		const wrong = await call(sb.url, 'POST', `/__sandbox/redeliver/${id}`, { signingSecret: OTHER, url: other.url }, {});
		expect(wrong.json.status).toBe(200);
		expect((await call(sb.url, 'POST', '/__sandbox/redeliver/msg_unknown', undefined, {})).status).toBe(404);
		const [first, second, third] = rx.received;
		expect(second.headers['webhook-id']).toBe(id);
		expect(second.raw.equals(first.raw)).toBe(true);
		expect(verifyStandardWebhook(second.headers, second.raw, SECRET).valid).toBe(true);
		expect(verifyStandardWebhook(third.headers, third.raw, SECRET)).toMatchObject({ matches: [0], fresh: false });
		expect(Number(third.headers['webhook-timestamp'])).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 359);
		expect(other.received).toHaveLength(1);
		expect(verifyStandardWebhook(other.received[0].headers, other.received[0].raw, SECRET).valid).toBe(false);
		expect(verifyStandardWebhook(other.received[0].headers, other.received[0].raw, OTHER).valid).toBe(true);
	});

	test('control deliveries of both payload kinds are new events, signed', async () => {
		const rx = await receiver();
		const sb = await sandbox({ webhookSigningSecret: SECRET });
		const set = await call(sb.url, 'POST', '/v1/text2image/soul', { params: soulParams() }, KEY_AUTH);
		const req = await call(sb.url, 'POST', '/veo3.1', { prompt: 'x' }, KEY_AUTH);
		await waitFor(async () => (await call(sb.url, 'GET', `/requests/${req.json.request_id}/status`, undefined, KEY_AUTH)).json.status === 'completed');
		const d1 = await call(sb.url, 'POST', `/__sandbox/deliver/${set.json.id}`, { url: rx.url, secret: 'legacy' }, {});
		const d2 = await call(sb.url, 'POST', `/__sandbox/requests/${req.json.request_id}/deliver`, { url: rx.url }, {});
		expect([d1.json.kind, d2.json.kind]).toEqual(['jobSet', 'request']);
		expect(d1.json.webhookId).not.toBe(d2.json.webhookId);
		expect(rx.received.map((d) => verifyStandardWebhook(d.headers, d.raw, SECRET).valid)).toEqual([true, true]);
		expect(rx.received[1].body).toMatchObject({ request_id: req.json.request_id, status: 'completed', video: { url: expect.any(String) } });
	});
});
