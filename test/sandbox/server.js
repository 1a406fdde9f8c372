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
const { RequestStore } = require('./requests');
const { modelTable } = require('./request-models');
const { signingSecrets } = require('./signing');
const { authenticate } = require('./auth');
const { matchRoute } = require('./routes');
const { concurrencyDetail } = require('./handlers/generation');
const { QUEUE_FULL_DETAIL } = require('./handlers/requests');
const { HttpError, sendError, sendJson, drop, readBody, MAX_UPLOAD_BYTES } = require('./http-util');

/** @type {Readonly<Record<number, string>>} */
const FAULT_DETAILS = Object.freeze({
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
});
const CREATING = new Set(['generation', 'other']);
/** Fault kinds that let the handler create the request, then act on the answer. */
const AFTER_ACCEPT = new Set(['dropAfterAccept', 'slowAfterAccept']);

/**
 * @typedef {{signingSecret?: string|string[]|null, timestampOffsetSeconds?: number}} DeliveryOverrides
 *   per-delivery overrides of the `webhookSigningSecret` and `webhookTimestampOffsetSeconds` options
 */

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
		this.requests = new RequestStore({
			getOptions: () => this.options,
			onTerminal: (rec) => this.onRequestTerminal(rec),
		});
		/** @type {{extra: any, table: Map<string, import('./request-models').ModelSpec>}} */
		this.modelCache = { extra: null, table: new Map() };
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
	/** Clear the request log and the request API's counters (created, replays, max in flight...). */
	clearLog() {
		this.requestLog.clear();
		this.requests.resetCounters();
	}
	/** The request API's models (built-in table plus the `extraModels` option). */
	requestModels() {
		if (this.modelCache.extra !== this.options.extraModels) {
			this.modelCache = { extra: this.options.extraModels, table: modelTable(this.options.extraModels) };
		}
		return this.modelCache.table;
	}
	/** Counters of the request API: created per (model, idempotency key), replays, max running / in flight vs limit. */
	requestStats() {
		return this.requests.stats();
	}
	/** The signing secrets in force (none: deliveries are not signed). */
	signingSecrets() {
		return signingSecrets(this.options.webhookSigningSecret);
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
	/**
	 * Signing of one delivery: the configured secrets and clock skew unless overridden.
	 * @param {DeliveryOverrides} [o]
	 */
	signing(o = {}) {
		return {
			timeoutMs: this.options.webhookTimeoutMs,
			signingSecrets: o.signingSecret !== undefined ? signingSecrets(o.signingSecret) : this.signingSecrets(),
			timestampOffsetSeconds: o.timestampOffsetSeconds ?? this.options.webhookTimestampOffsetSeconds,
		};
	}
	/**
	 * Deliver a job set's current state to any URL with any legacy secret (a new event).
	 * @param {import('./jobs').JobSetRecord} set @param {string} url @param {string} secret @param {DeliveryOverrides} [o]
	 */
	deliverWebhook(set, url, secret, o) {
		return this.webhooks.deliver({ url, secret, jobSetId: set.id, kind: 'jobSet', body: JobStore.toJson(set, this.base), ...this.signing(o) });
	}
	/**
	 * Deliver a request's current status body to any URL (a new event).
	 * @param {import('./requests').RequestRecord} rec @param {string} url @param {DeliveryOverrides} [o]
	 */
	deliverRequestWebhook(rec, url, o) {
		return this.webhooks.deliver({ url, requestId: rec.id, kind: 'request', body: RequestStore.toJson(rec, this.base), ...this.signing(o) });
	}
	/**
	 * Send an earlier event again with the same webhook-id and bytes (fresh timestamp; current secrets unless given).
	 * @param {string} webhookId @param {DeliveryOverrides & {url?: string}} [o]
	 */
	redeliver(webhookId, o = {}) {
		const ev = this.webhooks.events.get(webhookId);
		if (!ev) return null;
		return this.webhooks.send(ev, { url: o.url, ...this.signing(o) });
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
		this.requests.close();
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
				{
					url: set.webhook.url,
					secret: set.webhook.secret,
					jobSetId: set.id,
					kind: 'jobSet',
					body,
					...this.signing(),
				},
				this.options.webhookDuplicates,
			)
			.catch(() => {});
	}

	/** A request ended: refund unsuccessful ones, deliver its `hf_webhook`. @param {import('./requests').RequestRecord} rec */
	onRequestTerminal(rec) {
		if (rec.outcome !== 'completed' && Number.isFinite(this.options.credits)) this.options.credits += rec.price;
		if (!rec.webhook || this.closed) return;
		if (rec.canceled && !this.options.webhookOnCanceled) return;
		const o = this.options;
		this.webhooks
			.deliverWithRetries(
				{ url: rec.webhook, requestId: rec.id, kind: 'request', body: RequestStore.toJson(rec, this.base), ...this.signing() },
				{ retries: o.webhookRetries, retryDelayMs: o.webhookRetryDelayMs, duplicates: o.webhookDuplicates, secrets: () => this.signingSecrets() },
			)
			.then((list) => {
				if (list.length) rec.webhookId = list[0].webhookId;
			})
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
		if (AFTER_ACCEPT.has(kind) && ex.req.method === 'POST' && CREATING.has(route.category || '')) return false;
		await this.drainBody(ex);
		if (kind === 'drop' || kind === 'dropAfterAccept') return drop(ex), true;
		if (kind === 'slowAfterAccept') {
			await this.sleep(fault.slowMs);
			return false;
		}
		if (kind === 'concurrency') {
			sendError(ex, 400, concurrencyDetail(this.options.concurrency));
			return true;
		}
		if (/^\d{3}$/.test(kind)) {
			const status = Number(kind);
			/** @type {Record<string, string>} */
			const headers = status === 429 ? { 'Retry-After': String(fault.retryAfter) } : {};
			if (status === 429 && route.requestApi && ex.req.method === 'POST') sendJson(ex, 429, { detail: QUEUE_FULL_DETAIL, code: 'account_queue_full' }, headers);
			else sendError(ex, status, FAULT_DETAILS[status] || `Sandbox fault ${status}`, headers);
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
