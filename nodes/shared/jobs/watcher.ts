/**
 * Waits for many jobs at once, of any kind (v1 job sets, request API requests, character
 * trainings: a JobSource says how to read one). One loop checks, in rounds, every job that is
 * due, so 100 pending jobs cost one round of requests instead of 100 sleeping loops.
 *
 * Each job is first checked after about the initial interval (2 s), then less and less often
 * (each gap x1.5, up to a ceiling), with jitter so parallel runs do not poll in lockstep.
 *
 * The watcher also learns how long this run's jobs take. Every finished job tells a window: it
 * was still pending at its last check before, and done at the check that found it done. When the
 * windows agree (similar jobs), their overlap is where the next jobs will finish; when they do
 * not, the typical (median) window stands in. A new job is first checked at the start of that
 * window and then every few seconds through it (a third of its width, between a quarter of and
 * one initial interval), instead of backing off into a long sleep right when similar jobs finish;
 * past the window it backs off again. That saves requests (no checks early on) and shortens the
 * lag between the service finishing a job and the node seeing it.
 *
 * Every job has its own polling settings (Poll Interval and Timeout are per item); at most
 * CHECKS_IN_FLIGHT checks of a round are on the wire at once, so a large round never becomes a
 * burst that the service answers with 429.
 */
import { sleep } from 'n8n-workflow';

export interface PollingSettings {
	initialIntervalMs: number;
	backoffFactor: number;
	maxIntervalMs: number;
	timeoutMs: number;
	/** fraction of each interval that is randomised, so parallel runs do not poll in lockstep */
	jitterRatio: number;
}

export const DEFAULT_POLLING: PollingSettings = {
	initialIntervalMs: 2_000,
	backoffFactor: 1.5,
	maxIntervalMs: 10_000,
	// long enough for Speak at 15 s in high quality, which can queue for a while
	timeoutMs: 45 * 60_000,
	jitterRatio: 0.1,
};

/** Checks due within this window of the earliest one join its round (at most a quarter of the initial interval). */
const ROUND_WINDOW_MS = 250;

/** Status checks on the wire at once, across all jobs of a watcher. */
export const CHECKS_IN_FLIGHT = 4;

export type WatchOutcome<T> = { status: 'done'; value: T } | { status: 'timeout'; value: T };

interface Entry<T> {
	id: string;
	itemIndex: number;
	settings: PollingSettings;
	startedAt: number;
	nextCheckAt: number;
	/** the gap before the next check when backing off */
	intervalMs: number;
	/** the last age (ms since start) at which the job was seen unfinished, if it was */
	lastPendingAgeMs?: number;
	latest: T;
	resolve: (outcome: WatchOutcome<T>) => void;
	reject: (error: Error) => void;
}

export interface JobSource<T> {
	/** fetches the current state of one job; errors are already retried by the transport */
	fetch(id: string, itemIndex: number): Promise<T>;
	isDone(value: T): boolean;
	/** the error for a job whose wait was cancelled */
	cancelled(itemIndex: number): Error;
}

/** What finished jobs taught: jobs like them are still pending until `pendingAgeMs` and done by `doneAgeMs`. */
export interface LearnedDuration {
	pendingAgeMs: number;
	doneAgeMs: number;
}

