// @ts-check
'use strict';
/**
 * Webhook deliveries of both APIs. A v1 job set goes out with `X-Webhook-Secret-Key: <secret>`
 * when its body carried a secret (legacy); a request-API delivery carries the status body. When
 * signing secrets are configured, every delivery is also signed the Standard Webhooks way
 * (signing.js). An EVENT (one webhook-id) is remembered with its exact bytes, so duplicates,
 * retries and control redeliveries reuse the same `webhook-id` (with a fresh timestamp).
 * Every attempt is recorded; failures are recorded, never thrown.
 */
const http = require('http');
const https = require('https');
const { signatureHeaders, newWebhookId } = require('./signing');

/**
 * @typedef {'jobSet'|'request'} PayloadKind
 * @typedef {{time: number, url: string, status: number|string, error?: string, kind: PayloadKind, jobSetId: string|null,
 *   requestId: string|null, webhookId: string, attempt: number, headers: Record<string, string>, body: any, durationMs?: number}} Delivery
 * @typedef {{webhookId: string, kind: PayloadKind, url: string, payload: Buffer, legacySecret: string|null,
 *   jobSetId: string|null, requestId: string|null, attempts: number}} WebhookEvent
 * @typedef {{url: string, secret?: string|null, jobSetId?: string|null, requestId?: string|null, kind?: PayloadKind,
 *   body: any, timeoutMs: number, signingSecrets?: string[], webhookId?: string, timestampOffsetSeconds?: number}} DeliverySpec
 * @typedef {{timeoutMs: number, signingSecrets?: string[], url?: string, timestampOffsetSeconds?: number}} SendOptions
 */

const MAX_EVENTS = 10000;

class WebhookDispatcher {
	constructor() {
		/** @type {Delivery[]} */
		this.deliveries = [];
		/** @type {Map<string, WebhookEvent>} */
		this.events = new Map();
		/** @type {Set<import('http').ClientRequest>} */
		this.pending = new Set();
		/** @type {Set<NodeJS.Timeout>} */
		this.timers = new Set();
		this.closed = false;
	}

	/** Record a new event (its bytes are fixed from now on). @param {DeliverySpec} d @returns {WebhookEvent} */
	event(d) {
		/** @type {WebhookEvent} */
		const ev = {
			webhookId: d.webhookId || newWebhookId(),
			kind: d.kind || (d.requestId ? 'request' : 'jobSet'),
			url: d.url,
			payload: Buffer.from(JSON.stringify(d.body)),
			legacySecret: d.secret === undefined || d.secret === null ? null : String(d.secret),
			jobSetId: d.jobSetId || null,
			requestId: d.requestId || null,
			attempts: 0,
		};
		this.events.set(ev.webhookId, ev);
		if (this.events.size > MAX_EVENTS) this.events.delete(/** @type {string} */ (this.events.keys().next().value));
		return ev;
	}

	/**
	 * Deliver a new event once and record it (v1 signature kept for callers).
	 * @param {DeliverySpec} d @returns {Promise<Delivery>}
	 */
	deliver(d) {
		return this.send(this.event(d), { timeoutMs: d.timeoutMs, signingSecrets: d.signingSecrets, timestampOffsetSeconds: d.timestampOffsetSeconds });
	}

