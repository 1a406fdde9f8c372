// @ts-check
'use strict';
/**
 * Helpers for the sandbox's own jest tests (test/sandbox*.test.ts). Everything that needs Node
 * built-ins lives here, in plain JS, so the TypeScript tests stay clean under the strict n8n lint.
 */
const http = require('http');
const path = require('path');
const zlib = require('zlib');
const { spawn } = require('child_process');
const { crc32 } = require('./media');

const AUTH = Object.freeze({ 'hf-api-key': 'hf-sandbox-key', 'hf-secret': 'hf-sandbox-secret' });
const KEY_AUTH = Object.freeze({ Authorization: 'Key hf-sandbox-key:hf-sandbox-secret' });

/**
 * @typedef {{type: string, loc: (string|number)[], msg: string, input: unknown, ctx?: object}} PydError
 * @typedef {{type: string, url: string}} ResultFile
 * @typedef {{id: string, job_set_type: string, status: string, results: {min: ResultFile, raw: ResultFile}|null, error?: string}} Job
 * @typedef {{id: string, type: string, created_at: string, jobs: Job[], input_params: Record<string, unknown>}} JobSet
 * @typedef {{id: string, name: string, status: string, thumbnail_url: string|null, fail_reason: string|null, created_at: string, updated_at: string}} Character
 * @typedef {{status: number, headers: Headers, json: any, text: string}} Answer
 */

/**
 * One HTTP call with JSON in and (when possible) JSON out.
 * @param {string} base @param {string} method @param {string} p @param {unknown} [body]
 * @param {Record<string, string>} [headers]
 * @returns {Promise<Answer>}
 */
async function call(base, method, p, body, headers = AUTH) {
	/** @type {Record<string, string>} */
	const h = { ...headers };
	if (body !== undefined) h['content-type'] = 'application/json';
	const res = await fetch(base + p, {
		method,
		headers: h,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, json, text };
}

/** @param {string} url */
async function download(url) {
	const res = await fetch(url);
	return {
		status: res.status,
		type: res.headers.get('content-type'),
		length: res.headers.get('content-length'),
		bytes: Buffer.from(await res.arrayBuffer()),
	};
}

/** @param {number} ms @returns {Promise<void>} */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Poll `fn` until it returns a truthy value (or time out).
 * @template T
 * @param {() => Promise<T> | T} fn @param {number} [timeoutMs] @param {number} [everyMs]
 * @returns {Promise<T>}
 */
async function waitFor(fn, timeoutMs = 5000, everyMs = 25) {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > end) throw new Error('waitFor: timed out');
		await sleep(everyMs);
	}
}

/** @param {Record<string, unknown>} [extra] */
const soulParams = (extra = {}) => ({ prompt: 'a red fox in the snow', width_and_height: '1536x1536', quality: '720p', ...extra });
/** @param {string} [url] */
const image = (url = 'https://example.com/portrait.png') => ({ type: 'image_url', image_url: url });
/** @param {Record<string, unknown>} [extra] */
const dopParams = (extra = {}) => ({ model: 'dop-turbo', prompt: 'the fox turns its head', input_images: [image()], ...extra });
/** @param {Record<string, unknown>} [extra] */
const speakParams = (extra = {}) => ({
	prompt: 'a calm presenter',
	input_image: image(),
	input_audio: { type: 'audio_url', audio_url: 'https://example.com/voice.wav' },
	quality: 'mid',
	duration: 5,
	...extra,
});

/** @typedef {{headers: import('http').IncomingHttpHeaders, body: any, raw: Buffer, time: number}} Received */

/**
 * A tiny webhook receiver on 127.0.0.1:0 that records every POST and answers `status`.
 * @param {number} [status]
 * @returns {Promise<{url: string, received: Received[], close: () => Promise<void>}>}
 */
