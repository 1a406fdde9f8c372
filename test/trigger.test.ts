// Higgsfield Trigger: webhook calls over real HTTP (the sandbox delivering, or a plain POST) into the
// trigger as n8n runs it (test/helpers/webhookHarness.ts), each started execution run by n8n-core.
import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { HiggsfieldTrigger } from '../nodes/HiggsfieldTrigger/HiggsfieldTrigger.node';
import { describeJobSet, type JobSet } from '../nodes/shared/jobs/jobSet';
import { DUPLICATE_WINDOW_MS, MAX_REMEMBERED, deliveryKey, isRepeat } from '../nodes/shared/webhook/dedupe';
import { TRIGGER_NAME, TRIGGER_PATH, TriggerHost, type HarnessCredentials } from './helpers/webhookHarness';
import { fakeSecret, post, startReceiver, waitFor } from './helpers/webhook-receiver';
import type { Sandbox } from './nodes/mediaGeneration';
import { startSandbox } from './sandbox';
import { call } from './sandbox/test-helpers';

const SECRET = fakeSecret('trigger');
const SOUL = '/v1/text2image/soul';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

let sb: Sandbox;
let receiver: Receiver;
let host: TriggerHost;

function credentials(extra: Partial<HarnessCredentials> = {}): HarnessCredentials {
	return { baseUrl: sb.url, webhookSecret: SECRET, ...extra };
}

/** A published trigger workflow behind the receiver. */
function publish(parameters: IDataObject = {}, extra: Partial<HarnessCredentials> = {}): TriggerHost {
	host = new TriggerHost(credentials(extra), parameters);
	receiver.setHandler(host.handle);
	return host;
}

const triggerUrl = () => `${receiver.url}${TRIGGER_PATH}`;

/** Submits a Soul job set to the sandbox, with a webhook when given. */
async function submit(prompt: string, options: { webhook?: { url: string; secret: string }; batch?: 4 } = {}): Promise<JobSet> {
	const params = { prompt, width_and_height: '1536x1536', quality: '720p', ...(options.batch ? { batch_size: options.batch } : {}) };
	const answer = await call(sb.url, 'POST', SOUL, { params, ...(options.webhook ? { webhook: options.webhook } : {}) });
	expect(answer.status).toBe(200);
	return answer.json as JobSet;
}

/** The job set as the sandbox answers it once every job ended. */
async function finished(id: string): Promise<JobSet> {
	return await waitFor(async () => {
		const answer = await call(sb.url, 'GET', `/v1/job-sets/${id}`);
		const set = answer.json as JobSet;
		return set.jobs.every((job) => !['queued', 'in_progress'].includes(job.status)) ? set : undefined;
	});
}

/** The sandbox's delivery attempts for a job set, once `count` of them got an answer. */
async function deliveries(id: string, count = 1) {
	return await waitFor(() => {
		const done = sb.webhookDeliveries.filter((delivery) => delivery.jobSetId === id && delivery.status !== 'pending');
		return done.length >= count ? done : undefined;
	});
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
	body: typeof body === 'string' ? body : JSON.stringify(body),
	headers: { 'content-type': 'application/json', ...headers },
});

/** Everything a test could leak the secret into: executions, answers, errors. */
function expectNoSecretAnywhere(secret = SECRET): void {
	const texts = [
		JSON.stringify(host.runs),
		JSON.stringify(receiver.calls.map((entry) => entry.answer)),
		JSON.stringify(host.webhookErrors.map((error) => ({ message: error.message, description: (error as { description?: string }).description }))),
	];
	for (const text of texts) expect(text).not.toContain(secret);
}

beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2, concurrency: 1000 });
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
	await sb.close();
});
beforeEach(() => {
	sb.configure({ webhookDuplicates: 0 });
	sb.clearLog();
	receiver.calls.length = 0;
	publish();
});

