/**
 * Waits for many jobs at once. One loop checks, in rounds, every job that is due, so 100 pending
 * job sets cost one round of requests instead of 100 sleeping loops.
 *
 * Each job is checked after about 2 s, then less and less often (x1.5, up to a ceiling), with
 * jitter. The watcher also learns how long this run's jobs take: once one has finished, the
 * next ones are first checked near that duration, which saves requests and shortens the lag
 * between the service finishing a job and the node seeing it.
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

/** Checks due within this window of the earliest one join its round. */
const ROUND_WINDOW_MS = 250;

export type WatchOutcome<T> = { status: 'done'; value: T } | { status: 'timeout'; value: T };

interface Entry<T> {
	id: string;
	itemIndex: number;
	startedAt: number;
	nextCheckAt: number;
	intervalMs: number;
	/** the last age (ms since start) at which the job was seen unfinished */
	lastPendingAgeMs: number;
	latest: T;
	resolve: (outcome: WatchOutcome<T>) => void;
	reject: (error: Error) => void;
}

export interface WatcherSource<T> {
	/** fetches the current state of one job; errors are already retried by the transport */
	fetch(id: string, itemIndex: number): Promise<T>;
	isDone(value: T): boolean;
	/** the error for a job whose wait was cancelled */
	cancelled(itemIndex: number): Error;
}

export class Watcher<T> {
	private readonly entries = new Set<Entry<T>>();

	private readonly learnedPendingAgesMs: number[] = [];

	private running = false;

	private wake: (() => void) | undefined;

	constructor(
		private readonly source: WatcherSource<T>,
		private readonly settings: PollingSettings,
		private readonly signal?: AbortSignal,
		private readonly random: () => number = Math.random,
	) {}

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
				lastPendingAgeMs: 0,
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

	/** Typical age at which this run's jobs were still unfinished: the median of what was seen. */
	private learnedAgeMs(): number | undefined {
		const ages = this.learnedPendingAgesMs;
		if (ages.length === 0) return undefined;
		const sorted = [...ages].sort((a, b) => a - b);
		return sorted[Math.floor((sorted.length - 1) / 2)];
	}

	private firstCheckAgeMs(): number {
		const learned = this.learnedAgeMs();
		const first = this.jittered(this.settings.initialIntervalMs);
		return learned !== undefined && learned > first ? learned : first;
	}

	private jittered(ms: number): number {
		const spread = ms * this.settings.jitterRatio;
		return Math.max(0, ms - spread + this.random() * 2 * spread);
	}

	private scheduleNext(entry: Entry<T>, now: number): void {
		const age = now - entry.startedAt;
		let nextAge = age + this.jittered(entry.intervalMs);
		entry.intervalMs = Math.min(this.settings.maxIntervalMs, entry.intervalMs * this.settings.backoffFactor);
		const learned = this.learnedAgeMs();
		if (learned !== undefined && age < learned && nextAge > learned) {
			// do not sleep past the moment similar jobs finished; check often from there
			nextAge = learned;
			entry.intervalMs = this.settings.initialIntervalMs;
		}
		entry.nextCheckAt = entry.startedAt + Math.min(nextAge, this.settings.timeoutMs);
	}

	private async check(entry: Entry<T>): Promise<void> {
		let value: T;
		try {
			value = await this.source.fetch(entry.id, entry.itemIndex);
		} catch (error) {
			this.entries.delete(entry);
			entry.reject(error as Error);
			return;
		}
		entry.latest = value;
		const now = Date.now();
		if (this.source.isDone(value)) {
			this.entries.delete(entry);
			if (entry.lastPendingAgeMs > 0) this.learnedPendingAgesMs.push(entry.lastPendingAgeMs);
			entry.resolve({ status: 'done', value });
			return;
		}
		entry.lastPendingAgeMs = now - entry.startedAt;
		if (now - entry.startedAt >= this.settings.timeoutMs) {
			this.entries.delete(entry);
			entry.resolve({ status: 'timeout', value });
			return;
		}
		this.scheduleNext(entry, now);
	}

	private cancelAll(): void {
		for (const entry of this.entries) entry.reject(this.source.cancelled(entry.itemIndex));
		this.entries.clear();
	}

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
				const due = [...this.entries].filter((entry) => entry.nextCheckAt <= earliest + ROUND_WINDOW_MS);
				await Promise.all(due.map(async (entry) => await this.check(entry)));
			}
		} finally {
			this.running = false;
		}
	}
}
