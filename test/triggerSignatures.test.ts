// Higgsfield Trigger with a Webhook Signing Secret (Standard Webhooks): signed calls over real HTTP
// into the trigger as n8n runs it (test/helpers/webhookHarness.ts). Signatures come from an
// independent signer written for the tests (test/helpers/standardWebhooksReference.ts).
import type { IDataObject } from 'n8n-workflow';

import type { JobSet } from '../nodes/shared/jobs/jobSet';
import { TRIGGER_PATH, TriggerHost, type HarnessCredentials } from './helpers/webhookHarness';
import { referenceSecret, referenceSignature, signedHeaders } from './helpers/standardWebhooksReference';
import { fakeSecret, post, startReceiver, waitFor } from './helpers/webhook-receiver';
import type { Sandbox } from './nodes/mediaGeneration';
import { startSandbox } from './sandbox';
import { call } from './sandbox/test-helpers';

const SIGNING_SECRET = referenceSecret();
const OTHER_SECRET = referenceSecret();
const LEGACY_SECRET = fakeSecret('legacy');
const SOUL = '/v1/text2image/soul';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

let sb: Sandbox;
let receiver: Receiver;
let host: TriggerHost;

function publish(parameters: IDataObject = {}, credentials: Partial<HarnessCredentials> = { webhookSigningSecret: SIGNING_SECRET }): TriggerHost {
	host = new TriggerHost({ baseUrl: sb.url, ...credentials }, parameters);
	receiver.setHandler(host.handle);
	return host;
}

const triggerUrl = () => `${receiver.url}${TRIGGER_PATH}`;

async function finishedJobSet(prompt: string): Promise<JobSet> {
	const answer = await call(sb.url, 'POST', SOUL, { params: { prompt, width_and_height: '1536x1536', quality: '720p' } });
	const id = (answer.json as JobSet).id;
	return await waitFor(async () => {
		const set = (await call(sb.url, 'GET', `/v1/job-sets/${id}`)).json as JobSet;
		return set.jobs.every((job) => !['queued', 'in_progress'].includes(job.status)) ? set : undefined;
	});
}

async function send(body: string, headers: Record<string, string>) {
	return await post(triggerUrl(), { body, headers: { 'content-type': 'application/json', ...headers } });
}

function expectNoSecretAnywhere(): void {
	const text = JSON.stringify([host.runs, receiver.calls.map((entry) => entry.answer), host.webhookErrors.map((error) => error.message)]);
	for (const secret of [SIGNING_SECRET, SIGNING_SECRET.slice(6), LEGACY_SECRET]) expect(text).not.toContain(secret);
}

let jobSet: JobSet;
let body: string;

beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.1, concurrency: 1000 });
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
	await sb.close();
});
let count = 0;
beforeEach(async () => {
	// a job set of its own per test: the trigger remembers what it started (in this process too)
	jobSet = await finishedJobSet(`a signed lighthouse ${++count}`);
	// spacing of its own: only the exact bytes verify
	body = JSON.stringify(jobSet, null, 1);
	sb.clearLog();
	receiver.calls.length = 0;
	publish();
});

describe('a valid signature', () => {
	test('starts exactly one execution with the job set, answered with an empty 200', async () => {
		const answer = await send(body, await signedHeaders([SIGNING_SECRET], body));
		expect(answer).toEqual({ status: 200, text: '' });
		await waitFor(() => host.runs.length === 1);
		const [[item]] = host.triggered;
		expect(item.json).toMatchObject({ id: jobSet.id, status: 'completed', result_urls: [expect.stringMatching(/raw\.png$/)] });
		expect(host.runs[0].status).toBe('success');
		expectNoSecretAnywhere();
	});

	test('two signatures where only the second matches (a secret rotation) are accepted', async () => {
		const headers = await signedHeaders([OTHER_SECRET, SIGNING_SECRET], body);
		expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
		expect((await send(body, headers)).status).toBe(200);
		expect(host.runs).toHaveLength(1);
	});

	test('timestamps 4 minutes old and 4 minutes ahead are within the tolerance', async () => {
		const now = Math.floor(Date.now() / 1000);
		expect((await send(body, await signedHeaders([SIGNING_SECRET], body, { timestamp: now - 240 }))).status).toBe(200);
		expect((await send(body, await signedHeaders([SIGNING_SECRET], body, { timestamp: now + 240 }))).status).toBe(200);
		// the same job set twice: the second is a duplicate of the first (200, nothing started)
		expect(host.runs).toHaveLength(1);
	});
});

