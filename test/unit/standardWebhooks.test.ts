// The Standard Webhooks check (nodes/shared/webhook/standardWebhooks.ts) against the shared test
// vectors (made by the reference `standardwebhooks` library) and against an independent signer
// written for the tests (test/helpers/standardWebhooksReference.ts); the replay memory's bounds;
// the removal of echoed webhook secrets.
import type { IDataObject } from 'n8n-workflow';

import { withoutEchoedSecrets } from '../../nodes/shared/webhook/echo';
import { MAX_IN_MEMORY, MAX_SAVED, REPLAY_MEMORY_MS, rememberedInMemory, seenBefore } from '../../nodes/shared/webhook/replay';
import { TOLERANCE_SECONDS, isSigningSecret, verifySignature, type SignedDelivery } from '../../nodes/shared/webhook/standardWebhooks';
import { referenceSecret, referenceSignature } from '../helpers/standardWebhooksReference';
import { standardWebhooksVectors } from '../helpers/test-vectors';

interface Vectors {
	secret: string;
	otherSecret: string;
	webhookId: string;
	webhookTimestamp: string;
	body: string;
	signature: string;
	signatureWithOtherSecret: string;
	rotationHeader: string;
}

// the team's shared Standard Webhooks vectors, copied into test/fixtures/
const vectors = standardWebhooksVectors as Vectors;
const signedAt = Number(vectors.webhookTimestamp) * 1000;

function vectorDelivery(patch: Partial<SignedDelivery> = {}): SignedDelivery {
	return { id: vectors.webhookId, timestamp: vectors.webhookTimestamp, signature: vectors.signature, rawBody: Buffer.from(vectors.body), ...patch };
}

describe('the shared test vectors (reference library standardwebhooks)', () => {
	test('the signature verifies with the secret, at the signing time', () => {
		expect(verifySignature(vectorDelivery(), vectors.secret, signedAt)).toEqual({ ok: true, id: vectors.webhookId });
	});

	test('the rotation header (old secret first, then the current one) verifies with either secret', () => {
		const delivery = vectorDelivery({ signature: vectors.rotationHeader });
		expect(verifySignature(delivery, vectors.secret, signedAt).ok).toBe(true);
		expect(verifySignature(delivery, vectors.otherSecret, signedAt).ok).toBe(true);
	});

	test('the other secret signature alone does not verify with the secret', () => {
		expect(verifySignature(vectorDelivery({ signature: vectors.signatureWithOtherSecret }), vectors.secret, signedAt)).toEqual({ ok: false, reason: 'no webhook-signature matches' });
	});

	test('the independent signer makes exactly the vectors signatures', async () => {
		expect(await referenceSignature(vectors.secret, vectors.webhookId, vectors.webhookTimestamp, vectors.body)).toBe(vectors.signature);
		expect(await referenceSignature(vectors.otherSecret, vectors.webhookId, vectors.webhookTimestamp, vectors.body)).toBe(vectors.signatureWithOtherSecret);
	});

	test('5 minutes either side of the timestamp is accepted; one second more is not', () => {
		const limit = TOLERANCE_SECONDS * 1000;
		expect(verifySignature(vectorDelivery(), vectors.secret, signedAt + limit).ok).toBe(true);
		expect(verifySignature(vectorDelivery(), vectors.secret, signedAt - limit).ok).toBe(true);
		for (const now of [signedAt + limit + 1000, signedAt - limit - 1000, signedAt + 6 * 60_000, signedAt - 6 * 60_000]) {
			expect(verifySignature(vectorDelivery(), vectors.secret, now)).toEqual({ ok: false, reason: 'the webhook-timestamp is more than 5 minutes away from now' });
		}
	});

	test('each byte counts: one changed byte of the body, the id or the timestamp fails', () => {
		const body = Buffer.from(vectors.body);
		for (const index of [0, 10, body.length - 1]) {
			const tampered = Buffer.from(body);
			tampered[index] ^= 0x01;
			expect(verifySignature(vectorDelivery({ rawBody: tampered }), vectors.secret, signedAt).ok).toBe(false);
		}
		expect(verifySignature(vectorDelivery({ rawBody: Buffer.from(`${vectors.body} `) }), vectors.secret, signedAt).ok).toBe(false);
		expect(verifySignature(vectorDelivery({ id: `${vectors.webhookId}x` }), vectors.secret, signedAt).ok).toBe(false);
		const timestamp = String(Number(vectors.webhookTimestamp) + 1);
		expect(verifySignature(vectorDelivery({ timestamp }), vectors.secret, signedAt).ok).toBe(false);
		// the same JSON re-serialised is other bytes: it does not verify
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(vectors.body), null, 1));
		expect(verifySignature(vectorDelivery({ rawBody: reserialised }), vectors.secret, signedAt).ok).toBe(false);
	});
});

