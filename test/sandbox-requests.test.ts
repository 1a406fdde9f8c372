// The sandbox's model-request API (contract: Higgsfield's model-request API documentation, see test/sandbox/README.md), over real HTTP.
import { startSandbox } from './sandbox';
import { MODELS } from './sandbox/request-models';
import { CATALOGUE } from '../nodes/shared/requestApi/catalogue';
import { AUTH, KEY_AUTH, call, download, sleep, waitFor, startReceiver, inspectPng } from './sandbox/test-helpers';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type Spec = (typeof MODELS)[number]['args'][string];
const opened: Sandbox[] = [];
async function sandbox(opts: Parameters<typeof startSandbox>[0] = {}) {
	const sb = await startSandbox({ jobSeconds: 0.2, ...opts });
	opened.push(sb);
	return sb;
}
afterAll(async () => {
	await Promise.all(opened.map((s) => s.close()));
});

/** A value that passes a spec (the smallest valid one). */
function validValue(spec: Spec): unknown {
	if (spec.enum) return spec.enum[0];
	if (spec.type === 'integer' || spec.type === 'number') return spec.minimum ?? 1;
	if (spec.type === 'boolean') return true;
	if (spec.type === 'array') return [];
	if (spec.format === 'uri') return 'https://example.com/in.png';
	if (spec.format === 'wav') return 'https://example.com/voice.wav';
	if (spec.format === 'uuid') return '3b1b6f2a-9a3e-4c55-8d5c-2f6f4c1f0a11';
	return 'a fox in the snow';
}
function minimalBody(model: (typeof MODELS)[number]): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	for (const [name, spec] of Object.entries(model.args)) if (spec.required) body[name] = validValue(spec);
	return body;
}

const submit = (sb: Sandbox, model: string, body: unknown, headers: Record<string, string> = {}, query = '') =>
	call(sb.url, 'POST', `/${model}${query}`, body, { ...KEY_AUTH, ...headers });
const status = (sb: Sandbox, id: string) => call(sb.url, 'GET', `/requests/${id}/status`, undefined, KEY_AUTH);
const until = (sb: Sandbox, id: string, want: string) =>
	waitFor(async () => {
		const r = await status(sb, id);
		return r.json.status === want ? r.json : null;
	}, 5000);

