// Many items at once: Max Concurrent Jobs, the service's concurrency 400, order and pairedItem.
import { startSandbox } from '../sandbox';
import { SOUL, jobSetIdOf, maxInFlight, promptItems, PROMPT_FROM_ITEM, runSoul, statusChecks, type Sandbox } from './lifecycle';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2, concurrency: 100 });
});
afterAll(async () => await sb.close());
beforeEach(() => {
	sb.clearLog();
	sb.configure({ concurrency: 100 });
});

const CONCURRENCY_DETAIL = 'Maximum number of concurrent requests (4) has been reached';

describe('many items', () => {
	// durations that make later items finish before earlier ones
	const prompts = Array.from({ length: 12 }, (_, index) => `row ${index} [sandbox:seconds=${(0.15 + ((11 - index) % 4) * 0.1).toFixed(2)}]`);

	test('12 items with Max Concurrent Jobs 4: never more than 4 job sets in flight, output in input order', async () => {
		const { output, error } = await runSoul(sb, { parameters: PROMPT_FROM_ITEM, items: promptItems(prompts), options: { maxConcurrentJobs: 4 } });
		expect(error).toBeUndefined();

		const ids = prompts.map((prompt) => jobSetIdOf(sb, prompt));
		expect(new Set(ids).size).toBe(12);
		expect(sb.acceptedSubmissions(SOUL)).toHaveLength(12);
		expect(maxInFlight(sb, ids)).toBe(4);
		// the node never had more than 4 job sets of its own unfinished, as it saw them
		const posts = sb.log.filter((entry) => entry.method === 'POST');
		for (const post of posts) {
			const seenDone = ids.filter((id) => statusChecks(sb, id).some((entry) => entry.seq < post.seq && entry.completedJobs?.length === 1));
			const submittedBefore = posts.filter((other) => other.seq < post.seq).length;
			expect(submittedBefore - seenDone.length).toBeLessThan(4);
		}
		// the first four are submitted at once, not one after another
		expect(posts.slice(0, 4).every((entry) => entry.time - posts[0].time < 150)).toBe(true);
		// and they did not finish in input order
		const doneOrder = [...ids].sort((a, b) => (sb.jobSets.get(a)!.doneAt as number) - (sb.jobSets.get(b)!.doneAt as number));
		expect(doneOrder).not.toEqual(ids);

		expect(output).toHaveLength(12);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ id: ids[index], status: 'completed', input_params: { prompt: prompts[index] } });
			expect(item.binary?.data?.mimeType).toBe('image/png');
		});
	});

	test('Max Concurrent Jobs 2 (the Soul 1080p limit) keeps 2 in flight', async () => {
		const four = prompts.slice(0, 4);
		const { output, error } = await runSoul(sb, { parameters: PROMPT_FROM_ITEM, items: promptItems(four), options: { maxConcurrentJobs: 2 } });
		expect(error).toBeUndefined();
		expect(output).toHaveLength(4);
		expect(maxInFlight(sb, four.map((prompt) => jobSetIdOf(sb, prompt)))).toBe(2);
		expect(sb.log.filter((entry) => entry.status === 400)).toEqual([]);
	});

	test('status checks of pending job sets go out together, in rounds', async () => {
		const four = ['a [sandbox:seconds=1]', 'b [sandbox:seconds=1]', 'c [sandbox:seconds=1]', 'd [sandbox:seconds=1]'];
		// first check after 0.4 s: checks due within 0.1 s of each other share a round
		const { error } = await runSoul(sb, { parameters: PROMPT_FROM_ITEM, items: promptItems(four), options: { pollInterval: 0.4, maxPollInterval: 0.4 } });
		expect(error).toBeUndefined();
		const ids = four.map((prompt) => jobSetIdOf(sb, prompt));
		const perSet = ids.map((id) => statusChecks(sb, id).map((entry) => entry.time));
		// every set was checked the same number of times, the n-th checks of all sets close together
		expect(new Set(perSet.map((times) => times.length)).size).toBe(1);
		for (let round = 0; round < perSet[0].length; round++) {
			const times = perSet.map((checks) => checks[round]);
			expect(Math.max(...times) - Math.min(...times)).toBeLessThan(60);
		}
	});
});

