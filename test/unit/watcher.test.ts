// The JobWatcher alone, with a fake source and short real times: schedule, jitter, rounds, learning,
// timeout and cancel.
import { sleep } from 'n8n-workflow';

import { CHECKS_IN_FLIGHT, DEFAULT_POLLING, JobWatcher, type PollingSettings, type JobSource } from '../../nodes/shared/jobs/watcher';

interface FakeJob {
	id: string;
	done: boolean;
	checks: number;
}

/** A job source whose jobs finish `durationMs` after the time the test says they started. */
class FakeSource implements JobSource<FakeJob> {
	readonly calls: Array<{ id: string; at: number }> = [];

	inFlight = 0;

	maxInFlight = 0;

	private readonly jobs = new Map<string, { startedAt: number; durationMs: number; checks: number }>();

	constructor(private readonly fetchMs = 0) {}

	start(id: string, durationMs: number, startedAt = Date.now()): FakeJob {
		this.jobs.set(id, { startedAt, durationMs, checks: 0 });
		return { id, done: false, checks: 0 };
	}

	async fetch(id: string): Promise<FakeJob> {
		const job = this.jobs.get(id);
		if (!job) throw new Error(`unknown job ${id}`);
		this.calls.push({ id, at: Date.now() });
		this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
		if (this.fetchMs > 0) await sleep(this.fetchMs);
		this.inFlight--;
		if (job.durationMs < 0) throw new Error(`job ${id} broke`);
		return { id, done: Date.now() - job.startedAt >= job.durationMs, checks: ++job.checks };
	}

	isDone(job: FakeJob): boolean {
		return job.done;
	}

	cancelled(itemIndex: number): Error {
		return new Error(`cancelled item ${itemIndex}`);
	}

	/** Ages (ms since the job started) of the checks of one job. */
	ages(id: string): number[] {
		const job = this.jobs.get(id);
		if (!job) throw new Error(`unknown job ${id}`);
		return this.calls.filter((call) => call.id === id).map((call) => call.at - job.startedAt);
	}
}

const settings = (overrides: Partial<PollingSettings> = {}): PollingSettings => ({
	initialIntervalMs: 40,
	backoffFactor: 1.5,
	maxIntervalMs: 100,
	timeoutMs: 10_000,
	jitterRatio: 0,
	...overrides,
});

/** Timers never fire early; under load they may fire a little late. */
const LATE_MS = 50;

function expectNear(actual: number, expected: number): void {
	expect(actual).toBeGreaterThanOrEqual(expected - 2);
	expect(actual).toBeLessThanOrEqual(expected + LATE_MS);
}

const gaps = (ages: number[]) => ages.slice(1).map((age, index) => age - ages[index]);

test('the defaults are 2 s first, x1.5 backoff, a 10 s ceiling, 10 % jitter and a 45 minute timeout', () => {
	expect(DEFAULT_POLLING).toEqual({ initialIntervalMs: 2_000, backoffFactor: 1.5, maxIntervalMs: 10_000, timeoutMs: 45 * 60_000, jitterRatio: 0.1 });
});

test('first check after the initial interval, then each gap x1.5 longer, up to the ceiling', async () => {
	const source = new FakeSource();
	const watcher = new JobWatcher(source, settings({ initialIntervalMs: 150, maxIntervalMs: 450 }));
	const outcome = await watcher.watch('a', 0, source.start('a', 1_400));
	expect(outcome).toEqual({ status: 'done', value: { id: 'a', done: true, checks: 5 } });
	const ages = source.ages('a');
	// 150, then +225, +337.5, +450 (the ceiling), +450
	expect(ages).toHaveLength(5);
	expectNear(ages[0], 150);
	gaps(ages).forEach((gap, index) => expectNear(gap, [225, 337.5, 450, 450][index]));
	expect(ages[4]).toBeGreaterThanOrEqual(1_400);
});

test('a job already done when submitted is not checked at all', async () => {
	const source = new FakeSource();
	const watcher = new JobWatcher(source, settings());
	await expect(watcher.watch('a', 0, { id: 'a', done: true, checks: 0 })).resolves.toEqual({ status: 'done', value: { id: 'a', done: true, checks: 0 } });
	expect(source.calls).toEqual([]);
});

