// @ts-check
'use strict';
/**
 * Webhook deliveries: POST the job set JSON with `X-Webhook-Secret-Key: <secret>`.
 * Every attempt is recorded; failures are recorded, never thrown.
 */
const http = require('http');
const https = require('https');

/**
 * @typedef {{time: number, url: string, status: number|string, error?: string, jobSetId: string,
 *   headers: Record<string, string>, body: any, durationMs?: number}} Delivery
 */

class WebhookDispatcher {
	constructor() {
		/** @type {Delivery[]} */
		this.deliveries = [];
		/** @type {Set<import('http').ClientRequest>} */
		this.pending = new Set();
		this.closed = false;
	}

	/**
	 * Deliver once and record it.
	 * @param {{url: string, secret: string, jobSetId: string, body: any, timeoutMs: number}} d
	 * @returns {Promise<Delivery>}
	 */
	deliver({ url, secret, jobSetId, body, timeoutMs }) {
		const payload = Buffer.from(JSON.stringify(body));
		const headers = {
			'Content-Type': 'application/json',
			'Content-Length': String(payload.length),
			'User-Agent': 'Higgsfield-Webhook/1.0 (sandbox)',
			'X-Webhook-Secret-Key': String(secret),
		};
		const started = Date.now();
		/** @type {Delivery} */
		const rec = { time: started, url, status: 'pending', jobSetId, headers, body };
		this.deliveries.push(rec);
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
	 * Deliver `1 + duplicates` times, one after the other.
	 * @param {{url: string, secret: string, jobSetId: string, body: any, timeoutMs: number}} d @param {number} duplicates
	 */
	async deliverWithDuplicates(d, duplicates) {
		const out = [];
		for (let i = 0; i <= Math.max(0, duplicates | 0); i++) {
			if (this.closed) break;
			out.push(await this.deliver(d));
		}
		return out;
	}

	close() {
		this.closed = true;
		for (const req of this.pending) req.destroy();
		this.pending.clear();
	}
}

module.exports = { WebhookDispatcher };