describe('submit and lifecycle', () => {
	test('every model of the table accepts its minimal body and completes with real files of its kind', async () => {
		const sb = await sandbox({ concurrency: 100 });
		const ids = [];
		for (const m of MODELS) {
			const r = await submit(sb, m.id, minimalBody(m));
			expect([m.id, r.status]).toEqual([m.id, 200]);
			expect(r.json).toMatchObject({ request_id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: expect.stringMatching(/^(queued|in_progress)$/) });
			expect(r.json.status_url).toBe(`${sb.url}/requests/${r.json.request_id}/status`);
			expect(r.json.cancel_url).toBe(`${sb.url}/requests/${r.json.request_id}/cancel`);
			ids.push([m, r.json.request_id] as const);
		}
		for (const [m, id] of ids) {
			const done = await until(sb, id, 'completed');
			expect(done.expires_at).toMatch(/^\d{4}-\d\d-\d\dT/);
			const url = m.output === 'images' ? done.images[0].url : m.output === 'video' ? done.video.url : done.audio.url;
			const f = await download(url);
			expect(f.status).toBe(200);
			if (m.output === 'images') expect(inspectPng(f.bytes).width).toBe(256);
			if (m.output === 'video') expect(f.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
			if (m.output === 'audio') expect(f.bytes.subarray(8, 12).toString('latin1')).toBe('WAVE');
		}
	});

	test("the package's catalogue and the sandbox's table name the same models with the same output kind and required arguments", () => {
		const table = new Map(MODELS.map((m) => [m.id, m]));
		const kind = { image: 'images', video: 'video', audio: 'audio' } as const;
		for (const c of CATALOGUE) {
			const m = table.get(c.id);
			expect([c.id, m ? kind[c.output] === m.output || (c.output === 'audio' && m.output === 'audios') : 'missing']).toEqual([c.id, true]);
			const required = (args: Array<[string, boolean]>) => args.filter(([, r]) => r).map(([n]) => n).sort();
			expect([c.id, required(c.arguments.map((a) => [a.name, !!a.required]))]).toEqual([c.id, required(Object.entries(m!.args).map(([n, a]) => [n, !!a.required]))]);
		}
	});

	test('queued -> in_progress -> completed; num_images images; the path, query and flat body reach the log', async () => {
		const sb = await sandbox({ concurrency: 1, jobSeconds: 0.3 });
		const a = await submit(sb, 'nano-banana', { prompt: 'one', num_images: 3 });
		const b = await submit(sb, 'nano-banana', { prompt: 'two' }, {}, '?hf_webhook=' + encodeURIComponent('http://127.0.0.1:9/x'));
		expect(a.json.status).toBe('in_progress');
		expect(b.json.status).toBe('queued');
		expect((await status(sb, b.json.request_id)).json.status).toBe('queued');
		const aDone = await until(sb, a.json.request_id, 'completed');
		expect(aDone.images).toHaveLength(3);
		expect((await status(sb, b.json.request_id)).json.status).toBe('in_progress');
		await until(sb, b.json.request_id, 'completed');
		const entry = sb.log.find((e) => e.method === 'POST' && e.query.hf_webhook)!;
		expect(entry).toMatchObject({ path: '/nano-banana', body: { prompt: 'two' }, query: { hf_webhook: 'http://127.0.0.1:9/x' }, accepted: true });
	});

	test('prompt tokens: failed (with error), nsfw; outputs only when completed', async () => {
		const sb = await sandbox();
		const f = await submit(sb, 'veo3.1', { prompt: 'x [sandbox:failed]' });
		const n = await submit(sb, 'higgsfield-ai/soul/standard', { prompt: 'x [sandbox:nsfw]' });
		const failed = await until(sb, f.json.request_id, 'failed');
		expect(failed.error).toBe('Generation failed (sandbox)');
		expect(failed.video).toBeUndefined();
		expect((await until(sb, n.json.request_id, 'nsfw')).images).toBeUndefined();
	});

	test('both auth schemes; 401 otherwise; unknown request 404', async () => {
		const sb = await sandbox();
		expect((await call(sb.url, 'POST', '/nano-banana', { prompt: 'x' }, AUTH)).status).toBe(200);
		expect((await call(sb.url, 'POST', '/nano-banana', { prompt: 'x' }, KEY_AUTH)).status).toBe(200);
		expect((await call(sb.url, 'POST', '/nano-banana', { prompt: 'x' }, { Authorization: 'Key hf-sandbox-key:wrong' })).status).toBe(401);
		expect((await call(sb.url, 'POST', '/nano-banana', { prompt: 'x' }, {})).status).toBe(401);
		const nf = await status(sb, '00000000-0000-4000-8000-000000000000');
		expect(nf.status).toBe(404);
		expect(nf.json.detail).toBeDefined();
		expect((await call(sb.url, 'GET', '/nano-banana', undefined, KEY_AUTH)).status).toBe(404);
	});
});

describe('validation', () => {
	test('unknown model: 404 model_not_found, nothing created', async () => {
		const sb = await sandbox();
		const r = await submit(sb, 'acme/unknown-model/v9', { prompt: 'x' });
		expect(r.status).toBe(404);
		expect(r.json).toEqual({ detail: "Model 'acme/unknown-model/v9' not found", code: 'model_not_found' });
		expect(sb.requestStats().created).toBe(0);
	});

	test('higgsfield-ai/* models answer FastAPI 422 lists', async () => {
		const sb = await sandbox();
		const cases: [string, Record<string, unknown>, (string | number)[], string][] = [
			['higgsfield-ai/soul/standard', {}, ['body', 'prompt'], 'missing'],
			['higgsfield-ai/soul/standard', { prompt: 'x', aspect_ratio: '7:1' }, ['body', 'aspect_ratio'], 'literal_error'],
			['higgsfield-ai/soul/standard', { prompt: 'x', batch_size: 2 }, ['body', 'batch_size'], 'literal_error'],
			['higgsfield-ai/soul/standard', { prompt: 'x', seed: 1.5 }, ['body', 'seed'], 'int_from_float'],
			['higgsfield-ai/soul/character', { prompt: 'x', custom_reference_strength: 0.5 }, ['body', 'custom_reference_id'], 'missing'],
			['higgsfield-ai/soul/character', { prompt: 'x', custom_reference_id: 'nope', custom_reference_strength: 0.5 }, ['body', 'custom_reference_id'], 'uuid_parsing'],
			['higgsfield-ai/dop/turbo', { prompt: 'x', image_url: 'ftp://x/y.png' }, ['body', 'image_url'], 'url_scheme'],
			['higgsfield-ai/dop/turbo', { prompt: 'x', image_url: 'https://x/y.png', motions: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] }, ['body', 'motions'], 'too_long'],
			['higgsfield-ai/speak', { prompt: 'x', image_url: 'https://x/y.png', audio_url: 'https://x/voice.mp3' }, ['body', 'audio_url'], 'value_error'],
			['higgsfield-ai/popcorn/auto', { prompt: 'x', num_images: 9 }, ['body', 'num_images'], 'less_than_equal'],
		];
		for (const [model, body, loc, type] of cases) {
			const r = await submit(sb, model, body);
			expect([model, r.status]).toEqual([model, 422]);
			expect(r.json.detail).toEqual(expect.arrayContaining([expect.objectContaining({ loc, type })]));
		}
		expect(sb.requestStats().created).toBe(0);
	});

	test('partner models answer 400 with JSON-Schema text', async () => {
		const sb = await sandbox();
		const cases: [string, unknown, string][] = [
			['nano-banana', {}, "'prompt' is a required property"],
			['nano-banana', { prompt: 5 }, "5 is not of type 'string'"],
			['nano-banana', { prompt: 'x', output_format: 'gif' }, "'gif' is not one of ['jpeg', 'png']"],
			['nano-banana', { prompt: 'x', num_images: 5 }, '5 is greater than the maximum of 4'],
			['kling-video/v2.1/pro/image-to-video', { prompt: 'x' }, "'image_url' is a required property"],
			['kling-video/v2.1/pro/image-to-video', { prompt: 'x', image_url: 'https://x/y.png', cfg_scale: -1 }, '-1 is less than the minimum of 0'],
			['bytedance/seedance/v1/pro/image-to-video', { prompt: 'x', image_url: 'https://x/y.png', duration: 13 }, '13 is greater than the maximum of 12'],
			['veo3.1', { prompt: 'x', duration: 8 }, "8 is not of type 'string'"],
			['veo3.1', { prompt: 'x', duration: '5' }, "'5' is not one of ['4', '6', '8']"],
			['veo3.1', { prompt: 'x', generate_audio: 'yes' }, "'yes' is not of type 'boolean'"],
			['kling-video/v2.1/master/text-to-video', { prompt: 'x'.repeat(2501) }, `'${'x'.repeat(2501)}' is too long`],
			['nano-banana', [1], "[1] is not of type 'object'"],
		];
		for (const [model, body, detail] of cases) {
			const r = await submit(sb, model, body);
			expect([model, r.status, r.json]).toEqual([model, 400, { detail }]);
		}
		expect(sb.requestStats().created).toBe(0);
	});

	test('header and query checks: Idempotency-Key, Hf-Expires-After, hf_webhook', async () => {
		const sb = await sandbox();
		expect((await submit(sb, 'nano-banana', { prompt: 'x' }, { 'Idempotency-Key': 'x'.repeat(256) })).status).toBe(422);
		expect((await submit(sb, 'nano-banana', { prompt: 'x' }, { 'Hf-Expires-After': '60' })).status).toBe(422);
		expect((await submit(sb, 'nano-banana', { prompt: 'x' }, { 'Hf-Expires-After': '999999999' })).status).toBe(422);
		expect((await submit(sb, 'nano-banana', { prompt: 'x' }, {}, '?hf_webhook=' + encodeURIComponent('https://u:p@example.com/h'))).status).toBe(422);
		expect((await submit(sb, 'nano-banana', { prompt: 'x' }, {}, '?hf_webhook=not-a-url')).status).toBe(422);
		const ok = await submit(sb, 'nano-banana', { prompt: 'x' }, { 'Hf-Expires-After': '3600' });
		expect(ok.status).toBe(200);
		const done = await until(sb, ok.json.request_id, 'completed');
		const [rec] = [...sb.requests.records.values()];
		expect(Date.parse(done.expires_at) - (rec.completedAt as number)).toBeGreaterThanOrEqual(3600_000 - 1);
		expect(Date.parse(done.expires_at) - (rec.completedAt as number)).toBeLessThan(3600_000 + 1);
	});

	test('a blocked model answers 423 model_blocked; no credits 403 not_enough_credits', async () => {
		const sb = await sandbox({ blockedModels: ['veo3.1'], credits: 1 });
		expect(await submit(sb, 'veo3.1', { prompt: 'x' })).toMatchObject({ status: 423, json: { code: 'model_blocked' } });
		expect(await submit(sb, 'nano-banana', { prompt: 'x' })).toMatchObject({ status: 403, json: { code: 'not_enough_credits' } });
	});
});

