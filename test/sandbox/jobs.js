// @ts-check
'use strict';
/**
 * Job sets and their wall-clock progression. Each job is `queued` for the first 20% of its
 * duration, then `in_progress`, then terminal at exactly `createdAt + duration` (a timer
 * finalises it even when nobody polls, recording `completedAt` as that scheduled instant).
 */
const crypto = require('crypto');

const JOB_SET_TYPES = Object.freeze({ soul: 'text2image_soul', dop: 'image2video', speak: 'speak_higgsfield' });
const QUEUED_FRACTION = 0.2;

/**
 * @typedef {'soul'|'dop'|'speak'} Kind
 * @typedef {{id: string, index: number, outcome: string, runningAt: number, endsAt: number,
 *   completedAt: number|null, error: string|null}} JobRecord
 * @typedef {{id: string, kind: Kind, type: string, keyId: string, createdAt: number, createdAtIso: string,
 *   inputParams: any, webhook: {url: string, secret: string}|null, price: number, quality: string|null,
 *   jobs: JobRecord[], doneAt: number|null}} JobSetRecord
 */

/** ISO time with microseconds like the service ("2026-05-27T14:04:38.106000Z"). @param {number} ms */
function isoMicros(ms) {
	return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** @type {Readonly<Record<string, string>>} */
const FAILURE_MESSAGES = Object.freeze({
	failed: 'Generation failed (sandbox)',
});

class JobStore {
	/**
	 * @param {{onJobTerminal?: (set: JobSetRecord, job: JobRecord) => void, onDone?: (set: JobSetRecord) => void}} hooks
	 */
	constructor(hooks = {}) {
		this.hooks = hooks;
		/** @type {Map<string, JobSetRecord>} */
		this.sets = new Map();
		/** @type {Map<string, {set: JobSetRecord, job: JobRecord}>} */
		this.byJobId = new Map();
		/** @type {Set<NodeJS.Timeout>} */
		this.timers = new Set();
	}

	/**
	 * @param {{kind: Kind, keyId: string, params: any, webhook: any, jobCount: number, seconds: number,
	 *   stagger: number, outcomes: string[], price: number}} spec
	 * @returns {JobSetRecord}
	 */
	create(spec) {
		const now = Date.now();
		/** @type {JobSetRecord} */
		const set = {
			id: crypto.randomUUID(),
			kind: spec.kind,
			type: JOB_SET_TYPES[spec.kind],
			keyId: spec.keyId,
			createdAt: now,
			createdAtIso: isoMicros(now),
			inputParams: spec.params,
			webhook: spec.webhook || null,
			price: spec.price,
			quality: (spec.params && spec.params.quality) || null,
			jobs: [],
			doneAt: null,
		};
		for (let k = 0; k < spec.jobCount; k++) {
			const durationMs = Math.max(0, Math.round((spec.seconds + spec.stagger * k) * 1000));
			const outcome = spec.outcomes[k % spec.outcomes.length];
			set.jobs.push({
				id: crypto.randomUUID(),
				index: k,
				outcome,
				runningAt: now + Math.round(durationMs * QUEUED_FRACTION),
				endsAt: now + durationMs,
				completedAt: null,
				error: FAILURE_MESSAGES[outcome] || null,
			});
		}
		this.sets.set(set.id, set);
		for (const job of set.jobs) {
			this.byJobId.set(job.id, { set, job });
			const t = setTimeout(() => {
				this.timers.delete(t);
				this.finalize(set, job);
			}, Math.max(0, job.endsAt - now));
			t.unref();
			this.timers.add(t);
		}
		return set;
	}

	/** Mark a job terminal (idempotent). @param {JobSetRecord} set @param {JobRecord} job */
	finalize(set, job) {
		if (job.completedAt !== null) return;
		job.completedAt = job.endsAt;
		if (this.hooks.onJobTerminal) this.hooks.onJobTerminal(set, job);
		if (set.doneAt === null && set.jobs.every((j) => j.completedAt !== null)) {
			set.doneAt = Math.max(...set.jobs.map((j) => /** @type {number} */ (j.completedAt)));
			if (this.hooks.onDone) this.hooks.onDone(set);
		}
	}

	/** Bring a set up to date with the clock (for reads racing the timers). @param {JobSetRecord} set @param {number} [now] */
	refresh(set, now = Date.now()) {
		for (const job of set.jobs) if (job.completedAt === null && now >= job.endsAt) this.finalize(set, job);
		return set;
	}

	/** @param {JobRecord} job @param {number} now */
	static statusOf(job, now) {
		if (job.completedAt !== null) return job.outcome;
		return now >= job.runningAt ? 'in_progress' : 'queued';
	}

	/** @param {string} id */
	get(id) {
		const set = this.sets.get(id);
		return set ? this.refresh(set) : undefined;
	}

	/** @param {string} jobId */
	findJob(jobId) {
		return this.byJobId.get(jobId);
	}

	/**
	 * Job sets of a key not yet done (optionally filtered).
	 * @param {string} keyId @param {(s: JobSetRecord) => boolean} [filter]
	 */
	inFlight(keyId, filter = () => true) {
		const now = Date.now();
		let n = 0;
		for (const set of this.sets.values()) {
			if (set.keyId !== keyId || set.doneAt !== null) continue;
			this.refresh(set, now);
			if (set.doneAt === null && filter(set)) n++;
		}
		return n;
	}

	/**
	 * The job set as the API answers it.
	 * @param {JobSetRecord} set @param {string} base absolute URL prefix for results @param {number} [now]
	 */
	static toJson(set, base, now = Date.now()) {
		return {
			id: set.id,
			type: set.type,
			created_at: set.createdAtIso,
			jobs: set.jobs.map((job) => {
				const status = JobStore.statusOf(job, now);
				/** @type {Record<string, any>} */
				const out = { id: job.id, job_set_type: set.type, status, results: status === 'completed' ? resultsOf(set, job, base) : null };
				if (status === 'failed' && job.error) out.error = job.error;
				return out;
			}),
			input_params: set.inputParams,
		};
	}

	close() {
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
	}
}

/** @param {JobSetRecord} set @param {JobRecord} job @param {string} base */
function resultsOf(set, job, base) {
	const prefix = `${base}/files/results/${job.id}`;
	if (set.kind === 'soul') {
		return { min: { type: 'image', url: `${prefix}/min.png` }, raw: { type: 'image', url: `${prefix}/raw.png` } };
	}
	return { min: { type: 'video', url: `${prefix}/min.mp4` }, raw: { type: 'video', url: `${prefix}/raw.mp4` } };
}

module.exports = { JobStore, JOB_SET_TYPES, isoMicros };
