// The transport for the request API, over real HTTP in real n8n executions (a probe node calls
// higgsfieldApiRequest against counting servers): idempotent submissions retried with the same
// key after a dropped connection, 5xx and 429; extra headers; absolute status/cancel URLs
// followed only on allowed hosts; a retried DELETE that finds nothing counts as deleted; Stop
// aborts a request in flight.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { NodeConnectionTypes, sleep } from 'n8n-workflow';

import { runNode } from './helpers/n8n';
import { ALL_NODE_TYPES } from './helpers/nodeTypes';
import { apiRequestUrl, higgsfieldApiRequest, publicUrlRequest, type ApiRequest } from '../nodes/shared/transport';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startServer } = require('./faults/servers') as typeof import('./faults/servers');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { abortListenerCount } = require('./helpers/processWatch') as typeof import('./helpers/processWatch');

type Server = Awaited<ReturnType<typeof startServer>>;

/** What the probe node sends; set by each test. */
let probeRequest: ApiRequest;

/** A node that sends one API request per item through the transport and outputs the answer. */
class TransportProbe implements INodeType {
	description = {
		displayName: 'Transport Probe',
		name: 'transportProbe',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Transport Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'higgsfieldApi', required: true }],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const answer = await higgsfieldApiRequest<IDataObject>(this, { ...probeRequest, itemIndex: 0 });
		return [[{ json: answer ?? {}, pairedItem: { item: 0 } }]];
	}
}
ALL_NODE_TYPES['n8n-nodes-higgsfield.transportProbe'] = new TransportProbe();

const probe = (baseUrl: string, request: ApiRequest, cancelSignal?: AbortSignal) => {
	probeRequest = request;
	return runNode({ type: 'transportProbe', parameters: {}, credentials: { baseUrl }, cancelSignal });
};

const json = (res: import('http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
	res.writeHead(status, { 'content-type': 'application/json', ...headers });
	res.end(JSON.stringify(body));
};

const servers: Server[] = [];
async function serve(handler: Parameters<typeof startServer>[0]): Promise<Server> {
	const server = await startServer(handler);
	servers.push(server);
	return server;
}
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (server) => await server.close()));
});

const MODEL = '/higgsfield-ai/soul/standard';
const KEY = 'exec-1:node-1:item-0';
const submitRequest: ApiRequest = {
	method: 'POST',
	path: MODEL,
	body: { prompt: 'a fox' },
	kind: 'idempotentSubmit',
	headers: { 'Idempotency-Key': KEY },
};

/**
 * A request API that creates one request per Idempotency-Key (a replay returns the original) and
 * fails the first `failures` submissions in the given way AFTER creating the request.
 */
async function idempotentApi(fail: (attempt: number, res: import('http').ServerResponse, req: import('http').IncomingMessage) => boolean) {
	const created = new Map<string, string>();
	let attempts = 0;
	const server = await serve((req, res) => {
		attempts++;
		const key = String(req.headers['idempotency-key'] ?? '');
		if (!created.has(key)) created.set(key, `req-${created.size + 1}`);
		if (fail(attempts, res, req)) return;
		json(res, 200, { status: 'queued', request_id: created.get(key) });
	});
	return { server, created };
}

