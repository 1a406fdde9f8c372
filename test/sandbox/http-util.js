// @ts-check
'use strict';
/** Small HTTP helpers shared by the route handlers: one exchange = request + response + log entry. */
const crypto = require('crypto');

const MAX_JSON_BYTES = 1 << 20;
const MAX_UPLOAD_BYTES = 64 << 20;

class HttpError extends Error {
	/** @param {number} status @param {any} detail */
	constructor(status, detail) {
		super(typeof detail === 'string' ? detail : JSON.stringify(detail));
		this.status = status;
		this.detail = detail;
	}
}

/**
 * @typedef {{req: import('http').IncomingMessage, res: import('http').ServerResponse, url: URL,
 *   entry: import('./request-log').LogEntry|null, params: Record<string, string>, keyId?: string,
 *   fault?: import('./faults').Fault|null, rawBody?: Buffer}} Exchange
 */

/** @param {Exchange} ex @param {number} status */
function markStatus(ex, status) {
	if (ex.entry) {
		ex.entry.status = status;
		ex.entry.answeredAt = Date.now();
	}
}

/** @param {Exchange} ex @param {number} status @param {any} body @param {Record<string, string>} [headers] */
function sendJson(ex, status, body, headers = {}) {
	const payload = Buffer.from(JSON.stringify(body));
	markStatus(ex, status);
	if (ex.res.headersSent || ex.res.destroyed) return;
	ex.res.writeHead(status, {
		'Content-Type': 'application/json',
		'Content-Length': String(payload.length),
		...headers,
	});
	ex.res.end(ex.req.method === 'HEAD' ? undefined : payload);
}

/** @param {Exchange} ex @param {number} status @param {any} detail @param {Record<string, string>} [headers] */
function sendError(ex, status, detail, headers) {
	sendJson(ex, status, { detail }, headers);
}

/** @param {Exchange} ex @param {number} status @param {Buffer|string} body @param {string} contentType @param {Record<string, string>} [headers] */
function sendBytes(ex, status, body, contentType, headers = {}) {
	const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
	markStatus(ex, status);
	if (ex.res.headersSent || ex.res.destroyed) return;
	ex.res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(buf.length), ...headers });
	ex.res.end(ex.req.method === 'HEAD' ? undefined : buf);
}

/** Destroy the socket without answering. @param {Exchange} ex */
function drop(ex) {
	if (ex.entry) {
		ex.entry.status = 'dropped';
		ex.entry.answeredAt = Date.now();
	}
	ex.req.socket.destroy();
}

/** @param {import('http').IncomingMessage} req @param {number} limit @returns {Promise<Buffer>} */
function readBody(req, limit) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > limit) {
				reject(new HttpError(413, 'Request body too large'));
				req.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * Read and parse a JSON body; a decode error becomes FastAPI's 422 json_invalid.
 * @param {Exchange} ex
 */
async function readJson(ex) {
	const raw = await readBody(ex.req, MAX_JSON_BYTES);
	ex.rawBody = raw;
	const text = raw.toString('utf8');
	if (!text.trim()) {
		if (ex.entry) ex.entry.body = null;
		throw new HttpError(422, [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
	}
	try {
		const body = JSON.parse(text);
		if (ex.entry) ex.entry.body = body;
		return body;
	} catch (e) {
		if (ex.entry) ex.entry.body = { bytes: raw.length };
		throw new HttpError(422, [
			{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: { error: /** @type {Error} */ (e).message } },
		]);
	}
}

const newCorrelationId = () => crypto.randomUUID();

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

module.exports = { HttpError, sendJson, sendError, sendBytes, drop, readBody, readJson, markStatus, newCorrelationId, sleep, MAX_UPLOAD_BYTES };