interface FinishedJob {
	/** the last age at which it was seen pending */
	pendingAgeMs: number;
	/** the age at which it was seen done */
	doneAgeMs: number;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export class JobWatcher<T> {
	private readonly entries = new Set<Entry<T>>();

	private readonly finished: FinishedJob[] = [];

	private running = false;

	private wake: (() => void) | undefined;

	/**
	 * @param settings the polling settings of jobs watched without their own
	 * @param checksInFlight status checks on the wire at once
	 */
	constructor(
		private readonly source: JobSource<T>,
		private readonly settings: PollingSettings,
		private readonly signal?: AbortSignal,
		private readonly random: () => number = Math.random,
		private readonly checksInFlight = CHECKS_IN_FLIGHT,
	) {}

	/**
	 * Resolves when the job is done or its timeout has passed; rejects on cancel or API error.
	 * `settings`: this job's own polling settings (Poll Interval, Timeout), else the watcher's;
	 * `startedAt`: when the job was submitted (ages and the timeout count from then).
	 */
	async watch(id: string, itemIndex: number, initial: T, options: { settings?: PollingSettings; startedAt?: number } = {}): Promise<WatchOutcome<T>> {
		const { settings = this.settings, startedAt = Date.now() } = options;
		if (this.source.isDone(initial)) return { status: 'done', value: initial };
		return await new Promise<WatchOutcome<T>>((resolve, reject) => {
			const entry: Entry<T> = {
				id,
				itemIndex,
				settings,
				startedAt,
				nextCheckAt: startedAt,
				intervalMs: settings.initialIntervalMs,
				latest: initial,
				resolve,
				reject,
			};
			entry.nextCheckAt = startedAt + this.firstCheckAgeMs(settings);
			this.entries.add(entry);
			this.wake?.();
			if (!this.running) void this.loop();
		});
	}

	/** What this run's finished jobs say about their duration (only jobs seen pending, then done, count). */
	learned(): LearnedDuration | undefined {
		if (this.finished.length === 0) return undefined;
		const pending = this.finished.map((job) => job.pendingAgeMs);
		const done = this.finished.map((job) => job.doneAgeMs);
		const latestPending = Math.max(...pending);
		const earliestDone = Math.min(...done);
		// every job finished inside every window: the overlap is the best guess
		if (latestPending < earliestDone) return { pendingAgeMs: latestPending, doneAgeMs: earliestDone };
		// durations differ: the typical window
		return { pendingAgeMs: median(pending), doneAgeMs: median(done) };
	}

	private firstCheckAgeMs(settings: PollingSettings): number {
		const learned = this.learned();
		let first = this.jittered(settings.initialIntervalMs, settings);
		if (learned !== undefined && learned.pendingAgeMs > first) first = learned.pendingAgeMs;
		return Math.min(first, settings.timeoutMs);
	}

	private jittered(ms: number, settings: PollingSettings): number {
		const spread = ms * settings.jitterRatio;
		return Math.max(0, ms - spread + this.random() * 2 * spread);
	}

	/** Plans the next check from the time of this round, so jobs checked together stay together. */
	private scheduleNext(entry: Entry<T>, roundAt: number): void {
		const { settings } = entry;
		const age = roundAt - entry.startedAt;
		const learned = this.learned();
		let nextAge: number;
		if (learned !== undefined && age < learned.doneAgeMs) {
			// similar jobs finish in this window: walk through it in short steps, from its start
			const initial = settings.initialIntervalMs;
			const step = Math.min(initial, Math.max(initial / 4, (learned.doneAgeMs - learned.pendingAgeMs) / 3));
			nextAge = Math.max(age + this.jittered(step, settings), learned.pendingAgeMs);
		} else {
			entry.intervalMs = Math.min(settings.maxIntervalMs, entry.intervalMs * settings.backoffFactor);
			nextAge = age + this.jittered(entry.intervalMs, settings);
		}
		// never in the past, should the check itself have been slow (retries)
		entry.nextCheckAt = Math.max(entry.startedAt + Math.min(nextAge, settings.timeoutMs), Date.now());
	}

	/** Checks one job in the round started at `roundAt` (ages count from then: the answer is as of about then). */
	private async check(entry: Entry<T>, roundAt: number): Promise<void> {
		let value: T;
		try {
			value = await this.source.fetch(entry.id, entry.itemIndex);
		} catch (error) {
			this.entries.delete(entry);
			entry.reject(error as Error);
			return;
		}
		entry.latest = value;
		const age = roundAt - entry.startedAt;
		if (this.source.isDone(value)) {
			this.entries.delete(entry);
			if (entry.lastPendingAgeMs !== undefined) this.finished.push({ pendingAgeMs: entry.lastPendingAgeMs, doneAgeMs: age });
			entry.resolve({ status: 'done', value });
			return;
		}
		entry.lastPendingAgeMs = age;
		if (age >= entry.settings.timeoutMs) {
			this.entries.delete(entry);
			entry.resolve({ status: 'timeout', value });
			return;
		}
		this.scheduleNext(entry, roundAt);
	}

	private cancelAll(): void {
		for (const entry of this.entries) entry.reject(this.source.cancelled(entry.itemIndex));
		this.entries.clear();
	}

	/**
	 * Sleeps until `time`, a new job, or the abort (the loop's one abort listener wakes it). Adds
	 * no listener of its own: a sleep cut short by a new job leaves nothing behind but a timer.
	 */
	private async sleepUntil(time: number): Promise<void> {
		const wait = Math.max(0, time - Date.now());
		let woken: (() => void) | undefined;
		const interrupted = new Promise<void>((resolve) => {
			woken = resolve;
			this.wake = woken;
		});
		await Promise.race([sleep(wait), interrupted]);
		if (this.wake === woken) this.wake = undefined;
	}

	/** Checks due jobs, at most `checksInFlight` at once; each job's ages count from the round's start. */
	private async round(due: Array<Entry<T>>): Promise<void> {
		const roundAt = Date.now();
		const queue = [...due];
		const worker = async (): Promise<void> => {
			for (let entry = queue.shift(); entry !== undefined; entry = queue.shift()) {
				// a cancel during the round leaves the rest unchecked
				if (this.signal?.aborted) return;
				await this.check(entry, roundAt);
			}
		};
		await Promise.all(Array.from({ length: Math.min(this.checksInFlight, queue.length) }, worker));
	}

	private async loop(): Promise<void> {
		this.running = true;
		// a cancel rejects every waiting job at once, even while a round of checks is on the wire
		const onAbort = () => {
			this.cancelAll();
			this.wake?.();
		};
		this.signal?.addEventListener('abort', onAbort, { once: true });
		try {
			while (this.entries.size > 0) {
				if (this.signal?.aborted) {
					this.cancelAll();
					break;
				}
				const entries = [...this.entries];
				const earliest = Math.min(...entries.map((entry) => entry.nextCheckAt));
				if (earliest > Date.now()) {
					await this.sleepUntil(earliest);
					continue;
				}
				const first = entries.find((entry) => entry.nextCheckAt === earliest) as Entry<T>;
				const window = Math.min(ROUND_WINDOW_MS, first.settings.initialIntervalMs / 4);
				await this.round(entries.filter((entry) => entry.nextCheckAt <= earliest + window));
			}
		} finally {
			this.signal?.removeEventListener('abort', onAbort);
			this.running = false;
		}
	}
}