describe('idempotentSubmit over real HTTP', () => {
	test('a submission whose connection drops after the service accepted it is sent again with the SAME key: one request created, no "may have been created"', async () => {
		const { server, created } = await idempotentApi((attempt, _res, req) => {
			if (attempt > 1) return false;
			req.socket.destroy();
			return true;
		});
		const result = await probe(server.url, submitRequest);
		expect(result.error).toBeUndefined();
		expect(server.received.map((entry) => [entry.method, entry.url, entry.headers['idempotency-key']])).toEqual([
			['POST', MODEL, KEY],
			['POST', MODEL, KEY],
		]);
		expect(created.size).toBe(1);
		expect(result.output[0].json).toEqual({ status: 'queued', request_id: 'req-1' });
		// the authentication still reaches the service beside the extra header
		expect(server.received[1].headers['hf-api-key']).toBe('hf-sandbox-key');
	});

	test('502 and 504 after acceptance are retried with the same key', async () => {
		const { server, created } = await idempotentApi((attempt, res) => {
			if (attempt > 2) return false;
			json(res, attempt === 1 ? 502 : 504, { detail: 'Bad gateway' });
			return true;
		});
		const result = await probe(server.url, submitRequest);
		expect(result.error).toBeUndefined();
		expect(server.received.map((entry) => entry.headers['idempotency-key'])).toEqual([KEY, KEY, KEY]);
		expect(created.size).toBe(1);
	});

	test('429 account_queue_full waits out Retry-After (1 s) and submits again', async () => {
		let answeredAt = 0;
		const { server } = await idempotentApi((attempt, res) => {
			if (attempt > 1) return false;
			answeredAt = Date.now();
			json(res, 429, { detail: 'Account queue is full', code: 'account_queue_full' }, { 'retry-after': '1' });
			return true;
		});
		const result = await probe(server.url, submitRequest);
		expect(result.error).toBeUndefined();
		expect(server.received).toHaveLength(2);
		expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(990);
	});

	test('the older 400 "Maximum number of concurrent requests" is waited out as well', async () => {
		const { server } = await idempotentApi((attempt, res) => {
			if (attempt > 2) return false;
			json(res, 400, { detail: 'Maximum number of concurrent requests (4) has been reached' });
			return true;
		});
		const result = await probe(server.url, submitRequest);
		expect(result.error).toBeUndefined();
		expect(server.received).toHaveLength(3);
	});

	test('a 422 (another body under the same key) is not retried', async () => {
		const server = await serve((_req, res) => json(res, 422, { detail: 'Idempotency key reused with a different body' }));
		const result = await probe(server.url, submitRequest);
		expect(server.received).toHaveLength(1);
		expect(result.error?.message).toBe("Higgsfield rejected the request's fields (422): Idempotency key reused with a different body [item 0]");
	});

	test('without its Idempotency-Key an idempotentSubmit is a plain submission: not resent after a drop', async () => {
		const { server } = await idempotentApi((_attempt, _res, req) => {
			req.socket.destroy();
			return true;
		});
		const result = await probe(server.url, { ...submitRequest, headers: {} });
		expect(server.received).toHaveLength(1);
		expect(result.error?.message).toMatch(/^The job may have been created/);
	});
});

describe('absolute URLs returned by the API', () => {
	test('apiRequestUrl: Higgsfield hosts (https) and the Base URL origin are followed; anything else builds the path on the Base URL', () => {
		const base = 'https://platform.higgsfield.ai';
		const path = '/requests/r1/status';
		expect(apiRequestUrl(base, path)).toBe('https://platform.higgsfield.ai/requests/r1/status');
		expect(apiRequestUrl(`${base}/`, path)).toBe('https://platform.higgsfield.ai/requests/r1/status');
		expect(apiRequestUrl(base, path, 'https://api.higgsfield.ai/requests/r1/status')).toBe('https://api.higgsfield.ai/requests/r1/status');
		expect(apiRequestUrl(base, path, 'https://higgsfield.ai/requests/r1/status')).toBe('https://higgsfield.ai/requests/r1/status');
		// a proxy or sandbox Base URL: its own origin is followed, even over http
		expect(apiRequestUrl('http://127.0.0.1:4010', path, 'http://127.0.0.1:4010/requests/r1/status?x=1')).toBe('http://127.0.0.1:4010/requests/r1/status?x=1');
		const refused = [
			'https://evil.example.com/requests/r1/status',
			'https://higgsfield.ai.evil.com/requests/r1/status',
			'https://evilhiggsfield.ai/requests/r1/status',
			'http://platform.higgsfield.ai/requests/r1/status', // no key over plain http
			'https://user:pass@platform.higgsfield.ai/requests/r1/status',
			'http://127.0.0.1:4011/requests/r1/status', // same host, another port
			'/requests/r1/status',
			'not a url',
			'ftp://platform.higgsfield.ai/x',
			'',
		];
		for (const candidate of refused) expect(apiRequestUrl(base, path, candidate)).toBe(`${base}${path}`);
		expect(apiRequestUrl('http://127.0.0.1:4010', path, 'http://127.0.0.1:4011/requests/r1/status')).toBe('http://127.0.0.1:4010/requests/r1/status');
	});

	test('a status_url on the Base URL host is followed as given (path and query)', async () => {
		const server = await serve((_req, res) => json(res, 200, { status: 'completed', request_id: 'r1' }));
		const result = await probe(server.url, { method: 'GET', path: '/requests/r1/status', url: `${server.url}/proxy/requests/r1/status?v=2` });
		expect(result.error).toBeUndefined();
		expect(server.received.map((entry) => entry.url)).toEqual(['/proxy/requests/r1/status?v=2']);
	});

	test('a status_url on another host is not followed: the key never leaves, the path is built on the Base URL', async () => {
		const elsewhere = await serve((_req, res) => json(res, 200, {}));
		const server = await serve((_req, res) => json(res, 200, { status: 'queued', request_id: 'r1' }));
		const result = await probe(server.url, { method: 'GET', path: '/requests/r1/status', url: `${elsewhere.url.replace('127.0.0.1', 'localhost')}/requests/r1/status` });
		expect(result.error).toBeUndefined();
		expect(elsewhere.received).toHaveLength(0);
		expect(server.received.map((entry) => entry.url)).toEqual(['/requests/r1/status']);
	});
});