describe('node description', () => {
	const { description, webhookMethods } = new HiggsfieldTrigger();

	test('follows the trigger conventions and keeps the names other code relies on', () => {
		expect(description.name).toBe('higgsfieldTrigger');
		expect(description.displayName).toBe('Higgsfield Trigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.usableAsTool).toBeUndefined();
		expect(description.credentials).toEqual([{ name: 'higgsfieldApi', required: true }]);
		expect(description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'higgsfield' },
		]);
		const byName = Object.fromEntries(description.properties.map((property) => [property.name, property]));
		expect(Object.keys(byName)).toEqual(['notice', 'startOn', 'download', 'options']);
		expect(byName.notice.type).toBe('notice');
		expect(byName.notice.displayName).toContain('no API to register webhooks');
		expect(byName.startOn.default).toBe('completed');
		expect((byName.startOn.options as Array<{ value: string }>).map((option) => option.value)).toEqual(['completed', 'anyTerminal']);
		expect(byName.download.default).toBe('none');
		expect((byName.options.options as INodeProperties[]).map((option) => option.name)).toEqual(['binaryPropertyName', 'outputMode']);
	});

	test('registers nothing: checkExists, create and delete only report success', async () => {
		const hooks = webhookMethods.default;
		const ctx = {} as never;
		await expect(hooks.checkExists.call(ctx)).resolves.toBe(true);
		await expect(hooks.create.call(ctx)).resolves.toBe(true);
		await expect(hooks.delete.call(ctx)).resolves.toBe(true);
	});
});

describe('the right secret', () => {
	test('starts one execution whose item is the delivered job set, answered with an empty 200', async () => {
		const submitted = await submit('a lighthouse at dusk', { webhook: { url: triggerUrl(), secret: SECRET } });
		const [delivery] = await deliveries(submitted.id);
		expect(delivery.headers['X-Webhook-Secret-Key']).toBe(SECRET);
		expect(delivery.status).toBe(200);
		expect(receiver.calls).toHaveLength(1);
		expect(receiver.calls[0].answer).toBe('');

		await waitFor(() => host.runs.length === 1);
		expect(host.runs).toHaveLength(1);
		expect(host.runs[0].status).toBe('success');
		const [items] = host.triggered;
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual(describeJobSet(delivery.body as JobSet));
		expect(items[0].json).toMatchObject({ id: submitted.id, status: 'completed', result_urls: [expect.stringMatching(/raw\.png$/)] });
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[0].binary).toBeUndefined();
		// the next node of the workflow got it
		expect(host.runs[0].data.resultData.runData.Next[0].data?.main[0]?.[0].json.id).toBe(submitted.id);
		expectNoSecretAnywhere();
	});
});

describe('a missing or wrong secret', () => {
	let body: JobSet;
	beforeAll(async () => {
		body = await finished((await submit('refused calls')).id);
	});

	test.each<[string, Record<string, string>]>([
		['no secret header', {}],
		['an empty secret', { 'X-Webhook-Secret-Key': '' }],
		['a wrong secret of the same length', { 'X-Webhook-Secret-Key': 'x'.repeat(SECRET.length) }],
		['a secret one character shorter', { 'X-Webhook-Secret-Key': SECRET.slice(0, -1) }],
		['a secret one character longer', { 'X-Webhook-Secret-Key': `${SECRET}x` }],
		['only the first character', { 'X-Webhook-Secret-Key': SECRET.slice(0, 1) }],
		['the secret in upper case', { 'X-Webhook-Secret-Key': SECRET.toUpperCase() }],
		['the right secret under X-Webhook-Secret', { 'X-Webhook-Secret': SECRET }],
		['the right secret under X-Webhook-Signature', { 'X-Webhook-Signature': SECRET }],
		['the right secret as a bearer token', { Authorization: `Bearer ${SECRET}` }],
	])('%s: 401, no execution', async (_case, headers) => {
		const answer = await post(triggerUrl(), json(body, headers));
		expect(answer.status).toBe(401);
		expect(JSON.parse(answer.text)).toEqual({ message: 'Unauthorized: the X-Webhook-Secret-Key header is missing or wrong' });
		expect(host.runs).toHaveLength(0);
		expect(host.staticData).toEqual({});
		expectNoSecretAnywhere();
	});

	test('a sandbox delivery with a wrong secret: 401, no execution', async () => {
		const set = sb.jobSets.get(body.id);
		const delivery = await sb.deliverWebhook(set as NonNullable<typeof set>, triggerUrl(), `${SECRET}-old`);
		expect(delivery.status).toBe(401);
		expect(host.runs).toHaveLength(0);
	});

	test('a credential without a Webhook Secret refuses every call, even one without a header', async () => {
		publish({}, { webhookSecret: '' });
		const variants: Array<Record<string, string>> = [{}, { 'X-Webhook-Secret-Key': '' }, { 'X-Webhook-Secret-Key': SECRET }];
		for (const headers of variants) {
			const answer = await post(triggerUrl(), json(body, headers));
			expect(answer.status).toBe(401);
		}
		expect(host.runs).toHaveLength(0);
	});
});