describe('refused: 401 and nothing started', () => {
	const now = () => Math.floor(Date.now() / 1000);
	const tamper = (text: string): string => text.replace('signed lighthouse', 'signed lighthousf');
	afterEach(() => expect(tamper(body)).not.toBe(body));

	test.each<[string, () => Promise<{ body: string; headers: Record<string, string> }>]>([
		['a signature from another secret', async () => ({ body, headers: await signedHeaders([OTHER_SECRET], body) })],
		['a wrong signature of the right form', async () => ({ body, headers: { ...(await signedHeaders([SIGNING_SECRET], body)), 'webhook-signature': `v1,${Buffer.alloc(32, 7).toString('base64')}` } })],
		['a tampered body (one byte)', async () => ({ body: tamper(body), headers: await signedHeaders([SIGNING_SECRET], body) })],
		['a timestamp 6 minutes old', async () => ({ body, headers: await signedHeaders([SIGNING_SECRET], body, { timestamp: now() - 360 }) })],
		['a timestamp 6 minutes ahead', async () => ({ body, headers: await signedHeaders([SIGNING_SECRET], body, { timestamp: now() + 360 }) })],
		['no webhook-id', async () => ({ body, headers: without(await signedHeaders([SIGNING_SECRET], body), 'webhook-id') })],
		['no webhook-timestamp', async () => ({ body, headers: without(await signedHeaders([SIGNING_SECRET], body), 'webhook-timestamp') })],
		['no webhook-signature', async () => ({ body, headers: without(await signedHeaders([SIGNING_SECRET], body), 'webhook-signature') })],
		['no headers at all', async () => ({ body, headers: {} })],
		['a malformed signature header', async () => ({ body, headers: { ...(await signedHeaders([SIGNING_SECRET], body)), 'webhook-signature': 'v1 not-a-signature' } })],
		['the signature without its v1, prefix', async () => {
			const headers = await signedHeaders([SIGNING_SECRET], body);
			return { body, headers: { ...headers, 'webhook-signature': headers['webhook-signature'].slice(3) } };
		}],
		['a signature over another id', async () => {
			const headers = await signedHeaders([SIGNING_SECRET], body);
			return { body, headers: { ...headers, 'webhook-id': `${headers['webhook-id']}0` } };
		}],
		['the legacy header instead of a signature', async () => ({ body, headers: { 'X-Webhook-Secret-Key': SIGNING_SECRET } })],
	])('%s', async (_case, make) => {
		const request = await make();
		const answer = await send(request.body, request.headers);
		expect(answer.status).toBe(401);
		expect(JSON.parse(answer.text).message).toMatch(/^Unauthorized: /);
		expect(host.runs).toHaveLength(0);
		expect(host.webhookErrors).toEqual([]);
		expect(host.staticData).toEqual({});
		expectNoSecretAnywhere();
	});

	test('the right signature of a body with a different JSON spelling (re-serialised) is refused', async () => {
		const headers = await signedHeaders([SIGNING_SECRET], JSON.stringify(jobSet));
		expect((await send(body, headers)).status).toBe(401);
		expect(host.runs).toHaveLength(0);
	});
});

function without(headers: Record<string, string>, name: string): Record<string, string> {
	const copy = { ...headers };
	delete copy[name];
	return copy;
}

describe('replays', () => {
	test('a replayed webhook-id starts nothing and is answered 200, even re-signed with a new timestamp', async () => {
		const headers = await signedHeaders([SIGNING_SECRET], body, { id: 'msg_replay_1' });
		expect((await send(body, headers)).status).toBe(200);
		const replay = await send(body, headers);
		expect(replay.status).toBe(200);
		expect(JSON.parse(replay.text).message).toBe('Ignored: delivery msg_replay_1 was received before');
		// a redelivery by Higgsfield: same id, later timestamp, signed again
		const later = await signedHeaders([SIGNING_SECRET], body, { id: 'msg_replay_1', timestamp: Math.floor(Date.now() / 1000) + 60 });
		expect((await send(body, later)).status).toBe(200);
		expect(host.runs).toHaveLength(1);
		// the id is kept in the workflow's static data (saved by n8n, survives a restart)
		expect(Object.keys((host.staticData['node:Higgsfield Trigger'] as IDataObject).seenWebhookIds as IDataObject)).toEqual(['msg_replay_1']);
	});

	test('a replayed id with another job set is still a replay', async () => {
		const other = await finishedJobSet('another one');
		const otherBody = JSON.stringify(other);
		expect((await send(otherBody, await signedHeaders([SIGNING_SECRET], otherBody, { id: 'msg_replay_2' }))).status).toBe(200);
		const second = await finishedJobSet('and another');
		const secondBody = JSON.stringify(second);
		const replay = await send(secondBody, await signedHeaders([SIGNING_SECRET], secondBody, { id: 'msg_replay_2' }));
		expect(JSON.parse(replay.text).message).toBe('Ignored: delivery msg_replay_2 was received before');
		expect(host.runs).toHaveLength(1);
	});
});

