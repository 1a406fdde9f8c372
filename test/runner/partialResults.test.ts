// Issue 13, fault 2: a batch with a failed or NSFW job keeps the results of the others (they are
// paid for). The item fails only when no job of its set completed.
import { binaryBytes, runNode } from '../helpers/n8n';
import { SOUL, downloads, jobSetIdOf, runSoul, type Sandbox } from '../lifecycle/lifecycle';
import { startSandbox } from '../sandbox';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2, concurrency: 100 });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.clearLog());

const MIXED = 'mixed [sandbox:outcomes=completed,nsfw,completed,completed]';
const BATCH = { batchSize: 4 };

const resultUrl = (jobId: string) => `${sb.url}/files/results/${jobId}/raw.png`;

test('One Item per Job Set: the three completed images are downloaded, the flagged job is marked, the node does not fail', async () => {
	const { output, error } = await runSoul(sb, { parameters: { prompt: MIXED, additionalFields: BATCH } });
	expect(error).toBeUndefined();
	const id = jobSetIdOf(sb, MIXED);
	const jobs = sb.jobSets.get(id)!.jobs;
	expect(output).toHaveLength(1);
	expect(output[0].json).toMatchObject({ id, status: 'nsfw', result_urls: [0, 2, 3].map((index) => resultUrl(jobs[index].id)) });
	expect((output[0].json.jobs as Array<{ status: string }>).map((job) => job.status)).toEqual(['completed', 'nsfw', 'completed', 'completed']);
	// binaries follow the job's position: data_1 (the flagged job) is missing
	expect(Object.keys(output[0].binary ?? {})).toEqual(['data', 'data_2', 'data_3']);
	for (const property of ['data', 'data_2', 'data_3']) expect(binaryBytes(output[0], property).subarray(1, 4).toString()).toBe('PNG');
	expect(downloads(sb).map((entry) => entry.path)).toEqual([0, 2, 3].map((index) => `/files/results/${jobs[index].id}/raw.png`));
});

test('One Item per Result: four items, the flagged one marked with its status and error and no binary', async () => {
	const { output, error } = await runSoul(sb, { parameters: { prompt: MIXED, additionalFields: BATCH }, options: { outputMode: 'result' } });
	expect(error).toBeUndefined();
	const id = jobSetIdOf(sb, MIXED);
	expect(output).toHaveLength(4);
	expect(output.map((item) => item.json.status)).toEqual(['completed', 'nsfw', 'completed', 'completed']);
	expect(output.map((item) => item.json.job_index)).toEqual([0, 1, 2, 3]);
	expect(output[1].json).toMatchObject({ job_set_id: id, url: null });
	expect(output[1].json.error).toEqual(expect.any(String));
	expect(output[1].binary).toBeUndefined();
	for (const index of [0, 2, 3]) expect(Object.keys(output[index].binary ?? {})).toEqual(['data']);
	expect(output.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
});

test('a batch where every job failed still fails the item, naming the job set', async () => {
	const prompt = 'all bad [sandbox:outcomes=failed,nsfw]';
	const { output, error } = await runSoul(sb, { parameters: { prompt, additionalFields: BATCH } });
	expect(output).toEqual([]);
	expect(error?.message).toBe(`Job set ${jobSetIdOf(sb, prompt)} ended as nsfw (4 of 4 jobs) [item 0]`);
	expect(downloads(sb)).toEqual([]);
});

test('Get Job Set that waits keeps the completed results of a mixed batch too', async () => {
	const response = await fetch(`${sb.url}${SOUL}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'hf-api-key': 'hf-sandbox-key', 'hf-secret': 'hf-sandbox-secret' },
		body: JSON.stringify({ params: { prompt: MIXED, width_and_height: '1536x1536', quality: '720p', batch_size: 4 } }),
	});
	const { id } = (await response.json()) as { id: string };
	const { output, error } = await runNode({
		type: 'higgsfieldGetJobSet',
		parameters: { operation: 'get', jobSetId: id, waitForCompletion: true, download: 'raw', options: { pollInterval: 0.1, maxPollInterval: 0.2 } },
		credentials: { baseUrl: sb.url },
	});
	expect(error).toBeUndefined();
	expect(output[0].json).toMatchObject({ id, status: 'nsfw' });
	expect(Object.keys(output[0].binary ?? {})).toEqual(['data', 'data_2', 'data_3']);
});
