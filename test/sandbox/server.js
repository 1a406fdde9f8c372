// @ts-check
'use strict';
/**
 * The sandbox server: wires the stores, the route table, auth, faults, the request log and
 * webhooks together. One request = route -> (control | auth -> fault -> handler).
 */
const http = require('http');
const crypto = require('crypto');
const { defaults, mergeOptions } = require('./options');
const { RequestLog } = require('./request-log');
const { JobStore } = require('./jobs');
const { CharacterStore } = require('./characters');
const { UploadStore } = require('./uploads');
const { FaultPlanner } = require('./faults');
const { WebhookDispatcher } = require('./webhooks');
const { authenticate } = require('./auth');
const { matchRoute } = require('./routes');
const { concurrencyDetail } = require('./handlers/generation');
const { HttpError, sendError, drop, readBody, MAX_UPLOAD_BYTES } = require('./http-util');

/** @type {Readonly<Record<number, string>>} */
const FAULT_DETAILS = Object.freeze({
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
});
const CREATING = new Set(['generation', 'other']);

class Sandbox {
	/** @param {import('./options').SandboxPatch} [opts] */
	constructor(opts = {}) {
		this.options = mergeOptions(defaults(), opts);
		this.requestLog = new RequestLog();
		this.characters = new CharacterStore();
		this.uploads = new UploadStore();
		this.webhooks = new WebhookDispatcher();
		this.faults = new FaultPlanner(() => this.options);
		this.jobs = new JobStore({
			onJobTerminal: (set, job) => {
				if (job.outcome !== 'completed' && Number.isFinite(this.options.credits)) {
					this.options.credits += set.price / set.jobs.length;
				}
			},
			onDone: (set) => this.onJobSetDone(set),
		});
		/** @type {Set<NodeJS.Timeout>} */
		this.slowTimers = new Set();
		this.port = 0;
		this.closed = false;
		this.server = http.createServer((req, res) => {
			res.on('error', () => {});
			this.dispatch(req, res).catch(() => {});
		});
	}

	// ---- public API ----------------------------------------------------------------------
	get url() {
		return `http://127.0.0.1:${this.port}`;
	}
	/** Prefix of every absolute URL the sandbox hands out. */
	get base() {
		return (this.options.publicUrl || this.url).replace(/\/+$/, '');
	}
	get log() {
		return this.requestLog.entries;
	}
	clearLog() {
		this.requestLog.clear();
	}
	get jobSets() {
		return this.jobs.sets;
	}
	get webhookDeliveries() {
		return this.webhooks.deliveries;
	}
	get credits() {
		return this.options.credits;
	}
	/** @param {string} [pathPrefix] */
	acceptedSubmissions(pathPrefix) {
		return this.requestLog.accepted(pathPrefix);
	}
	/** @param {import('./options').SandboxPatch} patch */
	configure(patch) {
		mergeOptions(this.options, patch);
		if (patch && patch.seed !== undefined) this.faults.reseed(this.options.seed);
		return this.options;
	}
	/** @param {import('./faults').ScriptRule[]} rules */
	script(rules) {
		this.faults.script(rules);
	}
	/** @param {import('./characters').CharacterRecord} c */
	characterState(c) {
		return CharacterStore.state(c);
	}
	/** Take `price` credits; false when there are not enough. @param {number} price */
	tryCharge(price) {
		const c = this.options.credits;
		if (!Number.isFinite(c)) return c > 0;
		if (c <= 0 || c < price) return false;
		this.options.credits = c - price;
		return true;
	}
	/** Deliver a job set's current state to any URL with any secret. @param {import('./jobs').JobSetRecord} set @param {string} url @param {string} secret */
	deliverWebhook(set, url, secret) {
		return this.webhooks.deliver({ url, secret, jobSetId: set.id, body: JobStore.toJson(set, this.base), timeoutMs: this.options.webhookTimeoutMs });
	}