describe('signatures of the independent signer', () => {
	const now = Date.now();
	const timestamp = String(Math.floor(now / 1000));

	test.each([
		['a JSON body with odd spacing and escapes', '{ "status" : "completed",\n "request_id":"r-1", "note":"caf\\u00e9 \u00e9" }'],
		['an empty body', ''],
		['binary-looking bytes', '\u0000\u00ff{}'],
	])('%s verifies over its exact bytes', async (_case, body) => {
		const secret = referenceSecret();
		const signature = await referenceSignature(secret, 'msg_1', timestamp, body);
		expect(verifySignature({ id: 'msg_1', timestamp, signature, rawBody: Buffer.from(body) }, secret, now).ok).toBe(true);
		expect(verifySignature({ id: 'msg_1', timestamp, signature, rawBody: Buffer.from(body) }, referenceSecret(), now).ok).toBe(false);
	});

	test('a list where only the second signature matches is accepted; unknown versions are skipped', async () => {
		const secret = referenceSecret();
		const good = await referenceSignature(secret, 'msg_2', timestamp, '{}');
		const other = await referenceSignature(referenceSecret(), 'msg_2', timestamp, '{}');
		const signature = `v2,${good.slice(3)} ${other} ${good}`;
		expect(verifySignature({ id: 'msg_2', timestamp, signature, rawBody: Buffer.from('{}') }, secret, now).ok).toBe(true);
		// the right value under another version only: not accepted
		expect(verifySignature({ id: 'msg_2', timestamp, signature: `v1a,${good.slice(3)} ${other}`, rawBody: Buffer.from('{}') }, secret, now).ok).toBe(false);
	});

	test.each<[string, Partial<SignedDelivery>, string]>([
		['no id', { id: undefined }, 'a webhook-id, webhook-timestamp or webhook-signature header is missing'],
		['an empty id', { id: '' }, 'a webhook-id, webhook-timestamp or webhook-signature header is missing'],
		['a repeated header (array)', { id: ['a', 'b'] }, 'a webhook-id, webhook-timestamp or webhook-signature header is missing'],
		['no timestamp', { timestamp: undefined }, 'a webhook-id, webhook-timestamp or webhook-signature header is missing'],
		['a timestamp in milliseconds', { timestamp: String(Date.now()) }, 'the webhook-timestamp header is not a unix time in seconds'],
		['a date as timestamp', { timestamp: new Date().toISOString() }, 'the webhook-timestamp header is not a unix time in seconds'],
		['no signature', { signature: undefined }, 'a webhook-id, webhook-timestamp or webhook-signature header is missing'],
		['a bare signature without version', { signature: 'c2lnbmF0dXJl' }, 'the webhook-signature header has no well-formed v1 signature'],
		['v1 without a value', { signature: 'v1,' }, 'the webhook-signature header has no well-formed v1 signature'],
		['v1 with a value that is not base64', { signature: 'v1,***not base64***' }, 'the webhook-signature header has no well-formed v1 signature'],
		['v1 with a value of the wrong length', { signature: 'v1,c2lnbmF0dXJl' }, 'the webhook-signature header has no well-formed v1 signature'],
		['comma-separated list', { signature: 'v1,AAAA,v1,BBBB' }, 'the webhook-signature header has no well-formed v1 signature'],
	])('%s: refused', async (_case, patch, reason) => {
		const secret = referenceSecret();
		const signature = await referenceSignature(secret, 'msg_3', timestamp, '{}');
		const delivery: SignedDelivery = { id: 'msg_3', timestamp, signature, rawBody: Buffer.from('{}'), ...patch };
		expect(verifySignature(delivery, secret, now)).toEqual({ ok: false, reason });
	});

	test('a secret that is not whsec_ base64 verifies nothing', async () => {
		const signature = await referenceSignature(referenceSecret(), 'msg_4', timestamp, '{}');
		expect(isSigningSecret('whsec_')).toBe(false);
		expect(isSigningSecret('not base64!')).toBe(false);
		expect(isSigningSecret(vectors.secret)).toBe(true);
		expect(verifySignature({ id: 'msg_4', timestamp, signature, rawBody: Buffer.from('{}') }, 'whsec_!!', now).ok).toBe(false);
	});
});

describe('replay memory', () => {
	test('an id is a replay in the same scope, beyond the 5-minute window, until REPLAY_MEMORY_MS', () => {
		const start = 5_000_000_000_000;
		const staticData = {};
		expect(seenBefore('wf:a', 'msg_r1', staticData, start)).toBe(false);
		expect(seenBefore('wf:a', 'msg_r1', staticData, start + 2 * 60 * 60_000)).toBe(true);
		expect(seenBefore('wf:b', 'msg_r1', undefined, start)).toBe(false);
		// a restart: nothing in memory, the saved record still knows it
		expect(seenBefore('wf:c', 'msg_r1', staticData, start + 60_000)).toBe(true);
		expect(seenBefore('wf:a', 'msg_r1', staticData, start + REPLAY_MEMORY_MS + 1)).toBe(false);
	});

	test('memory and saved record stay bounded', () => {
		const start = 6_000_000_000_000;
		const staticData: IDataObject = {};
		for (let index = 0; index < MAX_IN_MEMORY + 100; index++) seenBefore('wf:bound', `msg_${index}`, staticData, start + index);
		expect(rememberedInMemory()).toBeLessThanOrEqual(MAX_IN_MEMORY);
		expect(Object.keys(staticData.seenWebhookIds as object)).toHaveLength(MAX_SAVED);
		expect(seenBefore('wf:bound', `msg_${MAX_IN_MEMORY + 99}`, undefined, start + MAX_IN_MEMORY + 100)).toBe(true);
	});
});

describe('echoed webhook secrets', () => {
	test('webhook.secret is removed wherever a webhook object carries one; nothing else changes', () => {
		const body = {
			id: 'set-1',
			webhook: { url: 'https://example.com/hook', secret: 'file' },
			input_params: { prompt: 'a file of files', webhook: { url: 'https://example.com/hook', secret: 'file' } },
			jobs: [{ id: 'j', status: 'completed', results: { raw: { url: 'https://cdn.example.com/files/raw.png' } } }],
		};
		expect(withoutEchoedSecrets(body)).toEqual({
			id: 'set-1',
			webhook: { url: 'https://example.com/hook' },
			input_params: { prompt: 'a file of files', webhook: { url: 'https://example.com/hook' } },
			jobs: body.jobs,
		});
		// the body itself is not changed in place
		expect(body.webhook.secret).toBe('file');
	});
});
