// How a waited-for job set ends for its item: failed, nsfw, canceled, mixed batches and timeouts.
import { sleep } from 'n8n-workflow';

import { startSandbox } from '../sandbox';
import { jobSetIdOf, promptItems, PROMPT_FROM_ITEM, runSoul, statusChecks, downloads, SOUL, type Sandbox } from './lifecycle';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2, concurrency: 100 });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.clearLog());

const NOT_CHARGED = 'Failed, NSFW and canceled jobs are not charged.';

describe.each([
	['failed', 'The generation failed on Higgsfield. Reason: Generation failed (sandbox).'],
	['nsfw', 'The content was flagged as NSFW; change the prompt or input image.'],
	['canceled', 'The job was canceled on Higgsfield.'],
])('a job set that ends %s', (status, hint) => {
	test('fails the node with an error naming the job set and the status', async () => {
		const prompt = `a ${status} one [sandbox:${status}]`;
		const { output, error } = await runSoul(sb, { parameters: { prompt } });
		const id = jobSetIdOf(sb, prompt);
		expect(output).toEqual([]);
		expect(error?.message).toBe(`Job set ${id} ended as ${status} (1 of 1 jobs) [item 0]`);
		expect(error?.description).toBe(`${hint} ${NOT_CHARGED}`);
		// it stopped at the terminal answer and downloaded nothing
		expect(statusChecks(sb, id).pop()?.completedJobs).toHaveLength(1);
		expect(downloads(sb)).toEqual([]);
	});

	test('under Continue On Fail gives an item that says so, with the job set beside the error', async () => {
		const prompts = ['fine', `a ${status} one [sandbox:${status}]`, 'also fine'];
		const { output, error } = await runSoul(sb, { parameters: PROMPT_FROM_ITEM, items: promptItems(prompts), continueOnFail: true });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(3);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toMatchObject({ id: jobSetIdOf(sb, 'fine'), status: 'completed' });
		expect(output[2].json).toMatchObject({ id: jobSetIdOf(sb, 'also fine'), status: 'completed' });
		expect(output[0].binary?.data?.mimeType).toBe('image/png');

		const id = jobSetIdOf(sb, prompts[1]);
		const jobId = sb.jobSets.get(id)!.jobs[0].id;
		expect(output[1].binary).toBeUndefined();
		expect(output[1].json).toMatchObject({
			error: `Job set ${id} ended as ${status} (1 of 1 jobs) [item 1]`,
			error_description: `${hint} ${NOT_CHARGED}`,
			id,
			status,
			result_urls: [],
			jobs: [{ id: jobId, status, results: null }],
		});
		expect(sb.acceptedSubmissions(SOUL)).toHaveLength(3);
	});
});

test('a batch where one job is flagged keeps the other results (see test/runner/partialResults.test.ts)', async () => {
	const prompt = 'mixed [sandbox:outcomes=completed,nsfw,completed,completed]';
	const { output, error } = await runSoul(sb, { parameters: { prompt, additionalFields: { batchSize: 4 } } });
	expect(error).toBeUndefined();
	const id = jobSetIdOf(sb, prompt);
	const jobs = sb.jobSets.get(id)!.jobs;
	expect(output).toHaveLength(1);
	expect(output[0].json).toMatchObject({
		id,
		status: 'nsfw',
		result_urls: [0, 2, 3].map((index) => `${sb.url}/files/results/${jobs[index].id}/raw.png`),
	});
	expect((output[0].json.jobs as Array<{ status: string }>).map((job) => job.status)).toEqual(['completed', 'nsfw', 'completed', 'completed']);
	expect(Object.keys(output[0].binary ?? {})).toEqual(['data', 'data_2', 'data_3']);
});

test('without Continue On Fail, the error lists the job sets other items already submitted', async () => {
	const prompts = ['first fine', 'the bad one [sandbox:failed]', 'third fine'];
	const { output, error } = await runSoul(sb, { parameters: PROMPT_FROM_ITEM, items: promptItems(prompts) });
	expect(output).toEqual([]);
	const [first, bad, third] = prompts.map((prompt) => jobSetIdOf(sb, prompt));
	expect(error?.message).toBe(`Job set ${bad} ended as failed (1 of 1 jobs) [item 1]`);
	expect(error?.description).toContain(`Other items were already submitted and keep running on Higgsfield (item 0: ${first}, item 2: ${third})`);
	expect(error?.description).toContain('Get Job Set');
	expect(sb.acceptedSubmissions(SOUL)).toHaveLength(3);
});

describe('Timeout', () => {
	const SLOW = 'slow [sandbox:seconds=30]';
	// 0.01 minutes = 0.6 s
	const TINY = { timeoutMinutes: 0.01 };

	test('gives up after the timeout with an error naming the job set, which keeps running', async () => {
		const started = Date.now();
		const { output, error } = await runSoul(sb, { parameters: { prompt: SLOW }, options: TINY });
		const elapsed = Date.now() - started;
		const id = jobSetIdOf(sb, SLOW);
		expect(output).toEqual([]);
		expect(error?.message).toBe(`Job set ${id} was not done after 0.01 minutes (still queued) [item 0]`);
		expect(error?.description).toBe(`It keeps running on Higgsfield. Fetch it later with the Get Job Set node and ID ${id}, or raise Options > Timeout.`);
		expect(elapsed).toBeGreaterThanOrEqual(600);
		expect(elapsed).toBeLessThan(2_000);
		const checks = statusChecks(sb, id);
		expect(checks[checks.length - 1].time - sb.jobSets.get(id)!.createdAt).toBeGreaterThanOrEqual(600);
		expect(sb.jobSets.get(id)!.doneAt).toBeNull();
	});

	test('under Continue On Fail the item carries the error and the job set, the other items finish', async () => {
		const { output, error } = await runSoul(sb, {
			parameters: PROMPT_FROM_ITEM,
			options: TINY,
			items: promptItems(['quick', SLOW]),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		const id = jobSetIdOf(sb, SLOW);
		expect(output).toHaveLength(2);
		expect(output[0].json).toMatchObject({ id: jobSetIdOf(sb, 'quick'), status: 'completed' });
		expect(output[1]).toMatchObject({
			json: { error: `Job set ${id} was not done after 0.01 minutes (still queued) [item 1]`, id, status: 'queued' },
			pairedItem: { item: 1 },
		});
	});
});

test('without Continue On Fail the first bad item ends the node and it stops waiting for the others', async () => {
	const prompts = ['long one [sandbox:seconds=30]', 'bad one [sandbox:failed]'];
	const started = Date.now();
	const { error } = await runSoul(sb, { parameters: PROMPT_FROM_ITEM, items: promptItems(prompts) });
	const failedAt = Date.now();
	expect(error?.message).toBe(`Job set ${jobSetIdOf(sb, prompts[1])} ended as failed (1 of 1 jobs) [item 1]`);
	expect(failedAt - started).toBeLessThan(2_000);
	const countAtFailure = sb.log.length;
	await sleep(500);
	expect(sb.log.length).toBe(countAtFailure);
	expect(statusChecks(sb, jobSetIdOf(sb, prompts[0])).every((entry) => entry.time <= failedAt)).toBe(true);
});