async function startReceiver(status = 200) {
	/** @type {Received[]} */
	const received = [];
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			received.push({ headers: req.headers, body: JSON.parse(raw.toString('utf8') || 'null'), raw, time: Date.now() });
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end('{}');
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
	const { port } = /** @type {import('net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		close: () =>
			new Promise((r) => {
				server.close(() => r(undefined));
				server.closeAllConnections();
			}),
	};
}

/** A port nobody listens on (bound then released). @returns {Promise<number>} */
async function deadPort() {
	const s = http.createServer();
	await new Promise((r) => s.listen(0, '127.0.0.1', () => r(undefined)));
	const { port } = /** @type {import('net').AddressInfo} */ (s.address());
	await new Promise((r) => s.close(() => r(undefined)));
	return port;
}

/**
 * Parse a PNG's chunks checking every CRC, the chunk order and the inflated size.
 * @param {Buffer} buf
 * @returns {{ok: boolean, problems: string[], width: number, height: number}}
 */
function inspectPng(buf) {
	/** @type {string[]} */
	const problems = [];
	if (!buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) problems.push('signature');
	let off = 8;
	/** @type {string[]} */
	const types = [];
	/** @type {Buffer[]} */
	const idat = [];
	let width = 0;
	let height = 0;
	while (off + 12 <= buf.length) {
		const len = buf.readUInt32BE(off);
		const type = buf.subarray(off + 4, off + 8).toString('ascii');
		const data = buf.subarray(off + 8, off + 8 + len);
		if (buf.readUInt32BE(off + 8 + len) !== crc32(buf.subarray(off + 4, off + 8 + len))) problems.push(`crc of ${type}`);
		if (type === 'IHDR') {
			width = data.readUInt32BE(0);
			height = data.readUInt32BE(4);
		}
		if (type === 'IDAT') idat.push(data);
		types.push(type);
		off += 12 + len;
	}
	if (types[0] !== 'IHDR' || types[types.length - 1] !== 'IEND') problems.push(`chunk order ${types.join(',')}`);
	try {
		const raw = zlib.inflateSync(Buffer.concat(idat));
		if (raw.length !== height * (1 + width * 3)) problems.push('IDAT size');
	} catch {
		problems.push('IDAT inflate');
	}
	return { ok: problems.length === 0, problems, width, height };
}

/**
 * Download without buffering: count bytes, keep the first 64, and sample this process's RSS.
 * @param {string} url
 * @returns {Promise<{total: number, head: Buffer, length: string, type: string, rssGrowth: number}>}
 */
function streamCount(url) {
	return new Promise((resolve, reject) => {
		const rssBefore = process.memoryUsage().rss;
		let peak = rssBefore;
		http
			.get(url, (res) => {
				let total = 0;
				let head = Buffer.alloc(0);
				res.on('data', (/** @type {Buffer} */ chunk) => {
					if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64)]);
					total += chunk.length;
					if ((total & 0xfffff) < chunk.length) peak = Math.max(peak, process.memoryUsage().rss);
				});
				res.on('end', () =>
					resolve({
						total,
						head,
						length: String(res.headers['content-length']),
						type: String(res.headers['content-type']),
						rssGrowth: peak - rssBefore,
					}),
				);
				res.on('error', reject);
			})
			.on('error', reject);
	});
}

/**
 * Start the CLI (`cli.js`) and wait for its one line.
 * @param {string} file @param {string[]} args
 * @returns {Promise<{line: string, stop: () => Promise<number|null>}>}
 */
function startCli(file, args) {
	const child = spawn(process.execPath, [path.join(__dirname, file), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	const exited = new Promise((r) => child.on('exit', (code) => r(code)));
	return new Promise((resolve, reject) => {
		let out = '';
		let err = '';
		child.stderr.on('data', (d) => (err += d));
		child.stdout.on('data', (d) => {
			out += d;
			if (out.includes('\n')) {
				resolve({
					line: out,
					stop: () => {
						child.kill('SIGTERM');
						return /** @type {Promise<number|null>} */ (exited);
					},
				});
			}
		});
		exited.then((code) => reject(new Error(`cli exited ${code}: ${err}`)));
	});
}

/** Run the CLI to completion (e.g. --help) and return its stdout. @param {string[]} args @returns {Promise<string>} */
function runCli(args) {
	const child = spawn(process.execPath, [path.join(__dirname, 'cli.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	child.stdout.on('data', (d) => (out += d));
	return new Promise((resolve) => child.on('exit', () => resolve(out)));
}

/**
 * An independent Standard Webhooks verifier (written from the spec, NOT using the sandbox's
 * signing.js): which of the listed v1 signatures match `secret`, and whether the timestamp is
 * within `toleranceSeconds` of `nowSeconds`.
 * @param {Record<string, any>} headers @param {Buffer} raw @param {string} secret
 * @param {{nowSeconds?: number, toleranceSeconds?: number}} [o]
 * @returns {{valid: boolean, matches: number[], fresh: boolean}}
 */
function verifyStandardWebhook(headers, raw, secret, o = {}) {
	const crypto = require('crypto');
	const id = String(headers['webhook-id'] || '');
	const ts = String(headers['webhook-timestamp'] || '');
	const list = String(headers['webhook-signature'] || '').split(' ');
	const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
	const expected = crypto.createHmac('sha256', key).update(Buffer.concat([Buffer.from(`${id}.${ts}.`), raw])).digest();
	/** @type {number[]} */
	const matches = [];
	list.forEach((entry, i) => {
		const [version, sig] = entry.split(',');
		if (version !== 'v1' || !sig) return;
		const got = Buffer.from(sig, 'base64');
		if (got.length === expected.length && crypto.timingSafeEqual(got, expected)) matches.push(i);
	});
	const now = o.nowSeconds ?? Math.floor(Date.now() / 1000);
	const fresh = /^\d+$/.test(ts) && Math.abs(now - Number(ts)) <= (o.toleranceSeconds ?? 300);
	return { valid: !!id && matches.length > 0 && fresh, matches, fresh };
}

module.exports = {
	verifyStandardWebhook,
	AUTH,
	KEY_AUTH,
	call,
	download,
	sleep,
	waitFor,
	soulParams,
	image,
	dopParams,
	speakParams,
	startReceiver,
	deadPort,
	inspectPng,
	streamCount,
	startCli,
	runCli,
};