describe('the concurrency 400', () => {
	test('an item refused with the concurrency 400 is submitted again, and accepted exactly once', async () => {
		sb.script([{ method: 'POST', path: SOUL, fault: 'concurrency', times: 3 }]);
		const prompts = ['first', 'second'];
		const { output, error } = await runSoul(sb, { parameters: PROMPT_FROM_ITEM, items: promptItems(prompts) });
		expect(error).toBeUndefined();

		const posts = sb.log.filter((entry) => entry.method === 'POST' && entry.path === SOUL);
		expect(posts).toHaveLength(5);
		expect(posts.filter((entry) => entry.status === 400).map((entry) => entry.fault)).toEqual(['concurrency', 'concurrency', 'concurrency']);
		expect(posts.filter((entry) => entry.status === 200)).toHaveLength(2);
		// one accepted submission per item, with that item's prompt
		const accepted = sb.acceptedSubmissions(SOUL);
		expect(accepted.map((entry) => (entry.body as { params: { prompt: string } }).params.prompt).sort()).toEqual(['first', 'second']);
		expect(output.map((item) => item.json.id)).toEqual(prompts.map((prompt) => jobSetIdOf(sb, prompt)));
		expect(output.map((item) => item.json.status)).toEqual(['completed', 'completed']);
	});

	test('a 429 on submission is waited out (Retry-After) and the item submitted again, once', async () => {
		sb.script([{ method: 'POST', path: SOUL, fault: '429', retryAfter: 0.2, times: 2 }]);
		const prompts = ['left', 'right'];
		const { output, error } = await runSoul(sb, { parameters: PROMPT_FROM_ITEM, items: promptItems(prompts) });
		expect(error).toBeUndefined();
		const posts = sb.log.filter((entry) => entry.method === 'POST' && entry.path === SOUL);
		expect(posts.map((entry) => entry.status)).toEqual([429, 429, 200, 200]);
		// the retries waited for the Retry-After the service gave
		const refusedAt = Math.max(posts[0].time, posts[1].time);
		expect(Math.min(posts[2].time, posts[3].time) - refusedAt).toBeGreaterThanOrEqual(150);
		expect(sb.acceptedSubmissions(SOUL)).toHaveLength(2);
		expect(output.map((item) => item.json.id)).toEqual(prompts.map((prompt) => jobSetIdOf(sb, prompt)));
	});

	test('with the service allowing fewer jobs than Max Concurrent Jobs, every item still gets exactly one job', async () => {
		sb.configure({ concurrency: 2 });
		const prompts = ['one', 'two', 'three', 'four'];
		const { output, error } = await runSoul(sb, {
			parameters: PROMPT_FROM_ITEM,
			items: promptItems(prompts),
			options: { maxConcurrentJobs: 4 },
		});
		expect(error).toBeUndefined();
		const refusals = sb.log.filter((entry) => entry.method === 'POST' && entry.status === 400);
		expect(refusals.length).toBeGreaterThanOrEqual(2);
		expect(refusals.every((entry) => entry.fault === null && !entry.accepted)).toBe(true);
		const ids = prompts.map((prompt) => jobSetIdOf(sb, prompt));
		expect(sb.acceptedSubmissions(SOUL)).toHaveLength(4);
		expect(maxInFlight(sb, ids)).toBe(2);
		expect(output.map((item) => item.json.id)).toEqual(ids);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	test('a submission whose connection broke after it was sent is never sent again', async () => {
		sb.script([{ method: 'POST', path: SOUL, fault: 'dropAfterAccept' }]);
		const { output, error } = await runSoul(sb, { parameters: { prompt: 'sent once' } });
		expect(output).toEqual([]);
		expect(error?.message).toMatch(/^The job may have been created: POST \/v1\/text2image\/soul was sent but the connection broke before Higgsfield answered \(.+\) \[item 0\]$/);
		expect(sb.log.filter((entry) => entry.method === 'POST')).toHaveLength(1);
		expect(sb.acceptedSubmissions(SOUL)).toHaveLength(1);
	});

	test('the concurrency 400 keeps the service\'s words when it outlasts the timeout', async () => {
		sb.configure({ concurrency: 0 });
		const { error } = await runSoul(sb, { parameters: { prompt: 'never room' }, options: { timeoutMinutes: 0.01 } });
		expect(error?.message).toBe(`Higgsfield's limit of concurrent generations was reached (400): ${CONCURRENCY_DETAIL.replace('(4)', '(0)')} [item 0]`);
		expect(sb.acceptedSubmissions(SOUL)).toEqual([]);
	});
});
