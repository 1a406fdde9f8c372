// The Higgsfield node (request API): real in-process n8n executions against the sandbox.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { binaryBytes, runNode, type RunOptions } from '../helpers/n8n';
import { makePng, makeWav, startSandbox } from '../sandbox';
import { SCHEMES, binaryItem, chosenHeaders, expectAuth, type HeaderScheme, type LogEntry, type Sandbox } from './mediaGeneration';

const TYPE = 'higgsfield';
const FAST = { pollInterval: 0.1, maxPollInterval: 0.2 };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const KLING = 'kling-video/v2.1/pro/image-to-video';
const AUDIO_MODEL = 'sandbox/audio/text-to-speech';

let sb: Sandbox;
let executions = 0;

beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2, concurrency: 1000 });
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => {
	sb.clearLog();
	sb.configure({ requestQueuedSeconds: 0 });
});

const model = (id: string, mode: 'list' | 'id' = 'list') => ({ __rl: true, mode, value: id });
const args = (value: IDataObject) => ({ mappingMode: 'defineBelow', value });

/** A Generate run: a new execution each time unless one is given. */
async function generate(parameters: IDataObject, options: Partial<RunOptions> = {}) {
	return await runNode({
		type: TYPE,
		credentials: { baseUrl: sb.url, headerScheme: options.credentials?.headerScheme },
		executionId: `exec-${++executions}`,
		...options,
		parameters: { resource: 'request', operation: 'generate', options: FAST, ...parameters },
	});
}

async function operation(operationName: string, parameters: IDataObject, options: Partial<RunOptions> = {}) {
	return await runNode({
		type: TYPE,
		credentials: { baseUrl: sb.url },
		executionId: `exec-${++executions}`,
		...options,
		parameters: { resource: 'request', operation: operationName, ...parameters },
	});
}

/** The submissions (POST /{model}) that reached the sandbox. */
function submissions(modelId: string): LogEntry[] {
	return sb.log.filter((entry) => entry.method === 'POST' && entry.path === `/${modelId}`);
}

function expectPng(item: INodeExecutionData, property: string): Buffer {
	expect(item.binary?.[property]?.mimeType).toBe('image/png');
	const bytes = binaryBytes(item, property);
	expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
	return bytes;
}