describe('jitter', () => {
	test.each([
		['lowest', () => 0, 0.5],
		['highest', () => 0.999999, 1.5],
	])('stays within the jitter ratio (%s draw)', async (_name, random, factor) => {
		const source = new FakeSource();
		const watcher = new JobWatcher(source, settings({ initialIntervalMs: 200, maxIntervalMs: 200, jitterRatio: 0.5 }), undefined, random);
		await watcher.watch('a', 0, source.start('a', 350));
		const ages = source.ages('a');
		expect(ages).toHaveLength(factor < 1 ? 4 : 2);
		expectNear(ages[0], 200 * factor);
		gaps(ages).forEach((gap) => expectNear(gap, 200 * factor));
	});

	test('spreads the checks of jobs started together', async () => {
		const source = new FakeSource();
		const watcher = new JobWatcher(source, settings({ initialIntervalMs: 100, maxIntervalMs: 100, jitterRatio: 0.3 }));
		const started = Date.now();
		const ids = Array.from({ length: 8 }, (_, index) => `job${index}`);
		await Promise.all(ids.map(async (id, index) => await watcher.watch(id, index, source.start(id, 50, started), { startedAt: started })));
		const firstAges = ids.map((id) => source.ages(id)[0]);
		for (const age of firstAges) {
			expect(age).toBeGreaterThanOrEqual(70 - 2);
			expect(age).toBeLessThanOrEqual(130 + LATE_MS);
		}
		// not all in lockstep: random draws differ
		expect(Math.max(...firstAges) - Math.min(...firstAges)).toBeGreaterThan(5);
	});
});

describe('rounds', () => {
	test('checks due at about the same time go out together, in one round', async () => {
		const source = new FakeSource(20);
		// up to 8 checks on the wire at once (the default bound is tested below)
		const watcher = new JobWatcher(source, settings({ initialIntervalMs: 80, maxIntervalMs: 80 }), undefined, Math.random, 8);
		const ids = ['a', 'b', 'c', 'd', 'e'];
		// started 3 ms apart: all first due within the round window (a quarter of 80 ms)
		const base = Date.now();
		const watches = ids.map(async (id, index) => await watcher.watch(id, index, source.start(id, 150, base + index * 3), { startedAt: base + index * 3 }));
		await Promise.all(watches);
		// every job was checked by the same rounds: the n-th checks are within a few ms of each other
		const perJob = ids.map((id) => source.calls.filter((call) => call.id === id).map((call) => call.at));
		expect(new Set(perJob.map((times) => times.length)).size).toBe(1);
		for (let round = 0; round < perJob[0].length; round++) {
			const times = perJob.map((checks) => checks[round]);
			expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(5);
		}
		// and the checks of a round ran concurrently, not one after another
		expect(source.maxInFlight).toBe(5);
	});

	test(`a large round has at most ${CHECKS_IN_FLIGHT} checks on the wire at once, and checks every due job`, async () => {
		const source = new FakeSource(20);
		const watcher = new JobWatcher(source, settings({ initialIntervalMs: 80, maxIntervalMs: 80 }));
		const started = Date.now();
		const ids = Array.from({ length: 30 }, (_, index) => `job${index}`);
		const outcomes = await Promise.all(ids.map(async (id, index) => await watcher.watch(id, index, source.start(id, 10, started), { startedAt: started })));
		expect(outcomes.every((outcome) => outcome.status === 'done')).toBe(true);
		expect(source.maxInFlight).toBe(CHECKS_IN_FLIGHT);
		// one check each: the round went through all 30 (30 / 4 x 20 ms), none was dropped or repeated
		expect(source.calls).toHaveLength(30);
		expect(new Set(source.calls.map((call) => call.id)).size).toBe(30);
	});

	test('every job keeps its own poll interval and timeout', async () => {
		const source = new FakeSource();
		const watcher = new JobWatcher(source, settings({ initialIntervalMs: 40, maxIntervalMs: 40 }));
		const started = Date.now();
		const [quick, slow] = await Promise.all([
			watcher.watch('quick', 0, source.start('quick', 60_000, started), { startedAt: started, settings: settings({ initialIntervalMs: 40, maxIntervalMs: 40, timeoutMs: 100 }) }),
			watcher.watch('patient', 1, source.start('patient', 400, started), { startedAt: started, settings: settings({ initialIntervalMs: 150, maxIntervalMs: 150, timeoutMs: 5_000 }) }),
		]);
		expect(quick.status).toBe('timeout');
		// item 1 was not given up with item 0's timeout, and was checked at its own pace
		expect(slow).toMatchObject({ status: 'done', value: { id: 'patient', done: true } });
		expectNear(source.ages('patient')[0], 150);
		expect(gaps(source.ages('patient')).every((gap) => gap >= 150 - 2)).toBe(true);
	});

	test('a job due much later waits for its own time', async () => {
		const source = new FakeSource();
		const watcher = new JobWatcher(source, settings({ initialIntervalMs: 80, maxIntervalMs: 80 }));
		const early = watcher.watch('early', 0, source.start('early', 10));
		await sleep(50);
		const late = watcher.watch('late', 1, source.start('late', 10));
		await Promise.all([early, late]);
		expect(source.calls.map((call) => call.id)).toEqual(['early', 'late']);
		expectNear(source.ages('late')[0], 80);
	});
});