describe('a body that is not a job set', () => {
	const auth = { 'X-Webhook-Secret-Key': SECRET };

	test.each<[string, { body?: string; headers: Record<string, string> }]>([
		['a text body', { body: 'job done', headers: { 'content-type': 'text/plain', ...auth } }],
		['malformed JSON sent as text', { body: '{"id": "x", "jobs": [', headers: { 'content-type': 'text/plain', ...auth } }],
		['a form', { body: 'id=x&jobs=y', headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth } }],
		['no body at all', { headers: auth }],
		['a JSON array', json([{ id: 'x', jobs: [] }], auth)],
		['a JSON string', json('"done"', auth)],
		['an object without jobs', json({ id: '5185f35b-6849-492d-9343-61dadcc9f97f', status: 'completed' }, auth)],
		['an object without an id', json({ jobs: [{ id: 'j', status: 'completed' }] }, auth)],
		['jobs that are not objects', json({ id: '5185f35b-6849-492d-9343-61dadcc9f97f', jobs: ['completed'] }, auth)],
		['a job without a status', json({ id: '5185f35b-6849-492d-9343-61dadcc9f97f', jobs: [{ id: 'j' }] }, auth)],
	])('%s: 400, nothing started', async (_case, request) => {
		const answer = await post(triggerUrl(), request);
		expect(answer.status).toBe(400);
		expect(JSON.parse(answer.text).message).toMatch(/neither a Higgsfield job set .* nor a request status/);
		expect(host.runs).toHaveLength(0);
	});

	test('malformed JSON with a JSON content type never reaches the node: n8n itself answers 422', async () => {
		const answer = await post(triggerUrl(), json('{"id": "x", "jobs": [', auth));
		expect(answer.status).toBe(422);
		expect(host.runs).toHaveLength(0);
	});

	test('the secret is checked first: a bad body with a wrong secret is 401', async () => {
		const answer = await post(triggerUrl(), { body: 'nope', headers: { 'content-type': 'text/plain', 'X-Webhook-Secret-Key': 'nope' } });
		expect(answer.status).toBe(401);
	});
});

