// @ts-check
'use strict';
/**
 * Requests of the model-request API and their lifecycle, with the account's concurrency limit:
 * at most `limit` requests run at once; the others wait `queued` in a FIFO server-side queue
 * (a request also stays queued at least `queuedSeconds`). A running request is `in_progress`
 * for its duration, then terminal (a timer ends it even when nobody polls). Idempotency keys
 * map to the request they created; counters say what a test needs (created per model and key,
 * replays, the most requests running / in flight at once).
 */
const crypto = require('crypto');
const { isoMicros } = require('./jobs');

/**
 * @typedef {{id: string, keyId: string, model: string, output: string, body: any, webhook: string|null,
 *   idempotencyKey: string|null, fingerprint: string, expiresAfter: number|null, createdAt: number,
 *   readyAt: number, startedAt: number|null, endsAt: number|null, completedAt: number|null, durationMs: number,
 *   outcome: string, canceled: boolean, error: string|null, outputCount: number, price: number,
 *   expiresAtMs: number|null, deletedAt: number|null, webhookId: string|null}} RequestRecord
 * @typedef {{model: string, idempotencyKey: string|null, created: number, replays: number, requestIds: string[]}} KeyGroup
 */

const FAILURE_MESSAGE = 'Generation failed (sandbox)';

const zeroCounters = () => ({ created: 0, replays: 0, queueFull: 0, concurrencyRefused: 0, maxRunning: 0, maxInFlight: 0 });

