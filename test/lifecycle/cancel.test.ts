// Stopping an execution while the node waits: it ends promptly and sends nothing more.
import { sleep } from 'n8n-workflow';

import { startSandbox } from '../sandbox';
import { jobSetIdOf, promptItems, PROMPT_FROM_ITEM, runSoul, statusChecks, type Sandbox } from './lifecycle';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 30, concurrency: 100 });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.clearLog());

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > end) throw new Error('condition not met in time');
		await sleep(10);
	}
}

test.each([
	['polling often', { pollInterval: 0.1, maxPollInterval: 0.1 }],
	['between two long sleeps', { pollInterval: 0.1, maxPollInterval: 60 }],
])('cancelling mid-wait (%s) stops the node promptly; no request follows', async (_name, options) => {
	const prompts = ['one', 'two', 'three'];
	const controller = new AbortController();
	const running = runSoul(sb, { parameters: PROMPT_FROM_ITEM, items: promptItems(prompts), options, cancelSignal: controller.signal });

	// wait until every item's job set was checked at least twice
	await until(() => sb.acceptedSubmissions().length === 3 && prompts.every((prompt) => statusChecks(sb, jobSetIdOf(sb, prompt)).length >= 2));
	const requestsAtCancel = sb.log.length;
	const cancelledAt = Date.now();
	controller.abort();
	const { run, output } = await running;
	const endedAt = Date.now();

	expect(endedAt - cancelledAt).toBeLessThan(500);
	expect(run.status).toBe('canceled');
	expect(output).toEqual([]);
	// give a node that ignored the cancel time to poll again (it would every 0.1 s)
	await sleep(700);
	const after = sb.log.slice(requestsAtCancel);
	// a check already on the wire at the cancel may still arrive, nothing later
	expect(after.length).toBeLessThanOrEqual(prompts.length);
	expect(after.every((entry) => entry.time - cancelledAt < 50)).toBe(true);
	expect(after.every((entry) => entry.method === 'GET' && entry.path.startsWith('/v1/job-sets/'))).toBe(true);
	// the jobs keep running on the service, nothing was submitted twice
	expect(sb.acceptedSubmissions()).toHaveLength(3);
});

test('cancelling while items wait for a free slot submits nothing more', async () => {
	const prompts = ['a', 'b', 'c', 'd', 'e', 'f'];
	const controller = new AbortController();
	const running = runSoul(sb, {
		parameters: PROMPT_FROM_ITEM,
		items: promptItems(prompts),
		options: { maxConcurrentJobs: 2 },
		cancelSignal: controller.signal,
	});
	await until(() => sb.acceptedSubmissions().length === 2 && statusChecks(sb).length >= 2);
	const cancelledAt = Date.now();
	controller.abort();
	const { run } = await running;
	expect(Date.now() - cancelledAt).toBeLessThan(500);
	expect(run.status).toBe('canceled');
	await sleep(500);
	expect(sb.log.filter((entry) => entry.method === 'POST')).toHaveLength(2);
	expect(sb.log.every((entry) => entry.time - cancelledAt < 50)).toBe(true);
});
