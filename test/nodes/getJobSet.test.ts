// Higgsfield Get Job Set: real in-process executions against the sandbox.
import type { INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { binaryBytes, runNode } from '../helpers/n8n';
import { makePng, startSandbox } from '../sandbox';
import { expectAuth, expectRejectedBeforeAnyRequest, type Sandbox } from './mediaGeneration';

const TYPE = 'higgsfieldGetJobSet';
const FAST = { pollInterval: 0.1, maxPollInterval: 0.2 };
const UNKNOWN = '00000000-0000-4000-8000-00000000abcd';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.3, concurrency: 1000 });
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => sb.clearLog());

interface ApiJobSet {
	id: string;
	jobs: Array<{ id: string; status: string }>;
}

/** Submits a Soul generation straight through the sandbox's API, as a generation node would. */
async function submitSoul(prompt: string, batchSize?: 1 | 4): Promise<ApiJobSet> {
	const params = { prompt, width_and_height: '1536x1536', quality: '720p', ...(batchSize ? { batch_size: batchSize } : {}) };
	const response = await fetch(`${sb.url}/v1/text2image/soul`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'hf-api-key': 'hf-sandbox-key', 'hf-secret': 'hf-sandbox-secret' },
		body: JSON.stringify({ params }),
	});
	expect(response.status).toBe(200);
	const jobSet = (await response.json()) as ApiJobSet;
	sb.clearLog();
	return jobSet;
}

/** Waits (outside the node) until the sandbox has finished a job set. */
async function finished(id: string): Promise<void> {
	for (let attempt = 0; attempt < 200; attempt++) {
		if (sb.jobs.get(id)?.doneAt) return;
		await sleep(20);
	}
	throw new Error(`job set ${id} did not finish`);
}