describe('Generate: waits and downloads', () => {
	test.each<HeaderScheme>(SCHEMES)('image model: exact path, headers, flat body; outputs as data, data_1 (%s)', async (scheme) => {
		const { output, error } = await generate(
			{ model: model('nano-banana'), modelArguments: args({ prompt: 'a red fox', num_images: 2, aspect_ratio: '16:9' }) },
			{ credentials: { baseUrl: sb.url, headerScheme: scheme } },
		);
		expect(error).toBeUndefined();
		const [post] = submissions('nano-banana');
		expect(submissions('nano-banana')).toHaveLength(1);
		expect(post.status).toBe(200);
		expect(post.query).toEqual({});
		expect(post.body).toEqual({ prompt: 'a red fox', num_images: 2, aspect_ratio: '16:9' });
		expectAuth(post, scheme);
		expect(chosenHeaders(post)).toMatchObject({ 'content-type': 'application/json', 'idempotency-key': expect.stringMatching(/^n8n-[A-Za-z0-9_-]{43}$/) });
		// status reads carry the same auth and no Idempotency-Key
		const reads = sb.log.filter((entry) => entry.path.startsWith('/requests/'));
		expect(reads.length).toBeGreaterThan(0);
		for (const read of reads) {
			expectAuth(read, scheme);
			expect(read.headers['idempotency-key']).toBeUndefined();
		}

		expect(output).toHaveLength(1);
		const id = output[0].json.request_id as string;
		expect(output[0].json).toEqual({
			request_id: id,
			status: 'completed',
			model: 'nano-banana',
			outputs: [`${sb.url}/files/requests/${id}/0.png`, `${sb.url}/files/requests/${id}/1.png`],
			expires_at: expect.any(String),
			status_url: `${sb.url}/requests/${id}/status`,
			cancel_url: `${sb.url}/requests/${id}/cancel`,
		});
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(Object.keys(output[0].binary ?? {})).toEqual(['data', 'data_1']);
		expect(expectPng(output[0], 'data').equals(makePng({ width: 256, height: 256, seed: `${id}/0` }))).toBe(true);
		expectPng(output[0], 'data_1');
	});

	test('video model with its image from the binary data of the item: uploaded first, the MP4 downloaded', async () => {
		const png = makePng({ width: 64, height: 64, seed: 'input' });
		const { output, error } = await generate(
			{
				model: model(KLING),
				modelArguments: args({ prompt: 'the fox runs', duration: '5' }),
				binaryInputs: { files: [{ argument: 'image_url', binaryProperty: 'photo' }] },
			},
			{ items: [binaryItem({ photo: { bytes: png, mimeType: 'image/png', fileName: 'fox.png' } })] },
		);
		expect(error).toBeUndefined();
		const ask = sb.log.find((entry) => entry.path === '/files/generate-upload-url');
		expect(ask?.body).toEqual({ content_type: 'image/png' });
		const [post] = submissions(KLING);
		expect(post.body).toEqual({ prompt: 'the fox runs', duration: 5, image_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/.+\.png$/) });
		expect(output[0].json).toMatchObject({ status: 'completed', model: KLING, outputs: [expect.stringMatching(/\.mp4$/)] });
		expect(output[0].binary?.data?.mimeType).toBe('video/mp4');
		expect(binaryBytes(output[0]).subarray(4, 8).toString('latin1')).toBe('ftyp');
	});

	test('a list argument from URLs and several binary files: the uploads are appended in order', async () => {
		const one = makePng({ width: 32, height: 32, seed: 'one' });
		const two = makePng({ width: 32, height: 32, seed: 'two' });
		const { error } = await generate(
			{
				model: model('nano-banana'),
				modelArguments: args({ prompt: 'combine', input_images: 'https://example.com/base.png' }),
				binaryInputs: { files: [{ argument: 'input_images', binaryProperty: 'a' }, { argument: 'input_images', binaryProperty: 'b' }] },
				download: 'none',
			},
			{ items: [binaryItem({ a: { bytes: one, mimeType: 'image/png', fileName: 'a.png' }, b: { bytes: two, mimeType: 'image/png', fileName: 'b.png' } })] },
		);
		expect(error).toBeUndefined();
		const puts = sb.log.filter((entry) => entry.method === 'PUT');
		expect(puts).toHaveLength(2);
		const images = submissions('nano-banana')[0].body.input_images as string[];
		expect(images).toHaveLength(3);
		expect(images[0]).toBe('https://example.com/base.png');
		expect(images.slice(1).map((url) => new URL(url).pathname.split('/').pop())).toEqual(puts.map((put) => put.path.split('/').pop()));
	});

	test('audio output of a model the catalogue does not know: sent as given, the WAV downloaded', async () => {
		const { output, error } = await generate({
			model: model(AUDIO_MODEL, 'id'),
			extraArguments: JSON.stringify({ prompt: 'hello there', duration: 1, anything_else: [1, 2] }),
		});
		expect(error).toBeUndefined();
		expect(submissions(AUDIO_MODEL)[0].body).toEqual({ prompt: 'hello there', duration: 1, anything_else: [1, 2] });
		expect(output[0].json).toMatchObject({ status: 'completed', model: AUDIO_MODEL, outputs: [expect.stringMatching(/\.wav$/)] });
		expect(output[0].binary?.data?.mimeType).toBe('audio/wav');
		expect(binaryBytes(output[0]).equals(makeWav({ seconds: 1, frequency: 220 }))).toBe(true);
	});

	test('One Item per Result, Extra Arguments merged over the fields, Send Webhook as ?hf_webhook=', async () => {
		const { output, error } = await generate({
			model: model('nano-banana'),
			modelArguments: args({ prompt: 'two foxes', num_images: 1 }),
			extraArguments: '{"num_images": 2}',
			options: { ...FAST, outputMode: 'result' },
		});
		expect(error).toBeUndefined();
		expect(submissions('nano-banana')[0].body).toEqual({ prompt: 'two foxes', num_images: 2 });
		expect(output.map((item) => [item.json.output_index, Object.keys(item.binary ?? {})])).toEqual([
			[0, ['data']],
			[1, ['data']],
		]);

		sb.clearLog();
		const hook = 'https://n8n.example.com/webhook/abc/higgsfield';
		const sent = await generate({ model: model('nano-banana'), modelArguments: args({ prompt: 'x' }), completion: 'webhook', webhookUrl: hook });
		expect(sent.error).toBeUndefined();
		expect(submissions('nano-banana')[0].query).toEqual({ hf_webhook: hook });
		expect(sent.output[0].json).toMatchObject({ status: expect.stringMatching(/^(queued|in_progress)$/), model: 'nano-banana', outputs: [] });
		expect(sb.log.filter((entry) => entry.path.startsWith('/requests/'))).toEqual([]);
	});
});