describe('kind delete', () => {
	test('a DELETE answered 502 after it deleted: the retry gets 404, and that counts as deleted (request API)', async () => {
		let deleted = false;
		const server = await serve((_req, res) => {
			if (deleted) return json(res, 404, { detail: 'Request not found' });
			deleted = true;
			json(res, 502, { detail: 'Bad gateway' });
		});
		const result = await probe(server.url, { method: 'DELETE', path: '/requests/r1' });
		expect(result.error).toBeUndefined();
		expect(server.received.map((entry) => entry.method)).toEqual(['DELETE', 'DELETE']);
	});

	test('a dropped DELETE whose retry gets 404 counts as deleted (v1 character)', async () => {
		let deleted = false;
		const server = await serve((req, res) => {
			if (deleted) return json(res, 404, { detail: 'Not found' });
			deleted = true;
			req.socket.destroy();
		});
		const result = await runNode({
			type: 'higgsfieldCharacters',
			parameters: { operation: 'delete', characterId: '3f1c2b8e-0c1d-4e6f-9a7b-5d4c3b2a1f00' },
			credentials: { baseUrl: server.url },
		});
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json)).toEqual([{ deleted: true, id: '3f1c2b8e-0c1d-4e6f-9a7b-5d4c3b2a1f00' }]);
		expect(server.received).toHaveLength(2);
	});

	test('a 404 on the first attempt is still "found nothing"', async () => {
		const server = await serve((_req, res) => json(res, 404, { detail: 'Request not found' }));
		const result = await probe(server.url, { method: 'DELETE', path: '/requests/r1' });
		expect(server.received).toHaveLength(1);
		expect(result.error?.message).toBe('Higgsfield found nothing at /requests/r1 (404): Request not found [item 0]');
	});
});

describe('Stop aborts API requests in flight', () => {
	test('a JSON request that gets no answer ends within moments of Stop, not at the 60 s timeout, and is not sent again', async () => {
		const server = await serve(() => {
			// never answers
		});
		const controller = new AbortController();
		const running = probe(server.url, { method: 'GET', path: '/requests/r1/status' }, controller.signal);
		await sleep(300);
		controller.abort();
		const stoppedAt = Date.now();
		const result = await running;
		expect(Date.now() - stoppedAt).toBeLessThan(1_000);
		expect(result.output).toEqual([]);
		await sleep(300);
		expect(server.received).toHaveLength(1);
	});
});

describe('every request carries the cancel signal (n8n 1.x does not add it to authenticated requests)', () => {
	/** A context whose HTTP helpers record the options they get, as n8n's client would receive them. */
	function recordingContext(signal: AbortSignal) {
		const sent: Array<{ helper: string; abortSignal?: AbortSignal }> = [];
		const answer = async (helper: string, options: { abortSignal?: AbortSignal }) => {
			sent.push({ helper, abortSignal: options.abortSignal });
			return { statusCode: 200, headers: {}, body: {} };
		};
		const ctx = {
			getNode: () => ({ id: 'n', name: 'Higgsfield', type: 't', typeVersion: 1, position: [0, 0], parameters: {} }),
			getCredentials: async () => ({ baseUrl: 'https://platform.higgsfield.ai', apiKey: 'k', apiSecret: 's' }),
			getExecutionCancelSignal: () => signal,
			helpers: {
				httpRequestWithAuthentication: async (_name: string, options: { abortSignal?: AbortSignal }) => await answer('withAuthentication', options),
				httpRequest: async (options: { abortSignal?: AbortSignal }) => await answer('public', options),
			},
		};
		return { ctx: ctx as unknown as IExecuteFunctions, sent };
	}

	test('JSON API requests of every kind and public URL requests get the execution signal; a request signal wins', async () => {
		const execution = new AbortController();
		const { ctx, sent } = recordingContext(execution.signal);
		for (const method of ['GET', 'POST', 'DELETE'] as const) await higgsfieldApiRequest(ctx, { method, path: '/requests/r1' });
		await higgsfieldApiRequest(ctx, { ...submitRequest });
		await publicUrlRequest(ctx, { method: 'GET', url: 'https://cdn.example.com/a.png' });
		expect(sent.map((entry) => [entry.helper, entry.abortSignal === execution.signal])).toEqual([
			['withAuthentication', true],
			['withAuthentication', true],
			['withAuthentication', true],
			['withAuthentication', true],
			['public', true],
		]);
		const narrower = new AbortController();
		await higgsfieldApiRequest(ctx, { method: 'GET', path: '/requests/r1/status', signal: narrower.signal });
		expect(sent[5].abortSignal).toBe(narrower.signal);
	});

	test('after Stop, no request is sent at all', async () => {
		const execution = new AbortController();
		const { ctx, sent } = recordingContext(execution.signal);
		execution.abort();
		await expect(higgsfieldApiRequest(ctx, { method: 'GET', path: '/requests/r1/status', itemIndex: 2 })).rejects.toThrow(
			'The execution was cancelled while waiting for Higgsfield',
		);
		expect(sent).toHaveLength(0);
	});
});

