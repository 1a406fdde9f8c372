// Issue 13, fault 1: every setting of the wait and output options is read per item (it used to be
// item 0's for all). Max Concurrent Jobs is one per node: differing values are refused.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { binaryBytes, runNode } from '../helpers/n8n';
import { SOUL, jobSetIdOf, runSoul, statusChecks, type Sandbox } from '../lifecycle/lifecycle';
import { startSandbox } from '../sandbox';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2, concurrency: 100, characterSeconds: 0.3 });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.clearLog());

/** Items whose fields the node reads with expressions: `{{ $json.<name> }}`. */
const rows = (values: IDataObject[]): INodeExecutionData[] => values.map((json) => ({ json }));
const FROM_ITEM = {
	prompt: '={{ $json.prompt }}',
	download: '={{ $json.download }}',
};
const fromItem = (...names: string[]) => Object.fromEntries(names.map((name) => [name, `={{ $json.${name} }}`]));

describe('generation nodes', () => {
	test('Download Results and Binary Property of item 1 apply to item 1', async () => {
		const { output, error } = await runSoul(sb, {
			parameters: FROM_ITEM,
			options: fromItem('binaryPropertyName'),
			items: rows([
				{ prompt: 'first', download: 'none', binaryPropertyName: 'data' },
				{ prompt: 'second', download: 'raw', binaryPropertyName: 'second' },
			]),
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(2);
		expect(output[0].binary).toBeUndefined();
		expect(Object.keys(output[1].binary ?? {})).toEqual(['second']);
		expect(binaryBytes(output[1], 'second').subarray(1, 4).toString()).toBe('PNG');
		expect(sb.log.filter((entry) => entry.path.startsWith('/files/results/'))).toHaveLength(1);
	});

	test('Output of each item: one item per job set for item 0, one per result for item 1', async () => {
		const { output, error } = await runSoul(sb, {
			parameters: { prompt: '={{ $json.prompt }}', additionalFields: { batchSize: 4 } },
			options: fromItem('outputMode'),
			items: rows([
				{ prompt: 'as a set', outputMode: 'jobSet' },
				{ prompt: 'as results', outputMode: 'result' },
			]),
		});
		expect(error).toBeUndefined();
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 1 }, { item: 1 }, { item: 1 }]);
		expect(output[0].json.id).toBe(jobSetIdOf(sb, 'as a set'));
		expect(Object.keys(output[0].binary ?? {})).toEqual(['data', 'data_1', 'data_2', 'data_3']);
		expect(output.slice(1).map((item) => item.json.job_index)).toEqual([0, 1, 2, 3]);
	});

	test('Timeout of each item: item 1 with 60 minutes is not given up after item 0\'s 0.6 seconds', async () => {
		const slow = 'slow [sandbox:seconds=1.5]';
		const started = Date.now();
		const { output, error } = await runSoul(sb, {
			parameters: FROM_ITEM,
			options: fromItem('timeoutMinutes'),
			items: rows([
				{ prompt: 'never waited for long [sandbox:seconds=30]', download: 'none', timeoutMinutes: 0.01 },
				{ prompt: slow, download: 'none', timeoutMinutes: 60 },
			]),
			continueOnFail: true,
		});
		const elapsed = Date.now() - started;
		expect(error).toBeUndefined();
		expect(output[0].json.error).toMatch(/was not done after 0.01 minutes \(still queued\) \[item 0\]$/);
		expect(output[1].json).toMatchObject({ id: jobSetIdOf(sb, slow), status: 'completed' });
		expect(elapsed).toBeGreaterThanOrEqual(1_500);
		expect(elapsed).toBeLessThan(5_000);
	});

	test('Poll Interval of each item: item 1 is first checked after its own 1 s, item 0 after 0.1 s', async () => {
		const { error } = await runSoul(sb, {
			parameters: FROM_ITEM,
			options: { ...fromItem('pollInterval', 'maxPollInterval') },
			items: rows([
				{ prompt: 'often', download: 'none', pollInterval: 0.1, maxPollInterval: 0.1 },
				{ prompt: 'rarely', download: 'none', pollInterval: 1, maxPollInterval: 1 },
			]),
		});
		expect(error).toBeUndefined();
		const firstCheckAge = (prompt: string) => {
			const id = jobSetIdOf(sb, prompt);
			return statusChecks(sb, id)[0].time - sb.jobSets.get(id)!.createdAt;
		};
		expect(firstCheckAge('often')).toBeLessThan(400);
		// jitter is 10 %: no earlier than 0.9 s
		expect(firstCheckAge('rarely')).toBeGreaterThanOrEqual(880);
	});

	test('Max Concurrent Jobs that differs between items is refused before anything is sent', async () => {
		const { output, error } = await runSoul(sb, {
			parameters: FROM_ITEM,
			options: fromItem('maxConcurrentJobs'),
			items: rows([
				{ prompt: 'a', download: 'none', maxConcurrentJobs: 4 },
				{ prompt: 'b', download: 'none', maxConcurrentJobs: 4 },
				{ prompt: 'c', download: 'none', maxConcurrentJobs: 2 },
			]),
		});
		expect(output).toEqual([]);
		expect(error?.message).toBe('Max Concurrent Jobs must be the same for every item: item 0 has 4, item 2 has 2 [item 2]');
		expect(error?.description).toContain('It limits the whole node, not one item.');
		expect(sb.log.filter((entry) => entry.method === 'POST')).toEqual([]);
	});

	test('under Continue On Fail the item with another Max Concurrent Jobs is an error item, the others run', async () => {
		const { output, error } = await runSoul(sb, {
			parameters: FROM_ITEM,
			options: fromItem('maxConcurrentJobs'),
			items: rows([
				{ prompt: 'a', download: 'none', maxConcurrentJobs: 3 },
				{ prompt: 'b', download: 'none', maxConcurrentJobs: 5 },
				{ prompt: 'c', download: 'none', maxConcurrentJobs: 3 },
			]),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.status ?? item.json.error)).toEqual([
			'completed',
			'Max Concurrent Jobs must be the same for every item: item 0 has 3, item 1 has 5 [item 1]',
			'completed',
		]);
		expect(sb.acceptedSubmissions(SOUL)).toHaveLength(2);
	});

	test('the same Max Concurrent Jobs from an expression on every item is fine', async () => {
		const { output, error } = await runSoul(sb, {
			parameters: FROM_ITEM,
			options: { maxConcurrentJobs: '={{ 1 + 1 }}' },
			items: rows([
				{ prompt: 'a', download: 'none' },
				{ prompt: 'b', download: 'none' },
			]),
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(2);
		expect(sb.acceptedSubmissions(SOUL)).toHaveLength(2);
	});
});

describe('Get Job Set', () => {
	async function submitSoul(prompt: string): Promise<string> {
		const response = await fetch(`${sb.url}${SOUL}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'hf-api-key': 'hf-sandbox-key', 'hf-secret': 'hf-sandbox-secret' },
			body: JSON.stringify({ params: { prompt, width_and_height: '1536x1536', quality: '720p' } }),
		});
		return ((await response.json()) as { id: string }).id;
	}

	test('Download Results, Binary Property and Timeout are read per item', async () => {
		const [quick, slow] = [await submitSoul('quick'), await submitSoul('slower [sandbox:seconds=1.2]')];
		sb.clearLog();
		const { output, error } = await runNode({
			type: 'higgsfieldGetJobSet',
			parameters: {
				operation: 'get',
				jobSetId: '={{ $json.id }}',
				waitForCompletion: true,
				download: '={{ $json.download }}',
				options: { pollInterval: 0.1, maxPollInterval: 0.2, ...fromItem('binaryPropertyName', 'timeoutMinutes') },
			},
			credentials: { baseUrl: sb.url },
			items: rows([
				{ id: quick, download: 'none', binaryPropertyName: 'data', timeoutMinutes: 0.01 },
				{ id: slow, download: 'raw', binaryPropertyName: 'picture', timeoutMinutes: 60 },
			]),
		});
		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.id)).toEqual([quick, slow]);
		expect(output[0].binary).toBeUndefined();
		expect(Object.keys(output[1].binary ?? {})).toEqual(['picture']);
	});
});

describe('Characters > Create', () => {
	test('Timeout of each item: the training of item 1 is waited for with its own timeout', async () => {
		const { output, error } = await runNode({
			type: 'higgsfieldCharacters',
			parameters: {
				operation: 'create',
				name: '={{ $json.name }}',
				images: { image: [{ imageSource: 'url', imageUrl: 'https://example.com/face.png' }] },
				waitForTraining: true,
				options: { pollInterval: 0.1, maxPollInterval: 0.2, ...fromItem('timeoutMinutes') },
			},
			credentials: { baseUrl: sb.url },
			items: rows([
				{ name: 'impatient [sandbox:seconds=30]', timeoutMinutes: 0.01 },
				{ name: 'patient [sandbox:seconds=1.2]', timeoutMinutes: 60 },
			]),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(output[0].json.error).toMatch(/was not trained after 0.01 minutes/);
		expect(output[1].json).toMatchObject({ name: 'patient [sandbox:seconds=1.2]', status: 'completed' });
	});
});
