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
 */
import { pause } from '../cancellation';

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

export type WatchOutcome<T> = { status: 'done'; value: T } | { status: 'timeout'; value: T };

interface Entry<T> {
	id: string;
	itemIndex: number;
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

	private readonly roundWindowMs: number;

	constructor(
		private readonly source: JobSource<T>,
		private readonly settings: PollingSettings,
		private readonly signal?: AbortSignal,
		private readonly random: () => number = Math.random,
	) {
		this.roundWindowMs = Math.min(ROUND_WINDOW_MS, settings.initialIntervalMs / 4);
	}

	/** Resolves when the job is done or the timeout has passed; rejects on cancel or API error. */
	async watch(id: string, itemIndex: number, initial: T, startedAt = Date.now()): Promise<WatchOutcome<T>> {
		if (this.source.isDone(initial)) return { status: 'done', value: initial };
		return await new Promise<WatchOutcome<T>>((resolve, reject) => {
			const entry: Entry<T> = {
				id,
				itemIndex,
				startedAt,
				nextCheckAt: startedAt,
				intervalMs: this.settings.initialIntervalMs,
				latest: initial,
				resolve,
				reject,
			};
			entry.nextCheckAt = startedAt + this.firstCheckAgeMs();
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

	private firstCheckAgeMs(): number {
		const learned = this.learned();
		let first = this.jittered(this.settings.initialIntervalMs);
		if (learned !== undefined && learned.pendingAgeMs > first) first = learned.pendingAgeMs;
		return Math.min(first, this.settings.timeoutMs);
	}

	private jittered(ms: number): number {
		const spread = ms * this.settings.jitterRatio;
		return Math.max(0, ms - spread + this.random() * 2 * spread);
	}

	/** Plans the next check from the time of this round, so jobs checked together stay together. */
	private scheduleNext(entry: Entry<T>, roundAt: number): void {
		const age = roundAt - entry.startedAt;
		const learned = this.learned();
		let nextAge: number;
		if (learned !== undefined && age < learned.doneAgeMs) {
			// similar jobs finish in this window: walk through it in short steps, from its start
			const initial = this.settings.initialIntervalMs;
			const step = Math.min(initial, Math.max(initial / 4, (learned.doneAgeMs - learned.pendingAgeMs) / 3));
			nextAge = Math.max(age + this.jittered(step), learned.pendingAgeMs);
		} else {
			entry.intervalMs = Math.min(this.settings.maxIntervalMs, entry.intervalMs * this.settings.backoffFactor);
			nextAge = age + this.jittered(entry.intervalMs);
		}
		// never in the past, should the check itself have been slow (retries)
		entry.nextCheckAt = Math.max(entry.startedAt + Math.min(nextAge, this.settings.timeoutMs), Date.now());
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
		if (age >= this.settings.timeoutMs) {
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

	/** Sleeps until `time`, a new job, or the abort; false when aborted. */
	private async sleepUntil(time: number): Promise<boolean> {
		const wait = Math.max(0, time - Date.now());
		let woken: (() => void) | undefined;
		const interrupted = new Promise<boolean>((resolve) => {
			woken = () => resolve(true);
			this.wake = woken;
		});
		const result = await Promise.race([pause(wait, this.signal), interrupted]);
		if (this.wake === woken) this.wake = undefined;
		return result;
	}

	private async loop(): Promise<void> {
		this.running = true;
		// a cancel rejects every waiting job at once, even while a round of checks is on the wire
		const onAbort = () => this.cancelAll();
		this.signal?.addEventListener('abort', onAbort, { once: true });
		try {
			while (this.entries.size > 0) {
				if (this.signal?.aborted) {
					this.cancelAll();
					break;
				}
				const earliest = Math.min(...[...this.entries].map((entry) => entry.nextCheckAt));
				if (earliest > Date.now()) {
					if (!(await this.sleepUntil(earliest))) {
						this.cancelAll();
						break;
					}
					continue;
				}
				const due = [...this.entries].filter((entry) => entry.nextCheckAt <= earliest + this.roundWindowMs);
				const roundAt = Date.now();
				await Promise.all(due.map(async (entry) => await this.check(entry, roundAt)));
			}
		} finally {
			this.signal?.removeEventListener('abort', onAbort);
			this.running = false;
		}
	}
}
