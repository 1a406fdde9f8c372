// The sandbox's limits and failure modes: concurrency cap, credits, webhooks, fault injection, large results.
import { startSandbox } from './sandbox';
import { largeMp4Header } from './sandbox/media';
import type { Job } from './sandbox/test-helpers';
import { call, download, sleep, waitFor, soulParams, dopParams, image, startReceiver, deadPort, streamCount } from './sandbox/test-helpers';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
const SOUL = '/v1/text2image/soul';
const DOP = '/v1/image2video/dop';
const opened: Sandbox[] = [];
async function sandbox(opts: Parameters<typeof startSandbox>[0] = {}) {
	const sb = await startSandbox({ jobSeconds: 0.2, characterSeconds: 0.2, ...opts });
	opened.push(sb);
	return sb;
}
afterAll(async () => {
	await Promise.all(opened.map((s) => s.close()));
});

describe('concurrency cap', () => {
	test('a POST while `concurrency` job sets are in flight is 400 and creates nothing', async () => {
		const sb = await sandbox({ concurrency: 2, jobSeconds: 0.3 });
		expect((await call(sb.url, 'POST', SOUL, { params: soulParams() })).status).toBe(200);
		expect((await call(sb.url, 'POST', DOP, { params: dopParams() })).status).toBe(200);
		const third = await call(sb.url, 'POST', SOUL, { params: soulParams() });
		expect(third.status).toBe(400);
		expect(third.json).toEqual({ detail: 'Maximum number of concurrent requests (2) has been reached' });
		expect(sb.jobSets.size).toBe(2);
		expect(sb.acceptedSubmissions()).toHaveLength(2);
		// characters and catalogues do not count
		expect((await call(sb.url, 'POST', '/v1/custom-references', { name: 'a', input_images: [image()] })).status).toBe(200);
		await sleep(350);
		expect((await call(sb.url, 'POST', SOUL, { params: soulParams() })).status).toBe(200);
	});

	test('the optional Soul 1080p cap', async () => {
		const sb = await sandbox({ soul1080pConcurrency: 1, jobSeconds: 0.5 });
		expect((await call(sb.url, 'POST', SOUL, { params: soulParams({ quality: '1080p' }) })).status).toBe(200);
		const second = await call(sb.url, 'POST', SOUL, { params: soulParams({ quality: '1080p' }) });
		expect(second.status).toBe(400);
		expect(second.json.detail).toBe('Maximum number of concurrent requests (1) has been reached');
		expect((await call(sb.url, 'POST', SOUL, { params: soulParams({ quality: '720p' }) })).status).toBe(200);
	});
});

describe('credits', () => {
	test('credits 0: generations and characters are 403 Not enough credits; catalogues stay free', async () => {
		const sb = await sandbox({ credits: 0 });
		const r = await call(sb.url, 'POST', SOUL, { params: soulParams() });
		expect(r.status).toBe(403);
		expect(r.json).toEqual({ detail: 'Not enough credits' });
		expect((await call(sb.url, 'POST', '/v1/custom-references', { name: 'a', input_images: [image()] })).status).toBe(403);
		expect((await call(sb.url, 'GET', '/v1/motions')).status).toBe(200);
		expect(sb.jobSets.size).toBe(0);
	});

	test('prices are charged, a price above the balance is refused, failed jobs are refunded', async () => {
		const sb = await sandbox({ credits: 5 });
		expect((await call(sb.url, 'POST', SOUL, { params: soulParams({ batch_size: 4 }) })).status).toBe(403); // 4 x 1.5
		expect((await call(sb.url, 'POST', SOUL, { params: soulParams() })).status).toBe(200);
		expect(sb.credits).toBe(3.5);
		expect((await call(sb.url, 'POST', SOUL, { params: soulParams({ prompt: 'x [sandbox:failed]' }) })).status).toBe(200);
		expect(sb.credits).toBe(2);
		await sleep(300);
		expect(sb.credits).toBe(3.5);
		sb.configure({ credits: Infinity });
		expect((await call(sb.url, 'POST', SOUL, { params: soulParams({ batch_size: 4 }) })).status).toBe(200);
	});
});