test('learns how long jobs take: later jobs are first checked near that duration, then often', async () => {
	const source = new FakeSource();
	const watcher = new JobWatcher(source, settings({ initialIntervalMs: 60, maxIntervalMs: 1_000 }));
	expect(watcher.learned()).toBeUndefined();
	// the first job is checked at 60, 150, 285 (pending), 487 (done)
	await watcher.watch('first', 0, source.start('first', 400));
	const firstAges = source.ages('first');
	expect(firstAges).toHaveLength(4);
	expect(watcher.learned()).toEqual({ pendingAgeMs: firstAges[2], doneAgeMs: firstAges[3] });

	await watcher.watch('second', 1, source.start('second', 400));
	const ages = source.ages('second');
	// first checked where the first job was last seen pending (no checks before), then every 60 ms
	expectNear(ages[0], firstAges[2]);
	gaps(ages).forEach((gap) => expectNear(gap, 60));
	expect(ages.length).toBeLessThan(firstAges.length);
	// so it was seen done sooner after it finished than the first one
	expect(ages[ages.length - 1] - 400).toBeLessThan(firstAges[3] - 400);
	expect(ages[ages.length - 1] - 400).toBeLessThanOrEqual(60 + LATE_MS);
});

test('jobs of the same duration narrow the window: each is seen done sooner, with fewer checks', async () => {
	const source = new FakeSource();
	const watcher = new JobWatcher(source, settings({ initialIntervalMs: 80, maxIntervalMs: 1_000 }));
	const lags: number[] = [];
	const checks: number[] = [];
	for (const id of ['1', '2', '3', '4']) {
		await watcher.watch(id, 0, source.start(id, 500));
		const ages = source.ages(id);
		lags.push(ages[ages.length - 1] - 500);
		checks.push(ages.length);
	}
	// 80, 200, 380, 650; then from 380 in steps of 80; then of a third of the narrower window
	expect(checks[0]).toBe(4);
	expect(lags[0]).toBeGreaterThanOrEqual(150 - 2);
	expect(lags[3]).toBeLessThanOrEqual(20 + LATE_MS);
	expect(checks[3]).toBeLessThanOrEqual(3);
	const learned = watcher.learned();
	expect(learned?.pendingAgeMs).toBeLessThan(500);
	expect(learned?.doneAgeMs).toBeGreaterThanOrEqual(500);
	expect((learned?.doneAgeMs ?? 0) - (learned?.pendingAgeMs ?? 0)).toBeLessThanOrEqual(60);
});

test('jobs of different durations: the typical (median) window stands in', async () => {
	const source = new FakeSource();
	const watcher = new JobWatcher(source, settings({ initialIntervalMs: 60, maxIntervalMs: 1_000 }));
	await Promise.all([watcher.watch('short', 0, source.start('short', 200)), watcher.watch('long', 1, source.start('long', 600))]);
	const short = source.ages('short');
	const long = source.ages('long');
	const [shortPending, shortDone] = short.slice(-2);
	const [longPending, longDone] = long.slice(-2);
	// the windows do not overlap: the long job was still pending after the short one was done
	expect(longPending).toBeGreaterThan(shortDone);
	// the watcher dates a check from its round's start and a job from its own watch() call: the
	// test's clock reads of the same moments may differ by a millisecond each
	const learned = watcher.learned();
	expect(Math.abs((learned?.pendingAgeMs ?? NaN) - (shortPending + longPending) / 2)).toBeLessThanOrEqual(2);
	expect(Math.abs((learned?.doneAgeMs ?? NaN) - (shortDone + longDone) / 2)).toBeLessThanOrEqual(2);
});