describe('Generate: checks before any request', () => {
	const speak = 'higgsfield-ai/speak';
	test.each<[string, IDataObject, RegExp, RegExp]>([
		['required', { model: model(KLING), modelArguments: args({ prompt: 'x' }) }, /^Invalid "image_url" in item 0: got nothing$/, /required by kling-video/],
		['enum', { model: model('nano-banana'), modelArguments: args({ prompt: 'x', aspect_ratio: '7:3' }) }, /^Invalid "aspect_ratio" in item 0: got "7:3"$/, /accepts: auto, 1:1/],
		['range', { model: model('nano-banana'), modelArguments: args({ prompt: 'x', num_images: 9 }) }, /^Invalid "num_images" in item 0: got 9$/, /from 1 to 4/],
		['https URL', { model: model(KLING), modelArguments: args({ prompt: 'x', image_url: 'ftp://example.com/a.png' }) }, /^Invalid "image_url"/, /cannot fetch a ftp: address/],
		['WAV for Speak audio', { model: model(speak), modelArguments: args({ prompt: 'x', image_url: 'https://e.com/a.png', audio_url: 'https://e.com/a.mp3' }) }, /^Invalid "audio_url"/, /WAV audio only/],
		['Extra Arguments JSON', { model: model('veo3.1'), extraArguments: '{"prompt": ' }, /^Invalid "Extra Arguments \(JSON\)" in item 0/, /JSON object/],
		['Idempotency Key', { model: model('veo3.1'), modelArguments: args({ prompt: 'x' }), idempotencyKey: 'row 1' }, /^Invalid "Idempotency Key" in item 0: got "row 1"$/, /visible ASCII/],
		['model id', { model: model('no such model', 'id'), extraArguments: '{}' }, /^Invalid "Model" in item 0/, /path of letters/],
		['binary property', { model: model(KLING), modelArguments: args({ prompt: 'x' }), binaryInputs: { files: [{ argument: 'image_url', binaryProperty: 'nope' }] } }, /^Invalid "Files From Binary Data > image_url" in item 0: got "nope"$/, /no binary data/],
	])('%s: the error names field, value, item and fix; nothing is sent', async (_rule, parameters, message, fix) => {
		const { error } = await generate(parameters);
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(fix);
		expect(sb.log).toEqual([]);
	});

	test('WAV for Speak audio given as a binary file: an MP3 is refused before any request', async () => {
		const { error } = await generate(
			{
				model: model(speak),
				modelArguments: args({ prompt: 'x', image_url: 'https://e.com/a.png' }),
				binaryInputs: { files: [{ argument: 'audio_url', binaryProperty: 'voice' }] },
			},
			{ items: [binaryItem({ voice: { bytes: Buffer.from('ID3'), mimeType: 'audio/mpeg', fileName: 'voice.mp3' } })] },
		);
		expect(error?.message).toBe('Invalid "Files From Binary Data > audio_url" in item 0: got "voice (audio/mpeg)"');
		expect(error?.description).toMatch(/Give a WAV file/);
		expect(sb.log).toEqual([]);
	});

	test('one bad item of three: nothing is sent at all', async () => {
		const { error } = await generate(
			{ model: model('nano-banana'), modelArguments: args({ prompt: '={{ $json.prompt }}' }) },
			{ items: [{ json: { prompt: 'a' } }, { json: { prompt: '' } }, { json: { prompt: 'c' } }] },
		);
		expect(error?.message).toBe('Invalid "prompt" in item 1: got nothing');
		expect(sb.log).toEqual([]);
	});
});