describe('idempotency', () => {
	test('same key + model + body + webhook: the ORIGINAL request, nothing charged, counted as a replay', async () => {
		const sb = await sandbox({ credits: 100 });
		const h = { 'Idempotency-Key': 'row-17' };
		const q = '?hf_webhook=' + encodeURIComponent('http://127.0.0.1:9/h');
		const first = await submit(sb, 'nano-banana', { prompt: 'x', num_images: 2 }, h, q);
		const again = await submit(sb, 'nano-banana', { num_images: 2, prompt: 'x' }, h, q); // key order does not matter
		expect(again.status).toBe(200);
		expect(again.json.request_id).toBe(first.json.request_id);
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		expect(sb.credits).toBe(96);
		// another body, another webhook or another Hf-Expires-After with the same key: 422
		expect((await submit(sb, 'nano-banana', { prompt: 'y', num_images: 2 }, h, q)).status).toBe(422);
		expect((await submit(sb, 'nano-banana', { prompt: 'x', num_images: 2 }, h)).status).toBe(422);
		expect((await submit(sb, 'nano-banana', { prompt: 'x', num_images: 2 }, { ...h, 'Hf-Expires-After': '7200' }, q)).status).toBe(422);
		expect((await submit(sb, 'veo3.1', { prompt: 'x', num_images: 2 }, h, q)).status).toBe(422);
		// after completion a replay answers the current state
		await until(sb, first.json.request_id, 'completed');
		const late = await submit(sb, 'nano-banana', { prompt: 'x', num_images: 2 }, h, q);
		expect(late.json).toMatchObject({ request_id: first.json.request_id, status: 'completed' });
		const stats = sb.requestStats();
		expect(stats).toMatchObject({ created: 1, replays: 2, duplicates: [] });
		expect(stats.byKey).toEqual([{ model: 'nano-banana', idempotencyKey: 'row-17', created: 1, replays: 2, requestIds: [first.json.request_id] }]);
		expect(sb.log.filter((e) => e.replay)).toHaveLength(2);
		expect(sb.acceptedSubmissions()).toHaveLength(1);
	});

	test('a rejected request does not use up its key', async () => {
		const sb = await sandbox({ concurrency: 1, requestQueueSize: 0, jobSeconds: 0.3 });
		const h = { 'Idempotency-Key': 'k' };
		expect((await submit(sb, 'nano-banana', {}, h)).status).toBe(400); // invalid
		expect((await submit(sb, 'nano-banana', { prompt: 'busy' })).status).toBe(200);
		expect((await submit(sb, 'nano-banana', { prompt: 'x' }, h)).status).toBe(429); // queue full
		await sleep(350);
		const ok = await submit(sb, 'nano-banana', { prompt: 'x' }, h);
		expect(ok.status).toBe(200);
		expect(ok.headers.get('idempotent-replayed')).toBeNull();
	});

	test('dropAfterAccept: the request exists, the retry with the same key gets it back', async () => {
		const sb = await sandbox();
		sb.script([{ method: 'POST', path: '/nano-banana', fault: 'dropAfterAccept' }]);
		const h = { 'Idempotency-Key': 'item-1' };
		await expect(submit(sb, 'nano-banana', { prompt: 'x' }, h)).rejects.toThrow();
		expect(sb.requestStats().created).toBe(1);
		const retry = await submit(sb, 'nano-banana', { prompt: 'x' }, h);
		expect(retry.status).toBe(200);
		expect(sb.requestStats()).toMatchObject({ created: 1, replays: 1 });
		expect(sb.log.map((e) => e.status)).toEqual(['dropped', 200]);
	});
});