describe('which job sets start the workflow', () => {
	test('a job set that is not finished: 200, nothing started', async () => {
		const running = await submit('still running [sandbox:seconds=30]');
		expect(running.jobs[0].status).toMatch(/queued|in_progress/);
		const answer = await post(triggerUrl(), json(running, { 'X-Webhook-Secret-Key': SECRET }));
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.text).message).toBe(`Ignored: job set ${running.id} is not finished yet (${running.jobs[0].status})`);
		expect(host.runs).toHaveLength(0);
		expect(host.staticData).toEqual({});
	});

	test.each(['failed', 'nsfw', 'canceled'])('Completed Job Sets Only (default): a %s job set starts nothing', async (outcome) => {
		const set = await submit(`bad luck [sandbox:${outcome}]`, { webhook: { url: triggerUrl(), secret: SECRET } });
		const [delivery] = await deliveries(set.id);
		expect(delivery.status).toBe(200);
		expect(JSON.parse(receiver.calls[0].answer ?? '{}').message).toBe(
			`Ignored: job set ${set.id} ended as ${outcome}; this trigger starts on completed job sets only`,
		);
		expect(host.runs).toHaveLength(0);
	});

	test('Completed Job Sets Only (default): a batch where some jobs completed starts the workflow with their results', async () => {
		publish({ download: 'raw', options: { outputMode: 'result' } });
		const set = await submit('partly flagged [sandbox:outcomes=completed,nsfw,completed,completed]', {
			batch: 4,
			webhook: { url: triggerUrl(), secret: SECRET },
		});
		await deliveries(set.id);
		await waitFor(() => host.runs.length === 1);
		const [items] = host.triggered;
		expect(items).toHaveLength(4);
		expect(items.map((item) => item.json.status)).toEqual(['completed', 'nsfw', 'completed', 'completed']);
		// the three paid images arrive as files; the flagged job is marked and has none
		expect(items.map((item) => item.binary?.data?.mimeType)).toEqual(['image/png', undefined, 'image/png', 'image/png']);
	});

	test.each(['failed', 'nsfw', 'canceled'])('Any Finished Job Set: a %s job set starts the workflow', async (outcome) => {
		publish({ startOn: 'anyTerminal', download: 'raw' });
		const set = await submit(`bad luck [sandbox:${outcome}]`, { webhook: { url: triggerUrl(), secret: SECRET } });
		await deliveries(set.id);
		await waitFor(() => host.runs.length === 1);
		const [items] = host.triggered;
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ id: set.id, status: outcome, result_urls: [] });
		// nothing to download from a job that did not complete
		expect(items[0].binary).toBeUndefined();
		expect(sb.log.filter((entry) => entry.path.startsWith('/files/'))).toEqual([]);
	});

	test('Any Finished Job Set with one item per result: a failed set still comes out as one item', async () => {
		publish({ startOn: 'anyTerminal', options: { outputMode: 'result' } });
		const set = await finished((await submit('nothing to show [sandbox:failed]')).id);
		await post(triggerUrl(), json(set, { 'X-Webhook-Secret-Key': SECRET }));
		expect(host.triggered).toEqual([[{ json: describeJobSet(set), pairedItem: { item: 0 } }]]);
	});

	test('Any Finished Job Set still ignores a job set that is not finished', async () => {
		publish({ startOn: 'anyTerminal' });
		const running = await submit('running [sandbox:seconds=30]');
		expect((await post(triggerUrl(), json(running, { 'X-Webhook-Secret-Key': SECRET }))).status).toBe(200);
		expect(host.runs).toHaveLength(0);
	});
});

describe('duplicate deliveries', () => {
	test('the same job set delivered three times starts one execution; every delivery gets 200', async () => {
		sb.configure({ webhookDuplicates: 2 });
		const set = await submit('delivered thrice', { webhook: { url: triggerUrl(), secret: SECRET } });
		const attempts = await deliveries(set.id, 3);
		expect(attempts.map((attempt) => attempt.status)).toEqual([200, 200, 200]);
		expect(host.runs).toHaveLength(1);
		expect(receiver.calls.map((entry) => entry.answer)).toEqual([
			'',
			JSON.stringify({ message: `Ignored: job set ${set.id} (completed) was delivered before and already started this workflow` }),
			JSON.stringify({ message: `Ignored: job set ${set.id} (completed) was delivered before and already started this workflow` }),
		]);
	});

	test('a delivery refused for its secret does not count: the right one afterwards starts the workflow', async () => {
		const set = await finished((await submit('first refused')).id);
		expect((await post(triggerUrl(), json(set, { 'X-Webhook-Secret-Key': 'wrong' }))).status).toBe(401);
		expect((await post(triggerUrl(), json(set, { 'X-Webhook-Secret-Key': SECRET }))).status).toBe(200);
		expect(host.runs).toHaveLength(1);
	});

	test('the same job set after the window starts the workflow again', async () => {
		const set = await finished((await submit('remembered for a while')).id);
		const deliver = async () => await post(triggerUrl(), json(set, { 'X-Webhook-Secret-Key': SECRET }));
		await deliver();
		await deliver();
		expect(host.runs).toHaveLength(1);
		// ten minutes pass: age the saved record
		const record = host.staticData[`node:${TRIGGER_NAME}`] as { startedJobSets: Record<string, number> };
		const key = deliveryKey(set.id, 'completed');
		expect(Object.keys(record.startedJobSets)).toEqual([key]);
		record.startedJobSets[key] -= DUPLICATE_WINDOW_MS;
		// and this process's own memory of it expires as well
		const now = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(now + DUPLICATE_WINDOW_MS);
		try {
			await deliver();
		} finally {
			clock.mockRestore();
		}
		expect(host.runs).toHaveLength(2);
	});

	test('the record stays bounded: old entries expire, at most MAX_REMEMBERED are kept', () => {
		const staticData: IDataObject = {};
		const start = 1_000_000;
		for (let index = 0; index < MAX_REMEMBERED + 50; index++) expect(isRepeat(staticData, `set-${index}:completed`, start + index)).toBe(false);
		const record = staticData.startedJobSets as Record<string, number>;
		expect(Object.keys(record)).toHaveLength(MAX_REMEMBERED);
		// the oldest went first; the newest is still a repeat
		expect(record['set-0:completed']).toBeUndefined();
		expect(isRepeat(staticData, `set-${MAX_REMEMBERED + 49}:completed`, start + 300)).toBe(true);
		// after the window everything older is dropped
		expect(isRepeat(staticData, 'late:completed', start + DUPLICATE_WINDOW_MS + 300)).toBe(false);
		expect(Object.keys(staticData.startedJobSets as object)).toEqual(['late:completed']);
	});
});

