// @ts-check
'use strict';
/** The request log: one entry per request (control calls excluded), in arrival order. */

/**
 * @typedef {{seq: number, time: number, method: string, path: string, query: Record<string, string>,
 *   headers: Record<string, any>, body: any, status: number|'dropped'|null, fault: string|null,
 *   accepted: boolean, jobSetId: string|null, characterId?: string|null, completedJobs: string[]|null,
 *   answeredAt: number|null, model?: string, requestId?: string, replay?: boolean, idempotencyKey?: string|null,
 *   requestStatus?: string}} LogEntry
 *   request API: `model`, `requestId`, `replay` (an Idempotency-Key replay: nothing created),
 *   `idempotencyKey`, `requestStatus` (what a status read answered)
 */

class RequestLog {
	constructor() {
		/** @type {LogEntry[]} */
		this.entries = [];
		this.seq = 0;
	}

	/** @param {import('http').IncomingMessage} req @param {URL} url @returns {LogEntry} */
	start(req, url) {
		/** @type {LogEntry} */
		const entry = {
			seq: ++this.seq,
			time: Date.now(),
			method: String(req.method),
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: { ...req.headers },
			body: null,
			status: null,
			fault: null,
			accepted: false,
			jobSetId: null,
			completedJobs: null,
			answeredAt: null,
		};
		this.entries.push(entry);
		return entry;
	}

	clear() {
		this.entries.length = 0;
	}

	/** Entries of POSTs that created something (job set or character). @param {string} [pathPrefix] */
	accepted(pathPrefix) {
		return this.entries.filter((e) => e.accepted && (!pathPrefix || e.path.startsWith(pathPrefix)));
	}
}

module.exports = { RequestLog };
