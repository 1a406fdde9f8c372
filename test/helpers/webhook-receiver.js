// @ts-check
'use strict';
/**
 * A tiny HTTP receiver for the webhook tests (plain JS: the TS tests may not import Node built-ins).
 *
 * It reads each request body the way n8n 2.x does for a webhook node of version 1
 * (packages/cli webhook-helpers parseRequestBody + body-parser): `application/json` becomes an
 * object (malformed JSON is answered 422 by n8n itself, before any node sees it), `text/plain`
 * a string, a form an object, anything else stays undefined. Every call is recorded with the
 * status and body of the answer. A handler answers (writeHead/end, like n8n's nodes do); without
 * one, or when it leaves the response open, the receiver answers 200 with an empty body.
 */
const http = require('http');
const { randomBytes } = require('crypto');
const { parse: parseForm } = require('querystring');

/**
 * @typedef {{method: string, path: string, query: Record<string, string>, headers: import('http').IncomingHttpHeaders,
 *   rawBody: string, body: unknown, status?: number, answer?: string}} ReceivedCall
 * @typedef {import('http').IncomingMessage & {body?: unknown, rawBody?: Buffer, query: Record<string, string>,
 *   contentType?: string, path: string}} ReceivedRequest
 * @typedef {(req: ReceivedRequest, res: import('http').ServerResponse, call: ReceivedCall) => Promise<void> | void} Handler
 */

/** @param {Buffer} raw @param {string | undefined} contentType */
function parseBody(raw, contentType) {
	if (raw.length === 0) return { ok: true, body: undefined };
	const text = raw.toString('utf8').replace(/^\uFEFF/, '');
	if (contentType === 'application/json') {
		try {
			return { ok: true, body: JSON.parse(text) };
		} catch (e) {
			return { ok: false, error: /** @type {Error} */ (e).message };
		}
	}
	if (contentType === 'text/plain') return { ok: true, body: text };
	if (contentType === 'application/x-www-form-urlencoded') return { ok: true, body: { ...parseForm(text) } };
	return { ok: true, body: undefined };
}

/**
 * @param {Handler} [handler]
 * @returns {Promise<{url: string, calls: ReceivedCall[], setHandler(h: Handler | undefined): void, close(): Promise<void>}>}
 */
async function startReceiver(handler) {
	/** @type {ReceivedCall[]} */
	const calls = [];
	let current = handler;
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', async () => {
			const raw = Buffer.concat(chunks);
			const url = new URL(req.url || '/', 'http://127.0.0.1');
			const contentType = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase() || undefined;
			const parsed = parseBody(raw, contentType);
			/** @type {ReceivedCall} */
			const call = {
				method: String(req.method),
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: req.headers,
				rawBody: raw.toString('utf8'),
				body: parsed.body,
			};
			calls.push(call);
			/** @type {string[]} */
			const written = [];
			// record what is answered, whoever answers
			const end = /** @type {(...args: any[]) => import('http').ServerResponse} */ (res.end.bind(res));
			/** @type {any} */ (res).end = (/** @type {any[]} */ ...args) => {
				if (args[0] !== undefined && typeof args[0] !== 'function') written.push(String(args[0]));
				call.status = res.statusCode;
				call.answer = written.join('');
				return end(...args);
			};
			if (!parsed.ok) {
				res.writeHead(422, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ code: 422, message: 'Failed to parse request body', hint: parsed.error }));
				return;
			}
			const request = /** @type {ReceivedRequest} */ (Object.assign(req, { body: parsed.body, rawBody: raw, query: call.query, contentType, path: url.pathname }));
			try {
				if (current) await current(request, res, call);
			} catch (e) {
				if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
				if (!res.writableEnded) res.end(JSON.stringify({ message: /** @type {Error} */ (e).message }));
				return;
			}
			if (!res.headersSent) res.writeHead(200);
			if (!res.writableEnded) res.end();
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${address.port}`,
		calls,
		setHandler(h) {
			current = h;
		},
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			}),
	};
}

/**
 * POSTs to a URL like a webhook sender and returns the answer.
 * @param {string} url @param {{body?: string, headers?: Record<string, string>}} [options]
 */
async function post(url, options = {}) {
	const res = await fetch(url, { method: 'POST', headers: options.headers, body: options.body });
	return { status: res.status, text: await res.text() };
}

/** @param {number} ms @returns {Promise<void>} */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls until `fn` returns a truthy value.
 * @template T @param {() => T | Promise<T>} fn @param {number} [timeoutMs]
 * @returns {Promise<NonNullable<T>>}
 */
async function waitFor(fn, timeoutMs = 10_000) {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const value = await fn();
		if (value) return /** @type {NonNullable<T>} */ (value);
		if (Date.now() > end) throw new Error('waitFor: timed out');
		await sleep(20);
	}
}

/**
 * A random secret for one test run (kept out of the sources, and never the same twice).
 * @param {string} label
 */
function fakeSecret(label) {
	return `${label}-${randomBytes(12).toString('hex')}`;
}

module.exports = { startReceiver, post, sleep, waitFor, fakeSecret };