/** Stable JSON (sorted keys) for the idempotency fingerprint. @param {any} v @returns {string} */
function canonical(v) {
	if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
	if (v && typeof v === 'object') {
		return `{${Object.keys(v)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(v === undefined ? null : v);
}

/** @param {string} model @param {any} body @param {string|null} webhook @param {number|null} expiresAfter */
const fingerprintOf = (model, body, webhook, expiresAfter) => canonical([model, body, webhook, expiresAfter]);

class RequestStore {
	/**
	 * @param {{getOptions: () => import('./options').SandboxOptions,
	 *   onTerminal?: (rec: RequestRecord) => void}} deps
	 */
	constructor(deps) {
		this.getOptions = deps.getOptions;
		this.onTerminal = deps.onTerminal || (() => {});
		/** @type {Map<string, RequestRecord>} */
		this.records = new Map();
		/** @type {RequestRecord[]} */
		this.queue = [];
		/** @type {Set<RequestRecord>} */
		this.running = new Set();
		/** @type {Map<string, {fingerprint: string, requestId: string, at: number}>} */
		this.keys = new Map();
		/** @type {Map<string, KeyGroup>} */
		this.groups = new Map();
		/** @type {Set<NodeJS.Timeout>} */
		this.timers = new Set();
		/** @type {NodeJS.Timeout|null} */
		this.pumpTimer = null;
		this.counters = zeroCounters();
	}

	/** Start counting afresh (the requests themselves stay). */
	resetCounters() {
		this.counters = zeroCounters();
		this.counters.maxRunning = this.running.size;
		this.counters.maxInFlight = this.inFlight;
		this.groups.clear();
		for (const rec of this.records.values()) this.group(rec.model, rec.idempotencyKey).requestIds.push(rec.id);
		for (const g of this.groups.values()) g.created = 0; // counts creations from now on
	}

	get limit() {
		return Math.max(1, Number(this.getOptions().concurrency) || 1);
	}
	/** Waiting places of the server-side queue (0 with the older 400 behaviour). */
	get queueSize() {
		const o = this.getOptions();
		if (o.requestLimitMode === 'reject') return 0;
		return o.requestQueueSize === null || o.requestQueueSize === undefined ? this.limit * 2 : Math.max(0, Number(o.requestQueueSize));
	}
	get inFlight() {
		return this.running.size + this.queue.length;
	}

	/** @param {string} model @param {string|null} key */
	group(model, key) {
		const id = `${model}\n${key ?? ''}`;
		let g = this.groups.get(id);
		if (!g) {
			g = { model, idempotencyKey: key, created: 0, replays: 0, requestIds: [] };
			this.groups.set(id, g);
		}
		return g;
	}

	/**
	 * The request a key already created: `{rec}` (same fingerprint), `{mismatch: true}`, or null.
	 * @param {string} keyId @param {string} key @param {string} fingerprint
	 */
	lookupKey(keyId, key, fingerprint) {
		const k = `${keyId}\n${key}`;
		const hit = this.keys.get(k);
		if (!hit) return null;
		if (Date.now() - hit.at > this.getOptions().idempotencyTtlSeconds * 1000) {
			this.keys.delete(k);
			return null;
		}
		const rec = this.records.get(hit.requestId);
		if (!rec) return null;
		if (hit.fingerprint !== fingerprint) return { mismatch: true };
		this.counters.replays++;
		this.group(rec.model, key).replays++;
		return { rec };
	}

	/** Can a new request be accepted now? @returns {{ok: true} | {ok: false, status: 429|400, retryAfter: number}} */
	admission() {
		const o = this.getOptions();
		if (o.requestLimitMode === 'reject') {
			if (this.running.size + this.queue.length >= this.limit) {
				this.counters.concurrencyRefused++;
				return { ok: false, status: 400, retryAfter: this.secondsToNextSlot() };
			}
			return { ok: true };
		}
		if (this.inFlight >= this.limit + this.queueSize) {
			this.counters.queueFull++;
			return { ok: false, status: 429, retryAfter: this.secondsToNextSlot() };
		}
		return { ok: true };
	}

	/** Whole seconds until the first running request ends (at least 1). */
	secondsToNextSlot() {
		const now = Date.now();
		let first = Infinity;
		for (const r of this.running) first = Math.min(first, /** @type {number} */ (r.endsAt));
		return Number.isFinite(first) ? Math.max(1, Math.ceil((first - now) / 1000)) : 1;
	}

	/**
	 * @param {{keyId: string, model: string, output: string, body: any, webhook: string|null, idempotencyKey: string|null,
	 *   expiresAfter: number|null, seconds: number, outcome: string, outputCount: number, price: number}} spec
	 * @returns {RequestRecord}
	 */
	create(spec) {
		const now = Date.now();
		const o = this.getOptions();
		/** @type {RequestRecord} */
		const rec = {
			id: crypto.randomUUID(),
			keyId: spec.keyId,
			model: spec.model,
			output: spec.output,
			body: spec.body,
			webhook: spec.webhook,
			idempotencyKey: spec.idempotencyKey,
			fingerprint: fingerprintOf(spec.model, spec.body, spec.webhook, spec.expiresAfter),
			expiresAfter: spec.expiresAfter,
			createdAt: now,
			readyAt: now + Math.max(0, Number(o.requestQueuedSeconds) || 0) * 1000,
			startedAt: null,
			endsAt: null,
			completedAt: null,
			durationMs: Math.max(0, Math.round(spec.seconds * 1000)),
			outcome: spec.outcome,
			canceled: false,
			error: spec.outcome === 'failed' ? FAILURE_MESSAGE : null,
			outputCount: spec.outputCount,
			price: spec.price,
			expiresAtMs: null,
			deletedAt: null,
			webhookId: null,
		};
		this.records.set(rec.id, rec);
		if (spec.idempotencyKey !== null) this.keys.set(`${spec.keyId}\n${spec.idempotencyKey}`, { fingerprint: rec.fingerprint, requestId: rec.id, at: now });
		const g = this.group(rec.model, rec.idempotencyKey);
		g.created++;
		g.requestIds.push(rec.id);
		this.counters.created++;
		this.queue.push(rec);
		this.pump();
		this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.inFlight);
		return rec;
	}

	/** Start queued requests while there are free slots. */
	pump() {
		const now = Date.now();
		while (this.running.size < this.limit && this.queue.length) {
			const head = this.queue[0];
			if (head.readyAt > now) {
				this.schedulePump(head.readyAt - now);
				return;
			}
			this.queue.shift();
			this.start(head, now);
		}
	}

	/** @param {number} ms */
	schedulePump(ms) {
		if (this.pumpTimer) return;
		this.pumpTimer = setTimeout(() => {
			this.pumpTimer = null;
			this.pump();
		}, ms);
		this.pumpTimer.unref();
	}

	/** @param {RequestRecord} rec @param {number} now */
	start(rec, now) {
		rec.startedAt = now;
		rec.endsAt = now + rec.durationMs;
		this.running.add(rec);
		this.counters.maxRunning = Math.max(this.counters.maxRunning, this.running.size);
		const t = setTimeout(() => {
			this.timers.delete(t);
			this.finish(rec);
		}, rec.durationMs);
		t.unref();
		this.timers.add(t);
	}

	/** @param {RequestRecord} rec */
	finish(rec) {
		if (rec.completedAt !== null) return;
		rec.completedAt = /** @type {number} */ (rec.endsAt);
		this.running.delete(rec);
		this.setExpiry(rec);
		this.onTerminal(rec);
		this.pump();
	}

	/** @param {RequestRecord} rec */
	setExpiry(rec) {
		const retention = rec.expiresAfter ?? this.getOptions().retentionSeconds;
		rec.expiresAtMs = /** @type {number} */ (rec.completedAt) + retention * 1000;
	}

	/** Cancel while queued: true when canceled (or already canceled), false once started. @param {RequestRecord} rec */
	cancel(rec) {
		if (rec.canceled) return true;
		if (rec.startedAt !== null || rec.completedAt !== null) return false;
		const i = this.queue.indexOf(rec);
		if (i >= 0) this.queue.splice(i, 1);
		rec.canceled = true;
		rec.outcome = 'canceled';
		rec.completedAt = Date.now();
		this.setExpiry(rec);
		this.onTerminal(rec);
		this.pump();
		return true;
	}

	/** @param {RequestRecord} rec @param {number} [now] */
	static statusOf(rec, now = Date.now()) {
		if (rec.canceled) return 'canceled';
		if (rec.completedAt !== null) return rec.outcome;
		if (rec.startedAt !== null && now >= /** @type {number} */ (rec.endsAt)) return rec.outcome; // timer racing a read
		return rec.startedAt !== null ? 'in_progress' : 'queued';
	}

	/** @param {string} id */
	get(id) {
		const rec = this.records.get(String(id).toLowerCase());
		if (rec && rec.completedAt === null && rec.startedAt !== null && Date.now() >= /** @type {number} */ (rec.endsAt)) this.finish(rec);
		return rec;
	}

	/** @param {RequestRecord} rec */
	static isTerminal(rec) {
		return rec.canceled || rec.completedAt !== null;
	}

	/** Outputs can be downloaded (completed, not deleted, not expired). @param {RequestRecord} rec */
	static outputsAvailable(rec) {
		return rec.completedAt !== null && !rec.canceled && rec.outcome === 'completed' && rec.deletedAt === null && Date.now() < /** @type {number} */ (rec.expiresAtMs);
	}

	/**
	 * The status body (also the submit answer and the webhook body).
	 * @param {RequestRecord} rec @param {string} base
	 */
	static toJson(rec, base) {
		const status = RequestStore.statusOf(rec);
		/** @type {Record<string, any>} */
		const out = {
			status,
			request_id: rec.id,
			status_url: `${base}/requests/${rec.id}/status`,
			cancel_url: `${base}/requests/${rec.id}/cancel`,
		};
		if (status === 'failed' && rec.error) out.error = rec.error;
		if (status === 'completed' && rec.deletedAt === null) Object.assign(out, outputsOf(rec, base));
		if (rec.expiresAtMs !== null && status === 'completed') out.expires_at = isoMicros(rec.expiresAtMs);
		return out;
	}

	/** A JSON view for the control endpoints. @param {RequestRecord} rec */
	static describe(rec) {
		const { fingerprint: _f, ...rest } = rec;
		return { ...rest, status: RequestStore.statusOf(rec) };
	}

	stats() {
		const byKey = [...this.groups.values()].filter((g) => g.created || g.replays);
		return {
			limit: this.limit,
			queueSize: this.queueSize,
			mode: this.getOptions().requestLimitMode,
			...this.counters,
			running: this.running.size,
			queued: this.queue.length,
			byKey,
			duplicates: byKey.filter((g) => g.idempotencyKey !== null && g.created > 1),
		};
	}

	close() {
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		if (this.pumpTimer) clearTimeout(this.pumpTimer);
		this.pumpTimer = null;
	}
}

/** @type {Readonly<Record<string, string>>} */
const EXTENSIONS = Object.freeze({ images: 'png', video: 'mp4', audio: 'wav', audios: 'wav' });

/** @param {RequestRecord} rec @param {string} base */
function outputsOf(rec, base) {
	const ext = EXTENSIONS[rec.output] || 'bin';
	const urlOf = (/** @type {number} */ i) => ({ url: `${base}/files/requests/${rec.id}/${i}.${ext}` });
	const list = Array.from({ length: Math.max(1, rec.outputCount) }, (_, i) => urlOf(i));
	if (rec.output === 'images') return { images: list };
	if (rec.output === 'audios') return { audios: list };
	if (rec.output === 'audio') return { audio: list[0] };
	return { video: list[0] };
}

module.exports = { RequestStore, canonical, fingerprintOf, EXTENSIONS };