describe('account limit and queue', () => {
	test('over the limit: queued server-side; never more than `limit` running; queue full 429 account_queue_full + Retry-After', async () => {
		const sb = await sandbox({ concurrency: 2, requestQueueSize: 3, jobSeconds: 1.2 });
		const answers = [];
		for (let i = 0; i < 6; i++) answers.push(await submit(sb, 'nano-banana', { prompt: `p${i}` }));
		expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429]);
		expect(answers.slice(0, 5).map((a) => a.json.status)).toEqual(['in_progress', 'in_progress', 'queued', 'queued', 'queued']);
		expect(answers[5].json).toEqual({ detail: expect.any(String), code: 'account_queue_full' });
		expect(Number(answers[5].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		await waitFor(() => sb.requestStats().running + sb.requestStats().queued === 0, 8000, 50);
		expect(sb.requestStats()).toMatchObject({ limit: 2, queueSize: 3, created: 5, queueFull: 1, maxRunning: 2, maxInFlight: 5 });
	});

	test('requestLimitMode "reject": the older 400 concurrency answer, nothing queued', async () => {
		const sb = await sandbox({ concurrency: 1, requestLimitMode: 'reject', jobSeconds: 0.5 });
		expect((await submit(sb, 'nano-banana', { prompt: 'a' })).status).toBe(200);
		const r = await submit(sb, 'nano-banana', { prompt: 'b' });
		expect(r.status).toBe(400);
		expect(r.json.detail).toBe('Maximum number of concurrent requests (1) has been reached');
	});
});