test('a job slower than the learned duration backs off again once past it', async () => {
	const source = new FakeSource();
	const watcher = new JobWatcher(source, settings({ initialIntervalMs: 60, maxIntervalMs: 1_000 }));
	await watcher.watch('typical', 0, source.start('typical', 200));
	const learned = watcher.learned();
	expect(learned).toBeDefined();
	await watcher.watch('slow', 1, source.start('slow', 900));
	const ages = source.ages('slow');
	const beyond = ages.filter((age) => age > (learned?.doneAgeMs ?? 0) + 60 + LATE_MS);
	// beyond the learned window the gaps grow x1.5 again
	const later = gaps(beyond);
	expect(later.length).toBeGreaterThanOrEqual(2);
	later.slice(1).forEach((gap, index) => expect(gap).toBeGreaterThan(later[index] * 1.2));
});

test('timeout: resolves with the last answer once the job is older than the timeout, and checks no more', async () => {
	const source = new FakeSource();
	const watcher = new JobWatcher(source, settings({ initialIntervalMs: 40, maxIntervalMs: 1_000, timeoutMs: 150 }));
	const started = Date.now();
	const outcome = await watcher.watch('slow', 3, source.start('slow', 60_000));
	const elapsed = Date.now() - started;
	expect(outcome.status).toBe('timeout');
	expect(outcome.value).toMatchObject({ id: 'slow', done: false });
	expect(outcome.value.checks).toBe(source.calls.length);
	expect(elapsed).toBeGreaterThanOrEqual(150);
	expect(elapsed).toBeLessThan(150 + LATE_MS);
	const checksAtTimeout = source.calls.length;
	await sleep(150);
	expect(source.calls).toHaveLength(checksAtTimeout);
});

test('a timeout shorter than the first interval is still honoured', async () => {
	const source = new FakeSource();
	const watcher = new JobWatcher(source, settings({ initialIntervalMs: 2_000, timeoutMs: 60 }));
	const started = Date.now();
	const outcome = await watcher.watch('slow', 0, source.start('slow', 60_000));
	expect(outcome.status).toBe('timeout');
	expect(Date.now() - started).toBeLessThan(60 + LATE_MS);
	expect(source.calls).toHaveLength(1);
});

describe('cancel', () => {
	test('aborting during a long sleep rejects every pending job at once and checks nothing more', async () => {
		const source = new FakeSource();
		const controller = new AbortController();
		const watcher = new JobWatcher(source, settings({ initialIntervalMs: 30, maxIntervalMs: 5_000 }), controller.signal);
		const watches = ['a', 'b'].map(async (id, index) => await watcher.watch(id, index, source.start(id, 60_000)).catch((error: Error) => error));
		await sleep(120);
		const checksBefore = source.calls.length;
		expect(checksBefore).toBeGreaterThanOrEqual(4);
		const abortedAt = Date.now();
		controller.abort();
		const results = await Promise.all(watches);
		expect(Date.now() - abortedAt).toBeLessThan(20);
		expect(results.map((result) => (result as Error).message)).toEqual(['cancelled item 0', 'cancelled item 1']);
		await sleep(100);
		expect(source.calls).toHaveLength(checksBefore);
	});

	test('a job watched after the abort is rejected without a check', async () => {
		const source = new FakeSource();
		const controller = new AbortController();
		controller.abort();
		const watcher = new JobWatcher(source, settings(), controller.signal);
		await expect(watcher.watch('a', 7, source.start('a', 10))).rejects.toThrow('cancelled item 7');
		expect(source.calls).toEqual([]);
	});

	test('aborting while a round is on the wire rejects at once, with no further round', async () => {
		const source = new FakeSource(200);
		const controller = new AbortController();
		const watcher = new JobWatcher(source, settings({ initialIntervalMs: 20, maxIntervalMs: 20 }), controller.signal);
		const watch = watcher.watch('a', 0, source.start('a', 60_000)).catch((error: Error) => error);
		await sleep(40);
		expect(source.inFlight).toBe(1);
		const abortedAt = Date.now();
		controller.abort();
		expect(((await watch) as Error).message).toBe('cancelled item 0');
		expect(Date.now() - abortedAt).toBeLessThan(20);
		await sleep(300);
		expect(source.calls).toHaveLength(1);
	});
});

test('an error of one job rejects that job only; the others go on', async () => {
	const source = new FakeSource();
	const watcher = new JobWatcher(source, settings());
	const broken = watcher.watch('broken', 0, source.start('broken', -1));
	const fine = watcher.watch('fine', 1, source.start('fine', 100));
	await expect(broken).rejects.toThrow('job broken broke');
	await expect(fine).resolves.toMatchObject({ status: 'done', value: { id: 'fine', done: true } });
	expect(source.calls.filter((call) => call.id === 'broken')).toHaveLength(1);
});
