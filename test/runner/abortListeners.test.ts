// Issue 13, fault 11: abort listeners used to pile up (each new watch woke the sleeping loop, but
// the old pause kept its timer and its listener): 30 items gave "MaxListenersExceededWarning ...
// 11 abort listeners". Besides these tests, test/failOnWarnings.js fails ANY test during which
// that warning (or an unhandled rejection) appears.
import { sleep } from 'n8n-workflow';

import { JobWatcher, type JobSource } from '../../nodes/shared/jobs/watcher';
import { runSoul, promptItems, PROMPT_FROM_ITEM, type Sandbox } from '../lifecycle/lifecycle';
import { startSandbox } from '../sandbox';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { abortListenerCount, processProblems } = require('../helpers/processWatch') as typeof import('../helpers/processWatch');

test('30 watches started one after another while the loop sleeps leave one abort listener, not 30', async () => {
	const controller = new AbortController();
	const finishAt = Date.now() + 400;
	const source: JobSource<{ done: boolean }> = {
		fetch: async () => ({ done: Date.now() >= finishAt }),
		isDone: (job) => job.done,
		cancelled: () => new Error('cancelled'),
	};
	const settings = { initialIntervalMs: 1_000, backoffFactor: 1.5, maxIntervalMs: 1_000, timeoutMs: 10_000, jitterRatio: 0 };
	const watcher = new JobWatcher(source, settings, controller.signal);
	const watches = [];
	let most = 0;
	for (let index = 0; index < 30; index++) {
		watches.push(watcher.watch(`job ${index}`, index, { done: false }));
		await sleep(2);
		most = Math.max(most, abortListenerCount(controller.signal));
	}
	expect(most).toBe(1);
	await Promise.all(watches);
	// the loop ends (and lets go of its one listener) once its last round is over
	await sleep(20);
	expect(abortListenerCount(controller.signal)).toBe(0);
});

describe('a node run', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await startSandbox({ jobSeconds: 0.3, concurrency: 100 });
	});
	afterAll(async () => await sb.close());

	test('30 items at 16 at once, cancellable: no MaxListenersExceededWarning', async () => {
		const controller = new AbortController();
		const prompts = Array.from({ length: 30 }, (_, index) => `item ${index}`);
		const { output, error } = await runSoul(sb, {
			parameters: { ...PROMPT_FROM_ITEM, download: 'none' },
			items: promptItems(prompts),
			options: { pollInterval: 1, maxPollInterval: 1, maxConcurrentJobs: 16 },
			cancelSignal: controller.signal,
		});
		// warnings are emitted on a later tick
		await sleep(10);
		expect(error).toBeUndefined();
		expect(output).toHaveLength(30);
		expect(processProblems().filter((problem) => problem.includes('MaxListenersExceededWarning'))).toEqual([]);
	}, 30_000);
});