describe('cancel, delete, expiry', () => {
	test('cancel: 202 while queued (then canceled, refunded), 400 once started, 404 unknown; repeat is 202', async () => {
		const sb = await sandbox({ concurrency: 1, jobSeconds: 0.6, credits: 100 });
		const running = await submit(sb, 'nano-banana', { prompt: 'a' });
		const queued = await submit(sb, 'nano-banana', { prompt: 'b' });
		const c = await call(sb.url, 'POST', `/requests/${queued.json.request_id}/cancel`, undefined, KEY_AUTH);
		expect([c.status, c.text]).toEqual([202, '']);
		expect((await call(sb.url, 'POST', `/requests/${queued.json.request_id}/cancel`, undefined, KEY_AUTH)).status).toBe(202);
		expect((await status(sb, queued.json.request_id)).json.status).toBe('canceled');
		expect(sb.credits).toBe(98);
		const late = await call(sb.url, 'POST', `/requests/${running.json.request_id}/cancel`, undefined, KEY_AUTH);
		expect(late.status).toBe(400);
		expect(late.json.detail).toMatch(/can no longer be canceled/);
		expect((await call(sb.url, 'POST', '/requests/00000000-0000-4000-8000-000000000000/cancel', undefined, KEY_AUTH)).status).toBe(404);
	});

	test('delete: 200 small JSON, outputs 404 afterwards, repeat answers the same; unfinished 400', async () => {
		const sb = await sandbox({ jobSeconds: 0.3 });
		const r = await submit(sb, 'sora-2/text-to-video', { prompt: 'x' });
		const id = r.json.request_id;
		expect((await call(sb.url, 'DELETE', `/requests/${id}`, undefined, KEY_AUTH)).status).toBe(400);
		const done = await until(sb, id, 'completed');
		expect((await download(done.video.url)).status).toBe(200);
		const d1 = await call(sb.url, 'DELETE', `/requests/${id}`, undefined, KEY_AUTH);
		const d2 = await call(sb.url, 'DELETE', `/requests/${id}`, undefined, KEY_AUTH);
		expect([d1.status, d1.json]).toEqual([200, { request_id: id, deleted: true }]);
		expect([d2.status, d2.json]).toEqual([200, d1.json]);
		expect((await download(done.video.url)).status).toBe(404);
		expect((await status(sb, id)).json).toMatchObject({ status: 'completed', request_id: id });
		expect((await status(sb, id)).json.video).toBeUndefined();
		expect((await call(sb.url, 'DELETE', '/requests/00000000-0000-4000-8000-000000000000', undefined, KEY_AUTH)).status).toBe(404);
	});

	test('after expiry the files 404 but the status still answers', async () => {
		const sb = await sandbox();
		const r = await submit(sb, 'nano-banana', { prompt: 'x' });
		const done = await until(sb, r.json.request_id, 'completed');
		await call(sb.url, 'POST', `/__sandbox/requests/${r.json.request_id}/expire`, undefined, {});
		expect((await download(done.images[0].url)).status).toBe(404);
		expect((await status(sb, r.json.request_id)).json.images[0].url).toBe(done.images[0].url);
	});
});