const run = async (parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
	await runNode({ type: TYPE, parameters: { options: FAST, ...parameters }, credentials: { baseUrl: sb.url }, ...extra });

function expectPng(item: INodeExecutionData, property: string, size: number): void {
	expect(item.binary?.[property]?.mimeType).toBe('image/png');
	const bytes = binaryBytes(item, property);
	expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
	expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([size, size]);
}

const jobSetGets = (id: string) => sb.log.filter((entry) => entry.method === 'GET' && entry.path === `/v1/job-sets/${id}`);

describe('Get', () => {
	test('a running job set is output at once, as the API answered, with status and URLs', async () => {
		const submitted = await submitSoul('a lighthouse [sandbox:seconds=5]');
		const { output, error } = await run({ jobSetId: submitted.id });
		expect(error).toBeUndefined();
		expect(sb.log.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', `/v1/job-sets/${submitted.id}`, 200]]);
		expectAuth(sb.log[0], 'hfHeaders');
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toEqual({
			id: submitted.id,
			type: 'text2image_soul',
			created_at: expect.any(String),
			jobs: [{ id: submitted.jobs[0].id, job_set_type: 'text2image_soul', status: expect.stringMatching(/^(queued|in_progress)$/), results: null }],
			input_params: { prompt: 'a lighthouse [sandbox:seconds=5]', width_and_height: '1536x1536', quality: '720p' },
			status: expect.stringMatching(/^(queued|in_progress)$/),
			result_urls: [],
			preview_urls: [],
		});
		expect(output[0].binary).toBeUndefined();
	});

	test('a finished job set is downloaded (preview variant, Authorization scheme)', async () => {
		const submitted = await submitSoul('a harbour [sandbox:seconds=0.05]');
		await finished(submitted.id);
		const { output, error } = await run(
			{ jobSetId: submitted.id, download: 'min' },
			{ credentials: { baseUrl: sb.url, headerScheme: 'authorizationKey' } },
		);
		expect(error).toBeUndefined();
		const jobId = submitted.jobs[0].id;
		expect(sb.log.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['GET', `/v1/job-sets/${submitted.id}`, 200],
			['GET', `/files/results/${jobId}/min.png`, 200],
		]);
		expectAuth(sb.log[0], 'authorizationKey');
		expect(Object.keys(sb.log[1].headers).filter((name) => ['authorization', 'hf-api-key', 'hf-secret'].includes(name))).toEqual([]);
		expect(output[0].json).toMatchObject({
			status: 'completed',
			result_urls: [`${sb.url}/files/results/${jobId}/raw.png`],
			preview_urls: [`${sb.url}/files/results/${jobId}/min.png`],
		});
		expect(Object.keys(output[0].binary ?? {})).toEqual(['data']);
		expectPng(output[0], 'data', 64);
		expect(binaryBytes(output[0]).equals(makePng({ width: 64, height: 64, seed: jobId }))).toBe(true);
	});

	test('without waiting, a failed job set is data, not an error', async () => {
		const submitted = await submitSoul('a storm [sandbox:failed] [sandbox:seconds=0.05]');
		await finished(submitted.id);
		const { output, error } = await run({ jobSetId: submitted.id });
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({ status: 'failed', jobs: [{ status: 'failed', error: 'Generation failed (sandbox)' }] });
		expect(output[0].binary).toBeUndefined();
	});

	test('an unknown ID is a 404 error with the item, status and correlation ID', async () => {
		const { output, error } = await run({ jobSetId: UNKNOWN });
		expect(output).toEqual([]);
		expect(error?.message).toBe(`Higgsfield found nothing at /v1/job-sets/${UNKNOWN} (404): Job set not found [item 0]`);
		expect(error?.httpCode).toBe('404');
		expect(sb.log.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', `/v1/job-sets/${UNKNOWN}`, 404]]);
		expect(error?.description).toMatch(/Correlation ID: [0-9a-f-]{36}\.$/);
	});

	test('an ID that is not a UUID is refused before any request', async () => {
		const result = await run({ jobSetId: 'job-123' });
		expectRejectedBeforeAnyRequest(sb, result, 'Invalid "Job Set ID" in item 0: got "job-123"');
	});
});

describe('Wait for Completion', () => {
	test('waits for every job of a batch and downloads all four results', async () => {
		const submitted = await submitSoul('four foxes [sandbox:seconds=0.2] [sandbox:stagger=0.1]', 4);
		const { output, error } = await run({ jobSetId: submitted.id, waitForCompletion: true });
		expect(error).toBeUndefined();
		const gets = jobSetGets(submitted.id);
		expect(gets.length).toBeGreaterThanOrEqual(2);
		// polled until the last job of the batch was done, then stopped
		expect(gets[gets.length - 1].completedJobs).toHaveLength(4);
		expect(gets.slice(0, -1).every((entry) => (entry.completedJobs ?? []).length < 4)).toBe(true);
		const downloads = sb.log.filter((entry) => entry.path.startsWith('/files/results/'));
		expect(downloads.map((entry) => entry.path)).toEqual(submitted.jobs.map((job) => `/files/results/${job.id}/raw.png`));
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ id: submitted.id, status: 'completed' });
		expect(Object.keys(output[0].binary ?? {})).toEqual(['data', 'data_1', 'data_2', 'data_3']);
		for (const property of ['data', 'data_1', 'data_2', 'data_3']) expectPng(output[0], property, 256);
	});

	test('one item per result, in a named binary property, without downloads when None', async () => {
		const submitted = await submitSoul('two owls [sandbox:seconds=0.1]', 4);
		const { output } = await run({
			jobSetId: submitted.id,
			waitForCompletion: true,
			download: 'none',
			options: { ...FAST, outputMode: 'result', binaryPropertyName: 'image' },
		});
		expect(sb.log.some((entry) => entry.path.startsWith('/files/'))).toBe(false);
		expect(output.map((item) => [item.json.job_id, item.json.job_index, item.json.status, item.binary, item.pairedItem])).toEqual(
			submitted.jobs.map((job, index) => [job.id, index, 'completed', undefined, { item: 0 }]),
		);
	});

	test('many items are waited for at once, and output in input order', async () => {
		const slow = await submitSoul('slow [sandbox:seconds=0.9]');
		const fast = await submitSoul('fast [sandbox:seconds=0.2]');
		const started = Date.now();
		const { output, error } = await runNode({
			type: TYPE,
			credentials: { baseUrl: sb.url },
			items: [{ json: { id: slow.id } }, { json: { id: fast.id } }],
			parameters: { jobSetId: '={{ $json.id }}', waitForCompletion: true, download: 'none', options: FAST },
		});
		const elapsed = Date.now() - started;
		expect(error).toBeUndefined();
		expect(output.map((item) => [item.json.id, item.json.status, item.pairedItem])).toEqual([
			[slow.id, 'completed', { item: 0 }],
			[fast.id, 'completed', { item: 1 }],
		]);
		// the fast set was seen done while the slow one was still being polled
		const fastDone = jobSetGets(fast.id).find((entry) => entry.completedJobs?.length === 1);
		const slowLater = jobSetGets(slow.id).filter((entry) => entry.seq > (fastDone?.seq ?? Infinity));
		expect(slowLater.length).toBeGreaterThanOrEqual(1);
		expect(elapsed).toBeLessThan(3000);
	});

	test.each([
		['nsfw', 'The content was flagged as NSFW; change the prompt or input image. Failed, NSFW and canceled jobs are not charged.'],
		['canceled', 'The job was canceled on Higgsfield. Failed, NSFW and canceled jobs are not charged.'],
		['failed', 'The generation failed on Higgsfield. Reason: Generation failed (sandbox). Failed, NSFW and canceled jobs are not charged.'],
	])('a job set that ends as %s fails with the generation nodes\' wording', async (outcome, description) => {
		const submitted = await submitSoul(`a cat [sandbox:${outcome}] [sandbox:seconds=0.2]`);
		const { output, error } = await run({ jobSetId: submitted.id, waitForCompletion: true });
		expect(output).toEqual([]);
		expect(error?.message).toBe(`Job set ${submitted.id} ended as ${outcome} (1 of 1 jobs) [item 0]`);
		expect(error?.description).toBe(description);
		expect(sb.log.some((entry) => entry.path.startsWith('/files/'))).toBe(false);
	});

	test('a batch with NSFW jobs keeps its completed results; with none completed it names how many jobs went wrong', async () => {
		const mixed = await submitSoul('a crowd [sandbox:outcomes=completed,nsfw] [sandbox:seconds=0.1]', 4);
		const kept = await run({ jobSetId: mixed.id, waitForCompletion: true });
		expect(kept.error).toBeUndefined();
		expect(kept.output[0].json).toMatchObject({ id: mixed.id, status: 'nsfw' });
		expect(Object.keys(kept.output[0].binary ?? {})).toEqual(['data', 'data_2']);

		const flagged = await submitSoul('a crowd [sandbox:outcomes=nsfw,failed] [sandbox:seconds=0.1]', 4);
		const { error } = await run({ jobSetId: flagged.id, waitForCompletion: true });
		expect(error?.message).toBe(`Job set ${flagged.id} ended as nsfw (4 of 4 jobs) [item 0]`);
	});

	test('a timeout names the job set', async () => {
		const submitted = await submitSoul('a glacier [sandbox:seconds=30]');
		const { error } = await run({ jobSetId: submitted.id, waitForCompletion: true, options: { ...FAST, timeoutMinutes: 0.01 } });
		expect(error?.message).toMatch(new RegExp(`^Job set ${submitted.id} was not done after 0\\.01 minutes \\(still (queued|in_progress)\\) \\[item 0\\]$`));
		expect(error?.description).toBe(
			`It keeps running on Higgsfield. Fetch it later with the Get Job Set node and ID ${submitted.id}, or raise Options > Timeout.`,
		);
	});

	test('Continue On Fail: one item per input, errors as items with the job set', async () => {
		const good = await submitSoul('a bird [sandbox:seconds=0.1]');
		const bad = await submitSoul('a bird [sandbox:nsfw] [sandbox:seconds=0.1]');
		const { output, error } = await runNode({
			type: TYPE,
			credentials: { baseUrl: sb.url },
			continueOnFail: true,
			items: [{ json: { id: good.id } }, { json: { id: UNKNOWN } }, { json: { id: 'nope' } }, { json: { id: bad.id } }],
			parameters: { jobSetId: '={{ $json.id }}', waitForCompletion: true, options: FAST },
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(4);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(output[0].json).toMatchObject({ id: good.id, status: 'completed' });
		expectPng(output[0], 'data', 256);
		expect(output[1].json).toEqual({
			error: `Higgsfield found nothing at /v1/job-sets/${UNKNOWN} (404): Job set not found [item 1]`,
			error_description: expect.stringContaining('Correlation ID'),
		});
		expect(output[2].json).toEqual({ error: 'Invalid "Job Set ID" in item 2: got "nope"', error_description: expect.any(String) });
		expect(output[3].json).toMatchObject({ id: bad.id, status: 'nsfw', error: `Job set ${bad.id} ended as nsfw (1 of 1 jobs) [item 3]` });
		expect(output[3].binary).toBeUndefined();
		// the bad ID never reached the sandbox
		expect(sb.log.some((entry) => entry.path.includes('nope'))).toBe(false);
	});
});