describe('which secret is used', () => {
	test('the legacy X-Webhook-Secret-Key still works while no signing secret is set', async () => {
		publish({}, { webhookSecret: LEGACY_SECRET });
		expect((await send(body, { 'X-Webhook-Secret-Key': LEGACY_SECRET })).status).toBe(200);
		expect(host.runs).toHaveLength(1);
		// a signature is not checked then: a signed call without the legacy header is refused
		publish({}, { webhookSecret: LEGACY_SECRET });
		expect((await send(body, await signedHeaders([SIGNING_SECRET], body))).status).toBe(401);
		expectNoSecretAnywhere();
	});

	test('with both set, the signature decides: the legacy header alone is refused', async () => {
		publish({}, { webhookSecret: LEGACY_SECRET, webhookSigningSecret: SIGNING_SECRET });
		expect((await send(body, { 'X-Webhook-Secret-Key': LEGACY_SECRET })).status).toBe(401);
		expect((await send(body, await signedHeaders([SIGNING_SECRET], body))).status).toBe(200);
		expect(host.runs).toHaveLength(1);
	});

	test('neither set: everything is refused, signed or not', async () => {
		publish({}, {});
		expect((await send(body, await signedHeaders([SIGNING_SECRET], body))).status).toBe(401);
		expect((await send(body, {})).status).toBe(401);
		expect(host.runs).toHaveLength(0);
	});

	test('an echoed webhook.secret in the body never reaches the output (signed or legacy)', async () => {
		const echoed = JSON.stringify({ ...jobSet, webhook: { url: 'https://example.com/hook', secret: LEGACY_SECRET }, input_params: { prompt: 'x', webhook: { secret: LEGACY_SECRET } } });
		expect((await send(echoed, await signedHeaders([SIGNING_SECRET], echoed))).status).toBe(200);
		const [[item]] = host.triggered;
		expect(item.json.webhook).toEqual({ url: 'https://example.com/hook' });
		expect(item.json.input_params).toEqual({ prompt: 'x', webhook: {} });
		expectNoSecretAnywhere();
	});
});

describe('answering within 10 s whatever the download', () => {
	test('a 30 s download: 200 at once, the execution starts with the file after it; a duplicate meanwhile starts nothing', async () => {
		publish({ download: 'raw' });
		const slowSet = await finishedJobSet('slow file');
		const slowBody = JSON.stringify(slowSet);
		sb.script([{ method: 'GET', path: '/files/results/', fault: 'slow', slowMs: 30_000, times: 1 }]);
		const started = Date.now();
		const answer = await send(slowBody, await signedHeaders([SIGNING_SECRET], slowBody));
		const answeredAfter = Date.now() - started;
		expect(answer).toEqual({ status: 200, text: '' });
		expect(answeredAfter).toBeLessThan(10_000);
		// Higgsfield redelivers the same event (new id) while the download runs
		const duplicate = await send(slowBody, await signedHeaders([SIGNING_SECRET], slowBody));
		expect(duplicate.status).toBe(200);
		expect(JSON.parse(duplicate.text).message).toMatch(/was delivered before and already started this workflow/);
		await waitFor(() => host.runs.length === 1, 45_000);
		expect(Date.now() - started).toBeGreaterThanOrEqual(29_000);
		const [[item]] = host.triggered;
		expect(item.binary?.data.mimeType).toBe('image/png');
		expect(host.runs).toHaveLength(1);
	}, 60_000);

	test('a failing download: 200 at once, the execution starts and names the file', async () => {
		publish({ download: 'raw', options: { outputMode: 'result' } });
		const failSet = await finishedJobSet('broken file');
		const failBody = JSON.stringify(failSet);
		sb.script([{ method: 'GET', path: '/files/results/', fault: '404', times: 5 }]);
		const started = Date.now();
		const answer = await send(failBody, await signedHeaders([SIGNING_SECRET], failBody));
		expect(answer.status).toBe(200);
		expect(Date.now() - started).toBeLessThan(10_000);
		await waitFor(() => host.runs.length === 1, 45_000);
		const [[item]] = host.triggered;
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ job_set_id: failSet.id, status: 'completed' });
		expect(item.json.download_error).toMatch(new RegExp(`^Could not download ${item.json.url as string}: `));
	}, 60_000);
});