describe('webhooks and faults', () => {
	test('hf_webhook gets the status body when the request ends (failed and nsfw too); 5xx receivers are retried', async () => {
		const rx = await startReceiver();
		const bad = await startReceiver(503);
		try {
			const sb = await sandbox({ webhookRetries: 2, webhookRetryDelayMs: 50 });
			const q = '?hf_webhook=' + encodeURIComponent(rx.url);
			const ok = await submit(sb, 'nano-banana', { prompt: 'x' }, {}, q);
			const nsfw = await submit(sb, 'nano-banana', { prompt: 'x [sandbox:nsfw]' }, {}, q);
			await submit(sb, 'nano-banana', { prompt: 'y' }, {}, '?hf_webhook=' + encodeURIComponent(bad.url));
			await waitFor(() => rx.received.length === 2 && bad.received.length === 3, 5000);
			const byId = Object.fromEntries(rx.received.map((r) => [r.body.request_id, r.body]));
			expect(byId[ok.json.request_id]).toMatchObject({ status: 'completed', images: [{ url: expect.any(String) }] });
			expect(byId[nsfw.json.request_id]).toMatchObject({ status: 'nsfw' });
			expect(new Set(bad.received.map((r) => r.headers['webhook-id'] ?? 'unsigned')).size).toBe(1);
		} finally {
			await rx.close();
			await bad.close();
		}
	});

	test('rate faults on submissions and status reads; the 429 fault says account_queue_full', async () => {
		const sb = await sandbox();
		sb.script([
			{ method: 'POST', path: '/veo3.1', fault: '429', retryAfter: 2 },
			{ method: 'POST', path: '/veo3.1', fault: '503' },
			{ method: 'GET', path: '/requests/', fault: '500' },
		]);
		const q = await submit(sb, 'veo3.1', { prompt: 'x' });
		expect([q.status, q.json, q.headers.get('retry-after')]).toEqual([429, { detail: expect.any(String), code: 'account_queue_full' }, '2']);
		expect((await submit(sb, 'veo3.1', { prompt: 'x' })).status).toBe(503);
		expect(sb.requestStats().created).toBe(0);
		const ok = await submit(sb, 'veo3.1', { prompt: 'x' });
		expect((await status(sb, ok.json.request_id)).status).toBe(500);
		expect((await status(sb, ok.json.request_id)).status).toBe(200);
	});

	test('slowAfterAccept: created first, answered late', async () => {
		const sb = await sandbox();
		sb.script([{ method: 'POST', path: '/nano-banana', fault: 'slowAfterAccept', slowMs: 300 }]);
		const t0 = Date.now();
		let answered = false;
		const pending = submit(sb, 'nano-banana', { prompt: 'x' }, { 'Idempotency-Key': 's' }).finally(() => (answered = true));
		await waitFor(() => sb.requestStats().created === 1, 1000, 10);
		expect(answered).toBe(false);
		expect((await pending).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
	});

	test('control: GET /__sandbox/request-stats and /__sandbox/requests', async () => {
		const sb = await sandbox();
		await submit(sb, 'nano-banana', { prompt: 'x' }, { 'Idempotency-Key': 'a' });
		await submit(sb, 'nano-banana', { prompt: 'x' }, { 'Idempotency-Key': 'a' });
		const stats = await call(sb.url, 'GET', '/__sandbox/request-stats', undefined, {});
		expect(stats.json).toMatchObject({ created: 1, replays: 1, limit: 4, queueSize: 8 });
		const list = await call(sb.url, 'GET', '/__sandbox/requests', undefined, {});
		expect(list.json).toHaveLength(1);
		expect(list.json[0]).toMatchObject({ model: 'nano-banana', idempotencyKey: 'a' });
		await call(sb.url, 'DELETE', '/__sandbox/log', undefined, {});
		expect(sb.requestStats()).toMatchObject({ created: 0, replays: 0 });
	});
});