describe('Generate: outcomes', () => {
	test.each(['failed', 'nsfw', 'canceled'])('%s stops the node with the request named; Continue On Fail keeps it as an item', async (outcome) => {
		const parameters = { model: model('nano-banana'), modelArguments: args({ prompt: `x [sandbox:${outcome}]` }) };
		const { error } = await generate(parameters);
		expect(error?.message).toMatch(new RegExp(`^Request [0-9a-f-]{36} ended as ${outcome} \\[item 0\\]$`));
		expect(error?.description).toMatch(/refunded/);
		const kept = await generate(parameters, { continueOnFail: true });
		expect(kept.output[0].json).toMatchObject({ status: outcome, model: 'nano-banana', error: expect.stringContaining(`ended as ${outcome}`) });
	});

	test('timeout: the error names the request and how to get it later', async () => {
		const { error } = await generate({
			model: model('nano-banana'),
			modelArguments: args({ prompt: 'slow [sandbox:seconds=30]' }),
			options: { ...FAST, timeoutMinutes: 0.01 },
		});
		expect(error?.message).toMatch(/^Request [0-9a-f-]{36} was not done after 0.01 minutes \(still in_progress\) \[item 0\]$/);
		expect(error?.description).toMatch(/Get Status operation and ID/);
	});

	test('a model id the service does not know is sent as given and its 404 explained', async () => {
		const { error } = await generate({ model: model('acme/imaginary-model/v9', 'id'), extraArguments: '{"prompt": "x"}' });
		expect(submissions('acme/imaginary-model/v9')).toHaveLength(1);
		expect(error?.message).toMatch(/^Higgsfield does not know the model "acme\/imaginary-model\/v9" \(404/);
		expect(error?.description).toMatch(/sent as given .* not in this node's catalogue/);
	});
});

describe('Idempotency', () => {
	const parameters = { model: model('nano-banana'), modelArguments: args({ prompt: 'same' }), options: { ...FAST, outputMode: 'jobSet' } };

	test('the same execution sends the same key (the original comes back); a new execution makes a new request', async () => {
		const first = await generate(parameters, { executionId: 'idem-1' });
		const again = await generate(parameters, { executionId: 'idem-1' });
		const other = await generate(parameters, { executionId: 'idem-2' });
		const keys = submissions('nano-banana').map((entry) => entry.headers['idempotency-key']);
		expect(keys[0]).toBe(keys[1]);
		expect(keys[2]).not.toBe(keys[0]);
		expect(again.output[0].json.request_id).toBe(first.output[0].json.request_id);
		expect(other.output[0].json.request_id).not.toBe(first.output[0].json.request_id);
	});

	test('a key set by expression (a row id) returns the original requests on a re-run', async () => {
		const rows = [{ json: { id: 'row-1', prompt: 'a' } }, { json: { id: 'row-2', prompt: 'b' } }];
		const rowParameters = { ...parameters, modelArguments: args({ prompt: '={{ $json.prompt }}' }), idempotencyKey: '={{ $json.id }}' };
		const first = await generate(rowParameters, { items: rows });
		const rerun = await generate(rowParameters, { items: rows });
		expect(submissions('nano-banana').map((entry) => entry.headers['idempotency-key'])).toEqual(['row-1', 'row-2', 'row-1', 'row-2']);
		expect(rerun.output.map((item) => item.json.request_id)).toEqual(first.output.map((item) => item.json.request_id));
		expect(sb.log.filter((entry) => entry.method === 'POST' && entry.accepted)).toHaveLength(2);
	});

	test("n8n's Retry On Fail after a dropped submission: one request created", async () => {
		const path = '/nano-banana';
		// the first submission is accepted but its answer is lost; the transport's retry then fails for good (403),
		// so the node fails and n8n runs it again: the same key returns the original request
		sb.script([
			{ method: 'POST', path, fault: 'dropAfterAccept' },
			{ method: 'POST', path, fault: '403' },
		]);
		const { output, error } = await generate(parameters, { nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } });
		expect(error).toBeUndefined();
		const posts = submissions('nano-banana');
		expect(posts).toHaveLength(3);
		expect(new Set(posts.map((entry) => entry.headers['idempotency-key'])).size).toBe(1);
		expect(posts.filter((entry) => entry.accepted)).toHaveLength(1);
		expect(output[0].json).toMatchObject({ status: 'completed', request_id: posts[0].requestId });
		expect([...sb.requests.records.values()].filter((record) => record.model === 'nano-banana' && record.idempotencyKey === posts[0].headers['idempotency-key'])).toHaveLength(1);
	});
});

describe('Polling', () => {
	test('a status_url on another host is not followed: the status is read on the Base URL', async () => {
		sb.configure({ publicUrl: 'http://status-host.invalid' });
		try {
			const { output, error } = await generate({ model: model('nano-banana'), modelArguments: args({ prompt: 'x' }), download: 'none' });
			expect(error).toBeUndefined();
			const id = output[0].json.request_id as string;
			expect(output[0].json).toMatchObject({ status: 'completed', status_url: `http://status-host.invalid/requests/${id}/status` });
			const reads = sb.log.filter((entry) => entry.method === 'GET' && entry.path.startsWith('/requests/'));
			expect(reads.length).toBeGreaterThan(0);
			expect(reads.every((entry) => entry.path === `/requests/${id}/status`)).toBe(true);
		} finally {
			sb.configure({ publicUrl: null });
		}
	});
});

describe('Get Status, Cancel, Delete Request Data', () => {
	async function submitted(prompt = 'x'): Promise<string> {
		const { output, error } = await generate({ model: model('nano-banana'), modelArguments: args({ prompt }), completion: 'none' });
		expect(error).toBeUndefined();
		return output[0].json.request_id as string;
	}

	test('Get Status at once, then waiting and downloading', async () => {
		const id = await submitted('x [sandbox:seconds=0.5]');
		const now = await operation('getStatus', { requestId: id });
		expect(now.output[0].json).toMatchObject({ request_id: id, status: expect.stringMatching(/queued|in_progress/), outputs: [] });
		const done = await operation('getStatus', { requestId: id, waitForCompletion: true, download: 'raw', options: FAST });
		expect(done.output[0].json).toMatchObject({ request_id: id, status: 'completed', outputs: [`${sb.url}/files/requests/${id}/0.png`] });
		expectPng(done.output[0], 'data');
	});

	test('Cancel while queued: canceled; once started: reported as such (an item under Continue On Fail)', async () => {
		sb.configure({ requestQueuedSeconds: 5 });
		const queued = await submitted();
		const canceled = await operation('cancel', { requestId: queued });
		expect(canceled.output[0].json).toEqual({ request_id: queued, canceled: true, status: 'canceled' });
		expect(sb.log.find((entry) => entry.path === `/requests/${queued}/cancel`)?.status).toBe(202);
		expect((await operation('getStatus', { requestId: queued })).output[0].json.status).toBe('canceled');
		// canceling again (as a retry whose first answer was lost would): still reported as canceled
		expect((await operation('cancel', { requestId: queued })).output[0].json).toEqual({ request_id: queued, canceled: true, status: 'canceled' });

		sb.configure({ requestQueuedSeconds: 0 });
		const running = await submitted('x [sandbox:seconds=5]');
		await sleep(200);
		const late = await operation('cancel', { requestId: running }, { continueOnFail: true });
		expect(late.output[0].json).toEqual({
			request_id: running,
			canceled: false,
			status: 'in_progress',
			reason: 'already_started',
			detail: expect.stringMatching(/can no longer be canceled/),
		});
		const failed = await operation('cancel', { requestId: running });
		expect(failed.error?.message).toBe(`Request ${running} was not canceled: it already started [item 0]`);
	});

	test('Delete Request Data: {deleted: true} and the id; its outputs are gone', async () => {
		const { output } = await generate({ model: model('nano-banana'), modelArguments: args({ prompt: 'x' }), download: 'none' });
		const id = output[0].json.request_id as string;
		const deleted = await operation('deleteData', { requestId: id });
		expect(deleted.output[0].json).toEqual({ deleted: true, request_id: id });
		expect(sb.log.find((entry) => entry.method === 'DELETE')?.path).toBe(`/requests/${id}`);
		const after = await operation('getStatus', { requestId: id });
		expect(after.output[0].json).toMatchObject({ status: 'completed', outputs: [] });
	});
});