	/** @returns {Promise<this>} */
	listen() {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.options.port, '127.0.0.1', () => {
				this.server.removeListener('error', reject);
				this.port = /** @type {import('net').AddressInfo} */ (this.server.address()).port;
				resolve(this);
			});
		});
	}

	async close() {
		if (this.closed) return;
		this.closed = true;
		this.jobs.close();
		this.webhooks.close();
		for (const t of this.slowTimers) clearTimeout(t);
		this.slowTimers.clear();
		await new Promise((resolve) => {
			this.server.close(() => resolve(undefined));
			this.server.closeAllConnections();
		});
	}

	// ---- internals -----------------------------------------------------------------------
	/** @param {import('./jobs').JobSetRecord} set */
	onJobSetDone(set) {
		if (!set.webhook || this.closed) return;
		const body = JobStore.toJson(set, this.base);
		this.webhooks
			.deliverWithDuplicates(
				{ url: set.webhook.url, secret: set.webhook.secret, jobSetId: set.id, body, timeoutMs: this.options.webhookTimeoutMs },
				this.options.webhookDuplicates,
			)
			.catch(() => {});
	}

	/** @param {number} ms */
	sleep(ms) {
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				this.slowTimers.delete(t);
				resolve(undefined);
			}, ms);
			this.slowTimers.add(t);
		});
	}

	/** Read (and log) a body we are about to refuse, so the client sees our answer, not a reset. @param {import('./http-util').Exchange} ex */
	async drainBody(ex) {
		if (ex.req.method === 'GET' || ex.req.method === 'HEAD' || ex.req.method === 'DELETE') return;
		const raw = await readBody(ex.req, MAX_UPLOAD_BYTES).catch(() => Buffer.alloc(0));
		if (!ex.entry) return;
		try {
			ex.entry.body = raw.length ? JSON.parse(raw.toString('utf8')) : null;
		} catch {
			ex.entry.body = { bytes: raw.length };
		}
	}

	/**
	 * Apply a fault; true when the request is finished (answered or dropped).
	 * @param {import('./http-util').Exchange} ex @param {import('./faults').Fault} fault @param {import('./routes').Route} route
	 */
	async applyFault(ex, fault, route) {
		const kind = fault.kind;
		if (kind === 'refuse') return drop(ex), true;
		if (kind === 'slow') {
			await this.sleep(fault.slowMs);
			return false;
		}
		if (kind === 'dropAfterAccept' && ex.req.method === 'POST' && CREATING.has(route.category || '')) return false;
		await this.drainBody(ex);
		if (kind === 'drop' || kind === 'dropAfterAccept') return drop(ex), true;
		if (kind === 'concurrency') {
			sendError(ex, 400, concurrencyDetail(this.options.concurrency));
			return true;
		}
		if (/^\d{3}$/.test(kind)) {
			const status = Number(kind);
			sendError(ex, status, FAULT_DETAILS[status] || `Sandbox fault ${status}`, status === 429 ? { 'Retry-After': String(fault.retryAfter) } : {});
			return true;
		}
		sendError(ex, 500, `Unknown sandbox fault kind "${kind}"`);
		return true;
	}

	/** @param {import('http').IncomingMessage} req @param {import('http').ServerResponse} res */
	async dispatch(req, res) {
		const url = new URL(req.url || '/', 'http://127.0.0.1');
		const method = String(req.method);
		const match = matchRoute(method, url.pathname);
		const isControl = 'route' in match ? !!match.route.control : match.control;
		/** @type {import('./http-util').Exchange} */
		const ex = { req, res, url, entry: isControl ? null : this.requestLog.start(req, url), params: 'params' in match ? match.params : {} };
		if (!isControl) res.setHeader('X-Correlation-ID', crypto.randomUUID());
		try {
			if (!('route' in match)) throw new HttpError(match.status, match.status === 404 ? 'Not Found' : 'Method Not Allowed');
			const route = match.route;
			if (route.auth) {
				const a = authenticate(req.headers, this.options);
				if ('error' in a) throw new HttpError(401, a.error);
				ex.keyId = a.keyId;
			}
			if (!route.control) {
				const fault = this.faults.decide(method === 'HEAD' ? 'GET' : method, url.pathname, route.category || 'other');
				if (fault) {
					ex.fault = fault;
					if (ex.entry) ex.entry.fault = fault.kind;
					if (await this.applyFault(ex, fault, route)) return;
				}
			}
			await route.handler(this, ex);
		} catch (e) {
			if (e instanceof HttpError) sendError(ex, e.status, e.detail);
			else sendError(ex, 500, `Sandbox internal error: ${/** @type {Error} */ (e).message}`);
		}
	}
}

/** @param {import('./options').SandboxPatch} [opts] */
async function startSandbox(opts) {
	return new Sandbox(opts).listen();
}

module.exports = { Sandbox, startSandbox };