describe('webhooks', () => {
	test('delivered once the job set is done, with the secret header, plus duplicates', async () => {
		const rx = await startReceiver();
		try {
			const sb = await sandbox({ webhookDuplicates: 1 });
			const c = await call(sb.url, 'POST', SOUL, { params: soulParams({ batch_size: 4, prompt: 'x [sandbox:stagger=0.05]' }), webhook: { url: rx.url, secret: 's3cret' } });
			expect(c.status).toBe(200);
			expect(c.json.input_params).not.toHaveProperty('webhook');
			await waitFor(() => rx.received.length >= 2);
			await sleep(50);
			expect(rx.received).toHaveLength(2);
			const rec = sb.jobSets.get(c.json.id)!;
			for (const d of rx.received) {
				expect(d.headers['x-webhook-secret-key']).toBe('s3cret');
				expect(d.headers['content-type']).toBe('application/json');
				expect(d.body.id).toBe(c.json.id);
				expect(d.body.jobs.map((j: Job) => j.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
				expect(d.body.jobs[3].results.raw.url).toContain('/files/results/');
				expect(d.time).toBeGreaterThanOrEqual(rec.doneAt!);
			}
			expect(rx.received[0].body).toEqual(rx.received[1].body);
			expect(sb.webhookDeliveries.map((d) => [d.status, d.jobSetId, d.url])).toEqual([
				[200, c.json.id, rx.url],
				[200, c.json.id, rx.url],
			]);
		} finally {
			await rx.close();
		}
	});

	test('failed job sets are delivered too; an unreachable receiver is recorded, not fatal', async () => {
		const rx = await startReceiver(500);
		try {
			const sb = await sandbox();
			const dead = `http://127.0.0.1:${await deadPort()}/hook`;
			await call(sb.url, 'POST', SOUL, { params: soulParams({ prompt: 'x [sandbox:nsfw]' }), webhook: { url: rx.url, secret: 'a' } });
			await call(sb.url, 'POST', SOUL, { params: soulParams(), webhook: { url: dead, secret: 'b' } });
			await waitFor(() => sb.webhookDeliveries.length === 2 && sb.webhookDeliveries.every((d) => d.status !== 'pending'));
			expect(rx.received[0].body.jobs[0].status).toBe('nsfw');
			const byUrl = Object.fromEntries(sb.webhookDeliveries.map((d) => [d.url, d]));
			expect(byUrl[rx.url].status).toBe(500);
			expect(byUrl[dead].status).toBe('error');
			expect(byUrl[dead].error).toMatch(/ECONNREFUSED/);
			expect((await call(sb.url, 'GET', '/v1/motions')).status).toBe(200);
		} finally {
			await rx.close();
		}
	});

	test('/__sandbox/deliver sends any job set with any secret; /__sandbox/webhooks lists deliveries', async () => {
		const rx = await startReceiver();
		try {
			const sb = await sandbox();
			const c = await call(sb.url, 'POST', DOP, { params: dopParams() });
			await sleep(250);
			const d = await call(sb.url, 'POST', `/__sandbox/deliver/${c.json.id}`, { url: rx.url, secret: 'wrong-secret' }, {});
			expect(d.status).toBe(200);
			expect(d.json).toMatchObject({ status: 200, jobSetId: c.json.id });
			expect(rx.received[0].headers['x-webhook-secret-key']).toBe('wrong-secret');
			expect(rx.received[0].body.jobs[0].status).toBe('completed');
			const list = await call(sb.url, 'GET', '/__sandbox/webhooks', undefined, {});
			expect(list.json).toHaveLength(1);
			expect((await call(sb.url, 'POST', '/__sandbox/deliver/00000000-0000-4000-8000-000000000000', { url: rx.url, secret: 'x' }, {})).status).toBe(404);
		} finally {
			await rx.close();
		}
	});
});

describe('fault injection', () => {
	const fails = (p: Promise<unknown>) => expect(p).rejects.toThrow();

	test.each([
		['500', 500],
		['503', 503],
		['429', 429],
		['502', 502],
	])('scripted GET fault %s answers that status with a JSON detail', async (kind, status) => {
		const sb = await sandbox({ faults: { get: { retryAfter: 2 }, post: null } });
		sb.script([{ method: 'GET', path: '/v1/motions', fault: kind }]);
		const r = await call(sb.url, 'GET', '/v1/motions');
		expect(r.status).toBe(status);
		expect(typeof r.json.detail).toBe('string');
		expect(r.headers.get('x-correlation-id')).toBeTruthy();
		if (status === 429) expect(r.headers.get('retry-after')).toBe('2');
		expect(sb.log[0]).toMatchObject({ status, fault: kind });
		expect((await call(sb.url, 'GET', '/v1/motions')).status).toBe(200);
	});

	test('GET drop destroys the socket; slow answers after slowMs', async () => {
		const sb = await sandbox();
		const c = await call(sb.url, 'POST', SOUL, { params: soulParams() });
		sb.script([
			{ method: 'GET', path: '/v1/job-sets/', fault: 'drop' },
			{ method: 'GET', path: '/v1/job-sets/', fault: 'slow', slowMs: 150 },
		]);
		await fails(fetch(`${sb.url}/v1/job-sets/${c.json.id}`, { headers: { 'hf-api-key': 'hf-sandbox-key', 'hf-secret': 'hf-sandbox-secret' } }));
		const t0 = Date.now();
		const slow = await call(sb.url, 'GET', `/v1/job-sets/${c.json.id}`);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(145);
		expect(slow.status).toBe(200);
		expect(sb.log.slice(1).map((e) => [e.status, e.fault])).toEqual([
			['dropped', 'drop'],
			[200, 'slow'],
		]);
	});

	test('POST concurrency / 429 / 500 create nothing; times repeats a rule', async () => {
		const sb = await sandbox({ faults: { get: null, post: { retryAfter: 3 } } });
		sb.script([
			{ method: 'POST', path: SOUL, fault: 'concurrency', times: 2 },
			{ method: 'POST', path: SOUL, fault: '429' },
			{ method: 'POST', path: SOUL, fault: '500' },
		]);
		const a = await call(sb.url, 'POST', SOUL, { params: soulParams() });
		const b = await call(sb.url, 'POST', SOUL, { params: soulParams() });
		expect([a.status, b.status]).toEqual([400, 400]);
		expect(a.json.detail).toBe('Maximum number of concurrent requests (4) has been reached');
		const c = await call(sb.url, 'POST', SOUL, { params: soulParams() });
		expect(c.status).toBe(429);
		expect(c.headers.get('retry-after')).toBe('3');
		expect((await call(sb.url, 'POST', SOUL, { params: soulParams() })).status).toBe(500);
		expect(sb.jobSets.size).toBe(0);
		expect(sb.acceptedSubmissions()).toHaveLength(0);
		expect(sb.log.map((e) => e.fault)).toEqual(['concurrency', 'concurrency', '429', '500']);
		expect(sb.log[0].body).toEqual({ params: soulParams() });
		expect((await call(sb.url, 'POST', SOUL, { params: soulParams() })).status).toBe(200);
		expect(sb.jobSets.size).toBe(1);
	});

	test('POST refuse drops before reading the body (nothing created); dropAfterAccept creates then drops', async () => {
		const sb = await sandbox();
		sb.script([{ method: 'POST', path: SOUL, fault: 'refuse' }]);
		await fails(call(sb.url, 'POST', SOUL, { params: soulParams() }));
		expect(sb.jobSets.size).toBe(0);
		expect(sb.log[0]).toMatchObject({ status: 'dropped', fault: 'refuse', body: null, accepted: false });
		sb.script([{ method: 'POST', path: '/v1/', fault: 'dropAfterAccept' }]);
		await fails(call(sb.url, 'POST', DOP, { params: dopParams() }));
		expect(sb.jobSets.size).toBe(1);
		const accepted = sb.acceptedSubmissions();
		expect(accepted).toHaveLength(1);
		expect(accepted[0]).toMatchObject({ status: 'dropped', fault: 'dropAfterAccept', path: DOP });
		const got = await call(sb.url, 'GET', `/v1/job-sets/${accepted[0].jobSetId}`);
		expect(got.status).toBe(200);
		expect(got.json.type).toBe('image2video');
	});

	test('a faulted request is still checked for auth first; unknown kinds answer 500', async () => {
		const sb = await sandbox();
		sb.script([{ method: 'GET', fault: 'teapot' }]);
		expect((await call(sb.url, 'GET', '/v1/motions', undefined, {})).status).toBe(401);
		const r = await call(sb.url, 'GET', '/v1/motions');
		expect(r.status).toBe(500);
		expect(r.json.detail).toContain('teapot');
	});

	test('rates are reproducible with a seed, apply to API GETs, and to /files only with includeFiles', async () => {
		const run = async (seed: number) => {
			const sb = await sandbox({ seed, faults: { get: { rate: 0.5, kinds: ['500', '503'] }, post: null } });
			const out: number[] = [];
			for (let i = 0; i < 30; i++) out.push((await call(sb.url, 'GET', '/v1/text2image/soul-styles')).status);
			return out;
		};
		const a = await run(7);
		const b = await run(7);
		expect(a).toEqual(b);
		expect(new Set(a)).toEqual(new Set([200, 500, 503]));
		expect(await run(8)).not.toEqual(a);

		const sb = await sandbox({ faults: { get: { rate: 1, kinds: ['500'] }, post: null } });
		const styles = (await call(sb.url, 'GET', '/v1/text2image/soul-styles')).status;
		expect(styles).toBe(500);
		const c = await call(sb.url, 'POST', SOUL, { params: soulParams() });
		expect(c.status).toBe(200); // GET rates do not touch POSTs
		await sleep(250);
		const rec = sb.jobSets.get(c.json.id)!;
		const fileUrl = `${sb.url}/files/results/${rec.jobs[0].id}/raw.png`;
		expect((await download(fileUrl)).status).toBe(200);
		sb.configure({ faults: { get: { rate: 1, kinds: ['500'], includeFiles: true } } });
		expect((await download(fileUrl)).status).toBe(500);
	});

	test('faults.post rates hit generation POSTs only', async () => {
		const sb = await sandbox({ faults: { get: null, post: { rate: 1, kinds: ['500'] } } });
		expect((await call(sb.url, 'POST', SOUL, { params: soulParams() })).status).toBe(500);
		expect((await call(sb.url, 'POST', '/v1/custom-references', { name: 'n', input_images: [image()] })).status).toBe(200);
		expect((await call(sb.url, 'GET', '/v1/motions')).status).toBe(200);
		sb.configure({ faults: { post: null } });
		expect((await call(sb.url, 'POST', SOUL, { params: soulParams() })).status).toBe(200);
	});
});

describe('large streamed results', () => {
	test('video raw streams largeResultBytes bytes (valid MP4 start) without buffering them', async () => {
		const size = 128 * 1024 * 1024;
		const sb = await sandbox({ largeResultBytes: size });
		const c = await call(sb.url, 'POST', DOP, { params: dopParams() });
		await sleep(250);
		const done = await call(sb.url, 'GET', `/v1/job-sets/${c.json.id}`);
		const url: string = done.json.jobs[0].results.raw.url;
		const { total, head, length, type, rssGrowth } = await streamCount(url);
		expect(total).toBe(size);
		expect(length).toBe(String(size));
		expect(type).toBe('video/mp4');
		expect(head.subarray(4, 8).toString('latin1')).toBe('ftyp');
		expect(head.readUInt32BE(24) + 24).toBe(size); // one box spans the rest
		expect(rssGrowth).toBeLessThan(64 * 1024 * 1024);
		// min stays the small real asset
		const min = await download(done.json.jobs[0].results.min.url);
		expect(min.bytes.length).toBeLessThan(100_000);
	}, 20000);

	test('sizes beyond 4 GiB use a 64-bit box', () => {
		const h = largeMp4Header(5 * 1024 ** 3);
		expect(h.readUInt32BE(24)).toBe(1);
		expect(h.subarray(28, 32).toString('latin1')).toBe('free');
		expect(Number(h.readBigUInt64BE(32)) + 24).toBe(5 * 1024 ** 3);
	});
});
