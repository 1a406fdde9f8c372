// Issue 13, faults 3 and 4: every fan-out is bounded (reads of job sets, status checks, downloads),
// and list operations run once per distinct fields instead of once per input item. Measured on a
// counting server that holds each answer a little, so overlaps show.
import type { INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../helpers/n8n';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startCountingServer } = require('../helpers/countingServer') as typeof import('../helpers/countingServer');

type CountingServer = Awaited<ReturnType<typeof startCountingServer>>;

let server: CountingServer;
afterEach(async () => await server?.close());

const FAST = { pollInterval: 0.1, maxPollInterval: 0.2 };
const items = (count: number, json: (index: number) => INodeExecutionData['json'] = () => ({})): INodeExecutionData[] =>
	Array.from({ length: count }, (_, index) => ({ json: json(index) }));

async function submitDirectly(prompt = 'x'): Promise<string> {
	const response = await fetch(`${server.url}/v1/text2image/soul`, { method: 'POST', body: JSON.stringify({ params: { prompt } }) });
	return ((await response.json()) as { id: string }).id;
}

test('Get Job Set with 300 items: at most 4 reads and 4 downloads in flight, every item answered', async () => {
	server = await startCountingServer({ jobMs: 300, delays: { jobSet: 20, file: 20 } });
	const ids: string[] = [];
	for (let index = 0; index < 300; index++) ids.push(await submitDirectly(`set ${index}`));
	server.reset();
	const { output, error } = await runNode({
		type: 'higgsfieldGetJobSet',
		parameters: { operation: 'get', jobSetId: '={{ $json.id }}', waitForCompletion: true, download: 'raw', options: FAST },
		credentials: { baseUrl: server.url },
		items: items(300, (index) => ({ id: ids[index] })),
	});
	expect(error).toBeUndefined();
	expect(output.map((item) => item.json.id)).toEqual(ids);
	expect(output.every((item) => item.json.status === 'completed' && item.binary?.data !== undefined)).toBe(true);
	expect(server.maxInFlight.jobSet).toBeLessThanOrEqual(4);
	expect(server.maxInFlight.file).toBeLessThanOrEqual(4);
	expect(server.count.file).toBe(300);
}, 120_000);

test('Soul with 12 items of 4 images and Max Concurrent Jobs 4: at most 4 submissions and 4 downloads at once', async () => {
	server = await startCountingServer({ jobMs: 100, delays: { file: 60 } });
	const { output, error } = await runNode({
		type: 'higgsfieldSoulImage',
		parameters: {
			operation: 'generate',
			prompt: '={{ "row " + $json.row }}',
			widthAndHeight: '1536x1536',
			additionalFields: { batchSize: 4 },
			options: { ...FAST, maxConcurrentJobs: 4 },
		},
		credentials: { baseUrl: server.url },
		items: items(12, (row) => ({ row })),
	});
	expect(error).toBeUndefined();
	expect(output).toHaveLength(12);
	expect(output.every((item) => Object.keys(item.binary ?? {}).length === 4)).toBe(true);
	expect(server.count.submit).toBe(12);
	expect(server.count.file).toBe(48);
	expect(server.maxInFlight.file).toBeLessThanOrEqual(4);
	expect(server.maxInFlight.submit).toBeLessThanOrEqual(4);
});

test('status checks of 16 pending job sets go out at most 4 at a time', async () => {
	server = await startCountingServer({ jobMs: 600, delays: { jobSet: 30 } });
	const { error } = await runNode({
		type: 'higgsfieldSoulImage',
		parameters: { operation: 'generate', prompt: '={{ "row " + $json.row }}', widthAndHeight: '1536x1536', download: 'none', options: { ...FAST, maxConcurrentJobs: 16 } },
		credentials: { baseUrl: server.url },
		items: items(16, (row) => ({ row })),
	});
	expect(error).toBeUndefined();
	expect(server.count.jobSet).toBeGreaterThanOrEqual(16);
	expect(server.maxInFlight.jobSet).toBeLessThanOrEqual(4);
});

describe('list operations run once per distinct fields, not once per input item', () => {
	beforeEach(async () => {
		server = await startCountingServer({ listSize: 120 });
	});

	test.each([
		['higgsfieldImageToVideo', 'listMotions'],
		['higgsfieldSoulImage', 'listStyles'],
	])('%s %s with 1,000 input items: one request, 120 items', async (type, operation) => {
		const { output, error } = await runNode({ type, parameters: { operation }, credentials: { baseUrl: server.url }, items: items(1_000) });
		expect(error).toBeUndefined();
		expect(server.count.list).toBe(1);
		expect(output).toHaveLength(120);
		expect(output.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('Characters > Get Many: one request per distinct Limit, each list once', async () => {
		const { output, error } = await runNode({
			type: 'higgsfieldCharacters',
			parameters: { operation: 'getMany', returnAll: false, limit: '={{ $json.limit }}' },
			credentials: { baseUrl: server.url },
			items: items(1_000, (index) => ({ limit: index % 2 === 0 ? 5 : 10 })),
		});
		expect(error).toBeUndefined();
		expect(server.count.list).toBe(2);
		expect(output).toHaveLength(15);
		expect(output.slice(0, 5).every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(output.slice(5).every((item) => (item.pairedItem as { item: number }).item === 1)).toBe(true);
	});
});