	/**
	 * Send an event (again): same webhook-id and bytes, fresh timestamp.
	 * @param {WebhookEvent} ev @param {SendOptions} o @returns {Promise<Delivery>}
	 */
	send(ev, o) {
		const url = o.url || ev.url;
		const payload = ev.payload;
		/** @type {Record<string, string>} */
		const headers = {
			'Content-Type': 'application/json',
			'Content-Length': String(payload.length),
			'User-Agent': 'Higgsfield-Webhook/1.0 (sandbox)',
		};
		if (ev.legacySecret !== null) headers['X-Webhook-Secret-Key'] = ev.legacySecret;
		const secrets = o.signingSecrets || [];
		if (secrets.length) {
			const ts = Math.floor(Date.now() / 1000) + Math.round(Number(o.timestampOffsetSeconds) || 0);
			Object.assign(headers, signatureHeaders(secrets, ev.webhookId, ts, payload));
		}
		ev.attempts++;
		const started = Date.now();
		/** @type {Delivery} */
		const rec = {
			time: started,
			url,
			status: 'pending',
			kind: ev.kind,
			jobSetId: ev.jobSetId,
			requestId: ev.requestId,
			webhookId: ev.webhookId,
			attempt: ev.attempts,
			headers,
			body: JSON.parse(payload.toString('utf8')),
		};
		this.deliveries.push(rec);
		const timeoutMs = o.timeoutMs;
		return new Promise((resolve) => {
			const finish = (/** @type {number|string} */ status, /** @type {string} */ error = '') => {
				if (rec.status !== 'pending') return;
				rec.status = status;
				if (error) rec.error = error;
				rec.durationMs = Date.now() - started;
				resolve(rec);
			};
			if (this.closed) return finish('error', 'sandbox closed');
			let target;
			try {
				target = new URL(url);
			} catch {
				return finish('error', `invalid URL: ${url}`);
			}
			const lib = target.protocol === 'https:' ? https : http;
			const req = lib.request(target, { method: 'POST', headers, timeout: timeoutMs }, (res) => {
				res.resume();
				res.on('end', () => finish(res.statusCode || 0));
				res.on('error', (e) => finish('error', e.message));
			});
			this.pending.add(req);
			req.on('close', () => this.pending.delete(req));
			req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
			req.on('error', (/** @type {any} */ e) => finish('error', e.code ? `${e.code}: ${e.message}` : e.message));
			req.end(payload);
		});
	}

	/**
	 * Deliver `1 + duplicates` times, one after the other (one event: same webhook-id).
	 * @param {DeliverySpec} d @param {number} duplicates
	 */
	async deliverWithDuplicates(d, duplicates) {
		const ev = this.event(d);
		const out = [];
		for (let i = 0; i <= Math.max(0, duplicates | 0); i++) {
			if (this.closed) break;
			out.push(await this.send(ev, { timeoutMs: d.timeoutMs, signingSecrets: d.signingSecrets, timestampOffsetSeconds: d.timestampOffsetSeconds }));
		}
		return out;
	}

	/**
	 * The request API's delivery: one event, retried on network errors, timeouts and 5xx (not 4xx)
	 * `retries` times `retryDelayMs` apart, then `duplicates` extra identical deliveries.
	 * @param {DeliverySpec} d @param {{retries: number, retryDelayMs: number, duplicates: number, secrets: () => string[]}} policy
	 */
	async deliverWithRetries(d, policy) {
		const ev = this.event(d);
		const out = [];
		for (let attempt = 0; attempt <= Math.max(0, policy.retries | 0); attempt++) {
			if (this.closed) return out;
			if (attempt > 0) await this.pause(policy.retryDelayMs);
			if (this.closed) return out;
			const r = await this.send(ev, { timeoutMs: d.timeoutMs, signingSecrets: policy.secrets(), timestampOffsetSeconds: d.timestampOffsetSeconds });
			out.push(r);
			if (typeof r.status === 'number' && r.status < 500) break;
		}
		for (let i = 0; i < Math.max(0, policy.duplicates | 0); i++) {
			if (this.closed) break;
			out.push(await this.send(ev, { timeoutMs: d.timeoutMs, signingSecrets: policy.secrets(), timestampOffsetSeconds: d.timestampOffsetSeconds }));
		}
		return out;
	}

	/** @param {number} ms */
	pause(ms) {
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				this.timers.delete(t);
				resolve(undefined);
			}, Math.max(0, ms));
			this.timers.add(t);
		});
	}

	close() {
		this.closed = true;
		for (const req of this.pending) req.destroy();
		this.pending.clear();
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
	}
}

module.exports = { WebhookDispatcher };