describe('request-API deliveries, signed by the sandbox', () => {
	const KEY_AUTH = { Authorization: 'Key hf-sandbox-key:hf-sandbox-secret' };

	async function submitRequest(prompt: string, extra: IDataObject = {}): Promise<string> {
		const answer = await call(sb.url, 'POST', `/nano-banana?hf_webhook=${encodeURIComponent(triggerUrl())}`, { prompt, ...extra }, KEY_AUTH);
		expect(answer.status).toBe(200);
		return (answer.json as { request_id: string }).request_id;
	}

	const deliveriesOf = (requestId: string) => sb.webhookDeliveries.filter((entry) => entry.requestId === requestId && entry.status !== 'pending');

	afterEach(() => sb.configure({ webhookSigningSecret: null }));

	test('a completed request starts one execution with the request node output, files as data, data_1; the sandbox signature is the reference one', async () => {
		sb.configure({ webhookSigningSecret: SIGNING_SECRET });
		publish({ download: 'raw' });
		const id = await submitRequest('two kites', { num_images: 2 });
		await waitFor(() => host.runs.length === 1);
		const [delivery] = await waitFor(() => (deliveriesOf(id).length > 0 ? deliveriesOf(id) : undefined));
		expect(delivery.status).toBe(200);
		// the sandbox's signature is exactly what the independent signer makes of the received bytes
		const received = receiver.calls.find((entry) => entry.headers['webhook-id'] === delivery.webhookId);
		const headers = received?.headers as Record<string, string>;
		expect(headers['webhook-signature']).toBe(await referenceSignature(SIGNING_SECRET, headers['webhook-id'], headers['webhook-timestamp'], received?.rawBody ?? ''));

		const [[item]] = host.triggered;
		const status = (await call(sb.url, 'GET', `/requests/${id}/status`, undefined, KEY_AUTH)).json as IDataObject;
		expect(item.json).toEqual({
			request_id: id,
			status: 'completed',
			model: null,
			outputs: (status.images as Array<{ url: string }>).map((image) => image.url),
			expires_at: status.expires_at ?? null,
			...(status.status_url ? { status_url: status.status_url } : {}),
			...(status.cancel_url ? { cancel_url: status.cancel_url } : {}),
		});
		const outputs = item.json.outputs as string[];
		expect(outputs).toHaveLength(2);
		expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_1']);
		expect(item.binary?.data.mimeType).toMatch(/^image\//);
		expectNoSecretAnywhere();
	});

	test('a redelivery with the same webhook-id starts nothing (200)', async () => {
		sb.configure({ webhookSigningSecret: SIGNING_SECRET });
		const id = await submitRequest('redelivered');
		await waitFor(() => host.runs.length === 1);
		const [first] = await waitFor(() => (deliveriesOf(id).length > 0 ? deliveriesOf(id) : undefined));
		const again = await sb.redeliver(first.webhookId);
		expect(again?.status).toBe(200);
		expect(receiver.calls.at(-1)?.answer).toBe(JSON.stringify({ message: `Ignored: delivery ${first.webhookId} was received before` }));
		expect(host.runs).toHaveLength(1);
	});

	test('a rotation (old and new secret both sign) is accepted; a delivery signed only by another secret is refused', async () => {
		sb.configure({ webhookSigningSecret: [OTHER_SECRET, SIGNING_SECRET] });
		const id = await submitRequest('rotated');
		await waitFor(() => host.runs.length === 1);
		const [rotated] = await waitFor(() => (deliveriesOf(id).length > 0 ? deliveriesOf(id) : undefined));
		expect(rotated.headers['webhook-signature'].split(' ')).toHaveLength(2);

		sb.configure({ webhookSigningSecret: OTHER_SECRET });
		const refusedId = await submitRequest('wrong secret');
		const [refused] = await waitFor(() => (deliveriesOf(refusedId).length > 0 ? deliveriesOf(refusedId) : undefined));
		expect(refused.status).toBe(401);
		expect(host.runs).toHaveLength(1);
	});

	test.each<[string, IDataObject]>([
		['completed', {}],
		['anyTerminal', { startOn: 'anyTerminal' }],
	])('a failed request with Start On %s', async (_name, parameters) => {
		sb.configure({ webhookSigningSecret: SIGNING_SECRET });
		publish(parameters);
		const id = await submitRequest('doomed [sandbox:failed]');
		const [delivery] = await waitFor(() => (deliveriesOf(id).length > 0 ? deliveriesOf(id) : undefined));
		expect(delivery.status).toBe(200);
		if (parameters.startOn === 'anyTerminal') {
			await waitFor(() => host.runs.length === 1);
			expect(host.triggered[0][0].json).toMatchObject({ request_id: id, status: 'failed', outputs: [] });
		} else {
			expect(JSON.parse(receiver.calls.at(-1)?.answer ?? '{}').message).toBe(`Ignored: request ${id} ended as failed; this trigger starts on completed requests only`);
			expect(host.runs).toHaveLength(0);
		}
	});
});