describe('downloads', () => {
	async function fileBytes(url: string): Promise<Buffer> {
		return Buffer.from(await (await fetch(url)).arrayBuffer());
	}

	function expectPng(item: INodeExecutionData, property: string): Buffer {
		const binary = item.binary?.[property];
		expect(binary?.mimeType).toBe('image/png');
		const bytes = Buffer.from(binary?.data ?? '', 'base64');
		expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
		return bytes;
	}

	test('Full File: the result is in the item as binary data', async () => {
		publish({ download: 'raw' });
		const set = await submit('download me', { webhook: { url: triggerUrl(), secret: SECRET } });
		await deliveries(set.id);
		await waitFor(() => host.runs.length === 1);
		const [[item]] = host.triggered;
		const url = item.json.result_urls as string[];
		expect(expectPng(item, 'data').equals(await fileBytes(url[0]))).toBe(true);
		expect(item.binary?.data.fileName).toBe(`higgsfield-${set.id.slice(0, 8)}.png`);
		expectNoSecretAnywhere();
	});

	test('a batch of four as one item per result, previews, under another property name', async () => {
		publish({ download: 'min', options: { outputMode: 'result', binaryPropertyName: 'image' } });
		const set = await submit('four of them', { webhook: { url: triggerUrl(), secret: SECRET }, batch: 4 });
		await deliveries(set.id);
		await waitFor(() => host.runs.length === 1);
		const [items] = host.triggered;
		expect(items).toHaveLength(4);
		const finishedSet = await finished(set.id);
		const downloaded = sb.log.filter((entry) => entry.path.startsWith('/files/')).map((entry) => entry.path);
		expect(downloaded).toEqual(finishedSet.jobs.map((job) => `/files/results/${job.id}/min.png`));
		for (const [index, item] of items.entries()) {
			expect(item.json).toMatchObject({ job_set_id: set.id, job_index: index, job_id: finishedSet.jobs[index].id, status: 'completed' });
			expect(expectPng(item, 'image').equals(await fileBytes(item.json.preview_url as string))).toBe(true);
		}
	});

	test('a download that fails still starts the workflow (answered 200 first), naming the file; a repeat starts nothing', async () => {
		publish({ download: 'raw' });
		const set = await finished((await submit('broken file')).id);
		sb.script([{ method: 'GET', path: '/files/results/', fault: '404', times: 1 }]);
		const first = await post(triggerUrl(), json(set, { 'X-Webhook-Secret-Key': SECRET }));
		expect(first.status).toBe(200);
		expect(first.text).toBe('');
		await waitFor(() => host.runs.length === 1);
		expect(host.webhookErrors).toEqual([]);
		const [[item]] = host.triggered;
		expect(item.binary).toBeUndefined();
		const url = (item.json.result_urls as string[])[0];
		expect(item.json).toMatchObject({ id: set.id, status: 'completed', download_errors: [{ job_index: 0, url, error: expect.stringMatching(/404/) }] });
		const repeat = await post(triggerUrl(), json(set, { 'X-Webhook-Secret-Key': SECRET }));
		expect(repeat.status).toBe(200);
		expect(host.runs).toHaveLength(1);
		expectNoSecretAnywhere();
	});
});
