// @ts-check
'use strict';
/**
 * A fake v1 Higgsfield API that counts: every request by route, and the most requests of each
 * route that were in flight at once. Answers are delayed on purpose (`delays`), so overlaps show.
 * - POST /v1/<anything>: a job set of `batch` jobs (prompt `[outcomes=completed,nsfw,...]`
 *   sets their outcomes), done `jobMs` after creation;
 * - GET /v1/job-sets/{id}: that job set as of now; results at /files/<job id>.png;
 * - GET /files/*: a small PNG; GET /v1/motions, /v1/text2image/soul-styles, /v1/custom-references/list: lists.
 * Plain CommonJS: the community lint rules forbid Node built-ins in TypeScript.
 */
const http = require('http');
const { randomUUID } = require('crypto');

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** @param {string} method @param {string} path */
function routeOf(method, path) {
	if (method === 'POST') return 'submit';
	if (path.startsWith('/v1/job-sets/')) return 'jobSet';
	if (path.startsWith('/files/')) return 'file';
	return 'list';
}

/**
 * @param {{jobMs?: number, delays?: Partial<Record<'submit'|'jobSet'|'file'|'list', number>>, listSize?: number}} [options]
 */
async function startCountingServer(options = {}) {
	const jobMs = options.jobMs ?? 0;
	const delays = { submit: 0, jobSet: 0, file: 0, list: 0, ...options.delays };
	/** @type {Map<string, {id: string, createdAt: number, outcomes: string[], prompt: string}>} */
	const sets = new Map();
	const count = { submit: 0, jobSet: 0, file: 0, list: 0 };
	const inFlight = { submit: 0, jobSet: 0, file: 0, list: 0 };
	const maxInFlight = { submit: 0, jobSet: 0, file: 0, list: 0 };
	/** @type {Array<{route: string, path: string, start: number, end: number}>} */
	const requests = [];
	let base = '';

	/** @param {string} id */
	function jobSetJson(id) {
		const set = sets.get(id);
		if (!set) return null;
		const done = Date.now() - set.createdAt >= jobMs;
		return {
			id,
			type: 'text2image_soul',
			created_at: new Date(set.createdAt).toISOString(),
			input_params: { prompt: set.prompt },
			jobs: set.outcomes.map((outcome, index) => {
				const jobId = `${id}-${index}`;
				const status = done ? outcome : 'in_progress';
				return {
					id: jobId,
					job_set_type: 'text2image_soul',
					status,
					results: status === 'completed' ? { raw: { type: 'image', url: `${base}/files/${jobId}.png` }, min: { type: 'image', url: `${base}/files/${jobId}-min.png` } } : null,
					...(status === 'nsfw' ? { error: 'flagged' } : {}),
				};
			}),
		};
	}

	/** @param {string} method @param {string} path @param {string} body @returns {{status: number, json?: unknown, bytes?: Buffer}} */
	function answer(method, path, body) {
		if (method === 'POST') {
			const params = (JSON.parse(body || '{}').params ?? {});
			const prompt = String(params.prompt ?? '');
			const match = /\[outcomes=([a-z,]+)\]/.exec(prompt);
			const outcomes = match ? match[1].split(',') : Array.from({ length: Number(params.batch_size ?? 1) }, () => 'completed');
			const id = randomUUID();
			sets.set(id, { id, createdAt: Date.now(), outcomes, prompt });
			return { status: 200, json: jobSetJson(id) };
		}
		if (path.startsWith('/v1/job-sets/')) {
			const json = jobSetJson(decodeURIComponent(path.slice('/v1/job-sets/'.length)));
			return json ? { status: 200, json } : { status: 404, json: { detail: 'Not found' } };
		}
		if (path.startsWith('/files/')) return { status: 200, bytes: PNG };
		if (path === '/v1/custom-references/list') {
			const items = Array.from({ length: options.listSize ?? 3 }, (_, index) => ({ id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, name: `c${index}`, status: 'completed' }));
			return { status: 200, json: { items, total: items.length, page: 1, page_size: 100, total_pages: 1 } };
		}
		return { status: 200, json: Array.from({ length: options.listSize ?? 3 }, (_, index) => ({ id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, name: `entry ${index}` })) };
	}

	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const method = String(req.method);
			const path = new URL(String(req.url), 'http://x').pathname;
			const route = routeOf(method, path);
			const entry = { route, path, start: Date.now(), end: 0 };
			requests.push(entry);
			count[route]++;
			maxInFlight[route] = Math.max(maxInFlight[route], ++inFlight[route]);
			setTimeout(() => {
				const result = answer(method, path, Buffer.concat(chunks).toString('utf8'));
				inFlight[route]--;
				entry.end = Date.now();
				if (result.bytes) {
					res.writeHead(result.status, { 'content-type': 'image/png', 'content-length': String(result.bytes.length) });
					res.end(result.bytes);
				} else {
					res.writeHead(result.status, { 'content-type': 'application/json' });
					res.end(JSON.stringify(result.json));
				}
			}, delays[route]);
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('net').AddressInfo} */ (server.address());
	base = `http://127.0.0.1:${address.port}`;
	return {
		url: base,
		count,
		maxInFlight,
		requests,
		reset() {
			for (const key of Object.keys(count)) {
				count[/** @type {keyof typeof count} */ (key)] = 0;
				maxInFlight[/** @type {keyof typeof count} */ (key)] = 0;
			}
			requests.length = 0;
		},
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			}),
	};
}

module.exports = { startCountingServer };