describe('what a user reads when the request API path fails for good', () => {
	const QUICK = { maxReadAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, busyBudgetMs: 1_000 };

	test('an idempotent submission that keeps getting 502: may have been created, and how to resend it safely (same key)', async () => {
		const server = await serve((_req, res) => json(res, 502, { detail: 'Bad gateway' }));
		const result = await probe(server.url, { ...submitRequest, policy: QUICK });
		expect(server.received).toHaveLength(2);
		expect(result.error?.message).toBe(`Higgsfield had a server error (502) for POST ${MODEL}: Bad gateway [item 0]`);
		expect(result.error?.description).toMatch(/^It may have reached Higgsfield\. It carries an Idempotency-Key, so sending it again with the same key returns the original request without charging twice: use n8n's Retry On Fail, or set the Idempotency Key field/);
	});

	test('an idempotent submission whose connection keeps dropping: the same advice, never "may have been created" as a dead end', async () => {
		const server = await serve((req) => req.socket.destroy());
		const result = await probe(server.url, { ...submitRequest, policy: QUICK });
		expect(server.received).toHaveLength(2);
		expect(result.error?.message).toBe(`Could not reach Higgsfield for POST ${MODEL} (econnreset) [item 0]`);
		expect(result.error?.description).toMatch(/^The request got no answer\. Tried 2 times over [\d.]+ s\. It may have reached Higgsfield\. It carries an Idempotency-Key/);
	});

	test('an unknown model id: its 404 model_not_found says so, with the id as sent', async () => {
		const server = await serve((_req, res) => json(res, 404, { detail: 'Model not found', code: 'model_not_found' }));
		const result = await probe(server.url, { ...submitRequest, path: '/acme/new-model/v9' });
		expect(result.error?.message).toBe('Higgsfield does not know the model acme/new-model/v9 (404): Model not found [item 0]');
		expect(result.error?.description).toMatch(/^The model id is sent exactly as given/);
	});

	test('423 model_blocked: not retried, said as such', async () => {
		const server = await serve((_req, res) => json(res, 423, { detail: 'Model is temporarily blocked', code: 'model_blocked' }));
		const result = await probe(server.url, submitRequest);
		expect(server.received).toHaveLength(1);
		expect(result.error?.message).toBe('Higgsfield has temporarily blocked this model (423): Model is temporarily blocked [item 0]');
	});

	test('429 beyond the wait names the request node\'s field', async () => {
		const server = await serve((_req, res) => json(res, 429, { detail: 'Account queue is full', code: 'account_queue_full' }, { 'retry-after': '3600' }));
		const result = await probe(server.url, submitRequest);
		expect(result.error?.description).toMatch(/lower "Max Concurrent Requests"\./);
	});
});

describe('a narrower signal than the execution\'s (one item, one watch)', () => {
	test('aborting it ends a request in flight at once (n8n itself hands its client only the execution signal)', async () => {
		const server = await serve(() => {
			// never answers
		});
		const narrower = new AbortController();
		const running = probe(server.url, { method: 'GET', path: '/requests/r1/status', signal: narrower.signal });
		await sleep(300);
		narrower.abort();
		const abortedAt = Date.now();
		const result = await running;
		expect(Date.now() - abortedAt).toBeLessThan(1_000);
		expect(result.error?.message).toMatch(/cancelled/);
		expect(server.received).toHaveLength(1);
	});
});

test('30 requests in flight on one narrower signal add one abort listener to it, not 30', async () => {
	const narrower = new AbortController();
	let release!: () => void;
	const released = new Promise<void>((resolve) => (release = resolve));
	const ctx = {
		getNode: () => ({ id: 'n', name: 'Higgsfield', type: 't', typeVersion: 1, position: [0, 0], parameters: {} }),
		getCredentials: async () => ({ baseUrl: 'https://platform.higgsfield.ai', apiKey: 'k', apiSecret: 's' }),
		getExecutionCancelSignal: () => new AbortController().signal,
		helpers: {
			httpRequestWithAuthentication: async () => {
				await released;
				return { statusCode: 200, headers: {}, body: {} };
			},
		},
	} as unknown as IExecuteFunctions;
	const requests = Array.from({ length: 30 }, async (_, index) => await higgsfieldApiRequest(ctx, { method: 'GET', path: `/requests/r${index}/status`, signal: narrower.signal }));
	await sleep(20);
	expect(abortListenerCount(narrower.signal)).toBe(1);
	release();
	await Promise.all(requests);
	expect(abortListenerCount(narrower.signal)).toBeLessThanOrEqual(1);
});
