// The Higgsfield sandbox answers as the v1 API contract says (see test/sandbox/README.md).
import { startSandbox, MOTIONS, STYLES, SOUL_SIZES, makePng, makeWav } from './sandbox';
import type { Character, Job, PydError } from './sandbox/test-helpers';
import {
	AUTH,
	KEY_AUTH,
	call,
	download,
	sleep,
	waitFor,
	soulParams,
	dopParams,
	speakParams,
	image,
	inspectPng as parsePng,
	startCli,
	runCli,
} from './sandbox/test-helpers';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sb: Sandbox;
const api = (method: string, p: string, body?: unknown, headers?: Record<string, string>) => call(sb.url, method, p, body, headers);

beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2, characterSeconds: 0.3, concurrency: 1000 });
});
afterAll(async () => {
	await sb.close();
});

const SOUL = '/v1/text2image/soul';
const DOP = '/v1/image2video/dop';
const SPEAK = '/v1/speak/higgsfield';
const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
const startEndMotion = MOTIONS.find((m) => m.start_end_frame)!;
const plainMotion = MOTIONS.find((m) => !m.start_end_frame)!;

describe('validation (422 FastAPI shape, 400 for unknown references)', () => {
	type Case = [name: string, path: string, body: unknown, status: number, locOrDetail: (string | number)[] | string, type?: string];
	const cases: Case[] = [
		['flat body (params missing)', SOUL, soulParams(), 422, ['body', 'params'], 'missing'],
		['body not an object', SOUL, [1, 2], 422, ['body'], 'model_attributes_type'],
		['params not an object', SOUL, { params: 'x' }, 422, ['body', 'params'], 'model_attributes_type'],
		['soul: prompt missing', SOUL, { params: { width_and_height: '1536x1536', quality: '720p' } }, 422, ['body', 'params', 'prompt'], 'missing'],
		['soul: prompt not a string', SOUL, { params: soulParams({ prompt: 5 }) }, 422, ['body', 'params', 'prompt'], 'string_type'],
		['soul: width_and_height missing', SOUL, { params: { prompt: 'x', quality: '720p' } }, 422, ['body', 'params', 'width_and_height'], 'missing'],
		['soul: size not one of the 16', SOUL, { params: soulParams({ width_and_height: '1024x1024' }) }, 422, ['body', 'params', 'width_and_height'], 'literal_error'],
		['soul: quality missing', SOUL, { params: { prompt: 'x', width_and_height: '1536x1536' } }, 422, ['body', 'params', 'quality'], 'missing'],
		['soul: quality 4k', SOUL, { params: soulParams({ quality: '4k' }) }, 422, ['body', 'params', 'quality'], 'literal_error'],
		['soul: batch_size 2', SOUL, { params: soulParams({ batch_size: 2 }) }, 422, ['body', 'params', 'batch_size'], 'literal_error'],
		['soul: batch_size "4" (strict)', SOUL, { params: soulParams({ batch_size: '4' }) }, 422, ['body', 'params', 'batch_size'], 'literal_error'],
		['soul: seed -1', SOUL, { params: soulParams({ seed: -1 }) }, 422, ['body', 'params', 'seed'], 'greater_than_equal'],
		['soul: seed 1000001', SOUL, { params: soulParams({ seed: 1000001 }) }, 422, ['body', 'params', 'seed'], 'less_than_equal'],
		['soul: seed 1.5', SOUL, { params: soulParams({ seed: 1.5 }) }, 422, ['body', 'params', 'seed'], 'int_from_float'],
		['soul: seed null', SOUL, { params: soulParams({ seed: null }) }, 422, ['body', 'params', 'seed'], 'int_type'],
		['soul: enhance_prompt "yes"', SOUL, { params: soulParams({ enhance_prompt: 'yes' }) }, 422, ['body', 'params', 'enhance_prompt'], 'bool_type'],
		['soul: style_id null', SOUL, { params: soulParams({ style_id: null }) }, 422, ['body', 'params', 'style_id'], 'uuid_type'],
		['soul: style_id ""', SOUL, { params: soulParams({ style_id: '' }) }, 422, ['body', 'params', 'style_id'], 'uuid_parsing'],
		['soul: custom_reference_id null', SOUL, { params: soulParams({ custom_reference_id: null }) }, 422, ['body', 'params', 'custom_reference_id'], 'uuid_type'],
		['soul: custom_reference_id ""', SOUL, { params: soulParams({ custom_reference_id: '' }) }, 422, ['body', 'params', 'custom_reference_id'], 'uuid_parsing'],
		['soul: style_strength 1.5', SOUL, { params: soulParams({ style_strength: 1.5 }) }, 422, ['body', 'params', 'style_strength'], 'less_than_equal'],
		['soul: custom_reference_strength -0.1', SOUL, { params: soulParams({ custom_reference_strength: -0.1 }) }, 422, ['body', 'params', 'custom_reference_strength'], 'greater_than_equal'],
		['soul: image_reference without type', SOUL, { params: soulParams({ image_reference: { image_url: 'https://x/y.png' } }) }, 422, ['body', 'params', 'image_reference', 'type'], 'missing'],
		['soul: image_reference wrong type', SOUL, { params: soulParams({ image_reference: { type: 'image', image_url: 'https://x/y.png' } }) }, 422, ['body', 'params', 'image_reference', 'type'], 'literal_error'],
		['soul: image_reference a bare string', SOUL, { params: soulParams({ image_reference: 'https://x/y.png' }) }, 422, ['body', 'params', 'image_reference'], 'model_attributes_type'],
		['soul: webhook inside params', SOUL, { params: soulParams({ webhook: { url: 'http://127.0.0.1:1/h', secret: 's' } }) }, 422, ['body', 'params', 'webhook'], 'extra_forbidden'],
		['webhook without secret', SOUL, { params: soulParams(), webhook: { url: 'http://127.0.0.1:1/h' } }, 422, ['body', 'webhook', 'secret'], 'missing'],
		['webhook url not a URL', SOUL, { params: soulParams(), webhook: { url: 'nope', secret: 's' } }, 422, ['body', 'webhook', 'url'], 'url_parsing'],
		['soul: unknown style_id', SOUL, { params: soulParams({ style_id: UNKNOWN_UUID }) }, 400, 'style not found'],
		['soul: unknown custom_reference_id', SOUL, { params: soulParams({ custom_reference_id: UNKNOWN_UUID }) }, 400, `Custom reference not found: ${UNKNOWN_UUID}`],
		['dop: model dop-standard', DOP, { params: dopParams({ model: 'dop-standard' }) }, 422, ['body', 'params', 'model'], 'literal_error'],
		['dop: model missing', DOP, { params: { prompt: 'x', input_images: [image()] } }, 422, ['body', 'params', 'model'], 'missing'],
		['dop: prompt empty', DOP, { params: dopParams({ prompt: '' }) }, 422, ['body', 'params', 'prompt'], 'string_too_short'],
		['dop: input_images missing', DOP, { params: { model: 'dop-lite', prompt: 'x' } }, 422, ['body', 'params', 'input_images'], 'missing'],
		['dop: input_images empty', DOP, { params: dopParams({ input_images: [] }) }, 422, ['body', 'params', 'input_images'], 'too_short'],
		['dop: input_images two frames', DOP, { params: dopParams({ input_images: [image(), image()] }) }, 422, ['body', 'params', 'input_images'], 'too_long'],
		['dop: image object is a string', DOP, { params: dopParams({ input_images: ['https://x/y.png'] }) }, 422, ['body', 'params', 'input_images', 0], 'model_attributes_type'],
		['dop: image_url not http(s)', DOP, { params: dopParams({ input_images: [image('ftp://x/y.png')] }) }, 422, ['body', 'params', 'input_images', 0, 'image_url'], 'url_scheme'],
		['dop: three motions', DOP, { params: dopParams({ motions: MOTIONS.slice(0, 3).map((m) => ({ id: m.id, strength: 0.5 })) }) }, 422, ['body', 'params', 'motions'], 'too_long'],
		['dop: motion strength 2', DOP, { params: dopParams({ motions: [{ id: plainMotion.id, strength: 2 }] }) }, 422, ['body', 'params', 'motions', 0, 'strength'], 'less_than_equal'],
		['dop: motion id not a uuid', DOP, { params: dopParams({ motions: [{ id: 'zoom' }] }) }, 422, ['body', 'params', 'motions', 0, 'id'], 'uuid_parsing'],
		['dop: seed 1000001', DOP, { params: dopParams({ seed: 1000001 }) }, 422, ['body', 'params', 'seed'], 'less_than_equal'],
		['dop: check_nsfw "true"', DOP, { params: dopParams({ check_nsfw: 'true' }) }, 422, ['body', 'params', 'check_nsfw'], 'bool_type'],
		['dop: unknown motion id (400)', DOP, { params: dopParams({ motions: [{ id: UNKNOWN_UUID, strength: 1 }] }) }, 400, `Motion not found: ${UNKNOWN_UUID}`],
		['dop: end frame with a plain motion (400)', DOP, { params: dopParams({ input_images_end: [image()], motions: [{ id: plainMotion.id }] }) }, 400, 'input_images_end is only supported with a motion whose start_end_frame is true'],
		['speak: input_audio missing', SPEAK, { params: speakParams({ input_audio: undefined }) }, 422, ['body', 'params', 'input_audio'], 'missing'],
		['speak: mp3 audio', SPEAK, { params: speakParams({ input_audio: { type: 'audio_url', audio_url: 'https://x/voice.mp3' } }) }, 422, ['body', 'params', 'input_audio', 'audio_url'], 'value_error'],
		['speak: audio object of image type', SPEAK, { params: speakParams({ input_audio: { type: 'image_url', audio_url: 'https://x/v.wav' } }) }, 422, ['body', 'params', 'input_audio', 'type'], 'literal_error'],
		['speak: input_image missing', SPEAK, { params: speakParams({ input_image: undefined }) }, 422, ['body', 'params', 'input_image'], 'missing'],
		['speak: quality low', SPEAK, { params: speakParams({ quality: 'low' }) }, 422, ['body', 'params', 'quality'], 'literal_error'],
		['speak: duration 7', SPEAK, { params: speakParams({ duration: 7 }) }, 422, ['body', 'params', 'duration'], 'literal_error'],
		['speak: duration missing', SPEAK, { params: speakParams({ duration: undefined }) }, 422, ['body', 'params', 'duration'], 'missing'],
		['speak: seed 0 (min is 1)', SPEAK, { params: speakParams({ seed: 0 }) }, 422, ['body', 'params', 'seed'], 'greater_than_equal'],
		['speak: prompt missing', SPEAK, { params: speakParams({ prompt: undefined }) }, 422, ['body', 'params', 'prompt'], 'missing'],
	];

	// (rest parameters: jest would take a 6th declared parameter missing from a row for `done`)
	test.each(cases)('%s', async (...row: Case) => {
		const [, p, body, status, expected, type] = row;
		const r = await api('POST', p, body);
		expect(r.status).toBe(status);
		if (typeof expected === 'string') {
			expect(r.json).toEqual({ detail: expected });
		} else {
			expect(Array.isArray(r.json.detail)).toBe(true);
			const hit = r.json.detail.find((e: PydError) => JSON.stringify(e.loc) === JSON.stringify(expected));
			expect(hit).toBeDefined();
			expect(hit.type).toBe(type);
			expect(typeof hit.msg).toBe('string');
			expect(hit).toHaveProperty('input');
		}
	});

	test('the contract example message for batch_size', async () => {
		const r = await api('POST', SOUL, { params: soulParams({ batch_size: 3 }) });
		expect(r.json.detail[0]).toMatchObject({ loc: ['body', 'params', 'batch_size'], msg: 'Input should be 1 or 4' });
		const flat = await api('POST', SOUL, soulParams());
		expect(flat.json.detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'params'], msg: 'Field required' });
	});

	test('invalid JSON is a 422 json_invalid; a rejected request creates nothing', async () => {
		const before = sb.jobSets.size;
		const r = await api('POST', SOUL, '{"params": ');
		expect(r.status).toBe(422);
		expect(r.json.detail[0].type).toBe('json_invalid');
		expect(sb.jobSets.size).toBe(before);
	});

	test.each([
		['soul, every optional field', SOUL, { params: soulParams({ batch_size: 4, seed: 0, enhance_prompt: true, style_id: STYLES[0].id, style_strength: 0, custom_reference_strength: 1, image_reference: image() }) }],
		['soul, all 16 sizes are accepted (one sample) and unknown params are ignored', SOUL, { params: soulParams({ width_and_height: SOUL_SIZES[15], future_field: 42 }) }],
		['dop, seed 0 and two motions, one start/end with an end frame', DOP, { params: dopParams({ seed: 0, motions: [{ id: plainMotion.id, strength: 0.3 }, { id: startEndMotion.id }], input_images_end: [image()], enhance_prompt: false, check_nsfw: true }) }],
		['speak, high 15 s, seed 1000000', SPEAK, { params: speakParams({ quality: 'high', duration: 15, seed: 1000000, enhance_prompt: true }) }],
		['speak, audio URL without extension', SPEAK, { params: speakParams({ input_audio: { type: 'audio_url', audio_url: 'https://example.com/audio?id=1' } }) }],
	])('accepts %s', async (_name, p, body) => {
		const r = await api('POST', p, body);
		expect(r.status).toBe(200);
		expect(r.json.input_params).toEqual((body as { params: unknown }).params);
	});
});

describe('auth, errors, headers', () => {
	test('both header schemes work, anything else is 401 with a detail', async () => {
		expect((await api('GET', '/v1/motions', undefined, AUTH)).status).toBe(200);
		expect((await api('GET', '/v1/motions', undefined, KEY_AUTH)).status).toBe(200);
		const headerSets: Record<string, string>[] = [
			{},
			{ 'hf-api-key': 'hf-sandbox-key' },
			{ 'hf-api-key': 'hf-sandbox-key', 'hf-secret': 'wrong' },
			{ Authorization: 'Key hf-sandbox-key:wrong' },
			{ Authorization: 'Bearer hf-sandbox-key:hf-sandbox-secret' },
		];
		for (const h of headerSets) {
			const r = await api('GET', '/v1/motions', undefined, h);
			expect(r.status).toBe(401);
			expect(typeof r.json.detail).toBe('string');
		}
		const post = await api('POST', SOUL, { params: soulParams() }, {});
		expect(post.status).toBe(401);
	});

	test('every API answer carries an X-Correlation-ID; unknown ids are 404, non-UUIDs 422', async () => {
		const r404 = await api('GET', `/v1/job-sets/${UNKNOWN_UUID}`);
		expect(r404.status).toBe(404);
		expect(r404.json).toEqual({ detail: 'Job set not found' });
		expect(r404.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
		const r422 = await api('GET', '/v1/job-sets/not-a-uuid');
		expect(r422.status).toBe(422);
		expect(r422.json.detail[0]).toMatchObject({ loc: ['path', 'job_set_id'], type: 'uuid_parsing' });
		const nf = await api('GET', '/v1/nothing-here');
		expect(nf.status).toBe(404);
		expect(nf.json).toEqual({ detail: 'Not Found' });
		expect((await api('PATCH', '/v1/motions')).status).toBe(405);
	});
});

describe('catalogues', () => {
	test('motions and styles with fixed ids and downloadable previews', async () => {
		const m = await api('GET', '/v1/motions');
		expect(m.json.map((x: { id: string }) => x.id)).toEqual(MOTIONS.map((x) => x.id));
		expect(m.json.length).toBeGreaterThanOrEqual(10);
		expect(new Set(m.json.map((x: { start_end_frame: boolean }) => x.start_end_frame))).toEqual(new Set([true, false]));
		expect(Object.keys(m.json[0]).sort()).toEqual(['description', 'id', 'name', 'preview_url', 'start_end_frame']);
		const s = await api('GET', '/v1/text2image/soul-styles');
		expect(s.json.map((x: { id: string }) => x.id)).toEqual(STYLES.map((x) => x.id));
		expect(Object.keys(s.json[0]).sort()).toEqual(['description', 'id', 'name', 'preview_url']);
		const pv = await download(s.json[0].preview_url);
		expect(pv.type).toBe('image/png');
		expect(pv.bytes.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
		const mv = await download(m.json[0].preview_url);
		expect(mv.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
	});
});

/** A valid PNG (signature, CRCs, IHDR first, IEND last, IDAT inflating to the right size): its size. */
function inspectPng(buf: Buffer) {
	const png = parsePng(buf);
	expect(png.problems).toEqual([]);
	return { width: png.width, height: png.height };
}

describe('job progression and real result files', () => {
	test('soul: queued -> in_progress -> completed, PNG raw 256x256 and min 64x64', async () => {
		const created = await api('POST', SOUL, { params: soulParams({ prompt: 'slow fox [sandbox:seconds=0.6]' }) });
		expect(created.status).toBe(200);
		const js = created.json;
		expect(js.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(js.type).toBe('text2image_soul');
		expect(js.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
		expect(js.jobs).toHaveLength(1);
		expect(js.jobs[0]).toEqual({ id: expect.any(String), job_set_type: 'text2image_soul', status: 'queued', results: null });
		const seen = new Set<string>(['queued']);
		const done = await waitFor(async () => {
			const r = await api('GET', `/v1/job-sets/${js.id}`);
			seen.add(r.json.jobs[0].status);
			return r.json.jobs[0].status === 'completed' && r.json;
		}, 3000, 20);
		expect([...seen]).toEqual(['queued', 'in_progress', 'completed']);
		const { min, raw } = done.jobs[0].results;
		expect(min.type).toBe('image');
		expect(raw.url.startsWith(`${sb.url}/files/`)).toBe(true);
		const rawFile = await download(raw.url);
		expect(rawFile.type).toBe('image/png');
		expect(Number(rawFile.length)).toBe(rawFile.bytes.length);
		expect(inspectPng(rawFile.bytes)).toEqual({ width: 256, height: 256 });
		expect(inspectPng((await download(min.url)).bytes)).toEqual({ width: 64, height: 64 });
	});

	test('completedAt is recorded by a timer even when nobody polls', async () => {
		const created = await api('POST', SOUL, { params: soulParams({ batch_size: 4 }) });
		await sleep(350);
		const rec = sb.jobSets.get(created.json.id)!;
		expect(rec.jobs).toHaveLength(4);
		for (const j of rec.jobs) expect(j.completedAt).toBe(rec.createdAt + 200);
		expect(rec.doneAt).toBe(rec.createdAt + 200);
	});

	test('dop and speak: MP4 results (raw and min)', async () => {
		const d = await api('POST', DOP, { params: dopParams() });
		const s = await api('POST', SPEAK, { params: speakParams() });
		expect(d.json.type).toBe('image2video');
		expect(s.json.type).toBe('speak_higgsfield');
		for (const id of [d.json.id, s.json.id]) {
			const done = await waitFor(async () => {
				const r = await api('GET', `/v1/job-sets/${id}`);
				return r.json.jobs[0].status === 'completed' && r.json;
			});
			for (const v of ['raw', 'min']) {
				const res = done.jobs[0].results[v];
				expect(res.type).toBe('video');
				const f = await download(res.url);
				expect(f.status).toBe(200);
				expect(f.type).toBe('video/mp4');
				expect(Number(f.length)).toBe(f.bytes.length);
				expect(f.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
				expect(f.bytes.length).toBeLessThan(100_000);
			}
		}
	});

	test.each([
		['failed', 'failed'],
		['nsfw', 'nsfw'],
		['canceled', 'canceled'],
	])('[sandbox:%s] ends every job that way with results null', async (token, status) => {
		const c = await api('POST', SOUL, { params: soulParams({ prompt: `x [sandbox:${token}]`, batch_size: 4 }) });
		const done = await waitFor(async () => {
			const r = await api('GET', `/v1/job-sets/${c.json.id}`);
			return r.json.jobs.every((j: Job) => j.status !== 'queued' && j.status !== 'in_progress') && r.json;
		});
		for (const j of done.jobs) {
			expect(j.status).toBe(status);
			expect(j.results).toBeNull();
			if (status === 'failed') expect(typeof j.error).toBe('string');
			else expect(j).not.toHaveProperty('error');
		}
		const rec = sb.jobSets.get(c.json.id)!;
		expect((await download(`${sb.url}/files/results/${rec.jobs[0].id}/raw.png`)).status).toBe(404);
	});

	test('[sandbox:outcomes=...] mixes outcomes within a batch; the outcome option sets the default', async () => {
		const c = await api('POST', SOUL, { params: soulParams({ prompt: 'x [sandbox:outcomes=completed,nsfw]', batch_size: 4 }) });
		await sleep(300);
		const r = await api('GET', `/v1/job-sets/${c.json.id}`);
		expect(r.json.jobs.map((j: Job) => j.status)).toEqual(['completed', 'nsfw', 'completed', 'nsfw']);
		sb.configure({ outcome: 'failed' });
		try {
			const f = await api('POST', DOP, { params: dopParams() });
			const o = await api('POST', DOP, { params: dopParams({ prompt: 'override [sandbox:completed]' }) });
			await sleep(300);
			expect((await api('GET', `/v1/job-sets/${f.json.id}`)).json.jobs[0].status).toBe('failed');
			expect((await api('GET', `/v1/job-sets/${o.json.id}`)).json.jobs[0].status).toBe('completed');
		} finally {
			sb.configure({ outcome: 'completed' });
		}
	});

	test('[sandbox:stagger=N] makes the jobs of a batch finish N s apart', async () => {
		const c = await api('POST', SOUL, { params: soulParams({ prompt: 'x [sandbox:seconds=0.1] [sandbox:stagger=0.15]', batch_size: 4 }) });
		const rec = sb.jobSets.get(c.json.id)!;
		expect(rec.jobs.map((j) => j.endsAt - rec.createdAt)).toEqual([100, 250, 400, 550]);
		await sleep(180);
		const mid = await api('GET', `/v1/job-sets/${c.json.id}`);
		expect(mid.json.jobs.map((j: Job) => j.status)).toEqual(['completed', 'in_progress', 'in_progress', 'in_progress']);
		expect(mid.json.jobs[0].results).not.toBeNull();
		expect(mid.json.jobs[1].results).toBeNull();
		await sleep(450);
		const end = await api('GET', `/v1/job-sets/${c.json.id}`);
		expect(end.json.jobs.every((j: Job) => j.status === 'completed')).toBe(true);
	});
});

describe('characters', () => {
	const newCharacter = (name: string) => api('POST', '/v1/custom-references', { name, input_images: [image(), image()] });

	test('lifecycle not_ready -> ... -> completed, thumbnail, use in Soul, delete', async () => {
		const c = await newCharacter('Ava');
		expect(c.status).toBe(200);
		expect(c.json).toMatchObject({ name: 'Ava', status: 'not_ready', thumbnail_url: null });
		expect(c.json.created_at).toEqual(expect.any(String));
		expect(c.json.updated_at).toEqual(expect.any(String));
		const early = await api('POST', SOUL, { params: soulParams({ custom_reference_id: c.json.id }) });
		expect(early.status).toBe(400);
		expect(early.json.detail).toMatch(/not ready/);
		const seen = new Set<string>();
		const done = await waitFor(async () => {
			const r = await api('GET', `/v1/custom-references/${c.json.id}`);
			seen.add(r.json.status);
			return r.json.status === 'completed' && r.json;
		}, 3000, 10);
		expect(seen.has('in_progress')).toBe(true);
		const thumb = await download(done.thumbnail_url);
		expect(thumb.type).toBe('image/png');
		expect(thumb.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
		const ok = await api('POST', SOUL, { params: soulParams({ custom_reference_id: c.json.id, custom_reference_strength: 0.8 }) });
		expect(ok.status).toBe(200);
		const del = await api('DELETE', `/v1/custom-references/${c.json.id}`);
		expect(del.status).toBe(200);
		expect(del.json).toEqual({});
		expect((await api('GET', `/v1/custom-references/${c.json.id}`)).status).toBe(404);
		expect((await api('DELETE', `/v1/custom-references/${c.json.id}`)).status).toBe(404);
		expect((await api('POST', SOUL, { params: soulParams({ custom_reference_id: c.json.id }) })).status).toBe(400);
	});

	test('[sandbox:failed] in the name ends in failed with a fail_reason; failed characters are refused by Soul', async () => {
		const c = await newCharacter('Bad [sandbox:failed]');
		const done = await waitFor(async () => {
			const r = await api('GET', `/v1/custom-references/${c.json.id}`);
			return r.json.status === 'failed' && r.json;
		});
		expect(typeof done.fail_reason).toBe('string');
		expect(done.thumbnail_url).toBeNull();
		const r = await api('POST', SOUL, { params: soulParams({ custom_reference_id: c.json.id }) });
		expect(r.status).toBe(400);
		expect(r.json.detail).toMatch(/status: failed/);
	});

	test('pagination: 1-based, newest first, page_size max 100', async () => {
		const local = await startSandbox({ characterSeconds: 0.1 });
		try {
			const names: string[] = [];
			for (let i = 0; i < 5; i++) {
				names.push(`c${i}`);
				await call(local.url, 'POST', '/v1/custom-references', { name: `c${i}`, input_images: [image()] });
				await sleep(3);
			}
			const p1 = await call(local.url, 'GET', '/v1/custom-references/list?page=1&page_size=2');
			expect(p1.json).toMatchObject({ total: 5, page: 1, page_size: 2, total_pages: 3 });
			expect(p1.json.items.map((x: Character) => x.name)).toEqual(['c4', 'c3']);
			const p3 = await call(local.url, 'GET', '/v1/custom-references/list?page=3&page_size=2');
			expect(p3.json.items.map((x: Character) => x.name)).toEqual(['c0']);
			const dflt = await call(local.url, 'GET', '/v1/custom-references/list');
			expect(dflt.json).toMatchObject({ page: 1, page_size: 20, total_pages: 1 });
			expect(dflt.json.items).toHaveLength(5);
			const big = await call(local.url, 'GET', '/v1/custom-references/list?page_size=101');
			expect(big.status).toBe(422);
			expect(big.json.detail[0].loc).toEqual(['query', 'page_size']);
			const zero = await call(local.url, 'GET', '/v1/custom-references/list?page=0');
			expect(zero.json.detail[0].loc).toEqual(['query', 'page']);
		} finally {
			await local.close();
		}
	});

	test.each([
		['name missing', { input_images: [image()] }, ['body', 'name']],
		['name empty', { name: '', input_images: [image()] }, ['body', 'name']],
		['input_images missing', { name: 'x' }, ['body', 'input_images']],
		['input_images empty', { name: 'x', input_images: [] }, ['body', 'input_images']],
		['input_images malformed', { name: 'x', input_images: [{ url: 'https://x/y.png' }] }, ['body', 'input_images', 0, 'type']],
	])('422 when %s', async (_n, body, loc) => {
		const r = await api('POST', '/v1/custom-references', body);
		expect(r.status).toBe(422);
		expect(r.json.detail.map((e: PydError) => e.loc)).toContainEqual(loc);
	});
});

describe('uploads', () => {
	const upload = async (contentType: string) => (await api('POST', '/files/generate-upload-url', { content_type: contentType })).json;

	test('generate-upload-url validates content_type', async () => {
		expect((await api('POST', '/files/generate-upload-url', {})).status).toBe(422);
		const bad = await api('POST', '/files/generate-upload-url', { content_type: 'text/plain' });
		expect(bad.status).toBe(422);
		expect(bad.json.detail[0].loc).toEqual(['body', 'content_type']);
		expect((await api('POST', '/files/generate-upload-url', { content_type: 'image/png' }, {})).status).toBe(401);
	});

	test('PUT with exactly the upload headers, then GET the public URL; reuse is 403', async () => {
		const u = await upload('image/png');
		expect(u.upload_headers).toEqual({ 'Content-Type': 'image/png', 'x-amz-tagging': expect.any(String) });
		const png = makePng({ width: 32, height: 16, seed: 'upload' });
		const put = await fetch(u.upload_url, { method: 'PUT', headers: u.upload_headers, body: png });
		expect(put.status).toBe(200);
		const got = await download(u.public_url);
		expect(got.type).toBe('image/png');
		expect(got.bytes.equals(png)).toBe(true);
		const again = await fetch(u.upload_url, { method: 'PUT', headers: u.upload_headers, body: png });
		expect(again.status).toBe(403);
	});

	test('missing x-amz-tagging, a wrong Content-Type, or Higgsfield auth on the PUT are 403 (S3 XML)', async () => {
		const u = await upload('image/png');
		const noTag = await fetch(u.upload_url, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: 'x' });
		expect(noTag.status).toBe(403);
		const xml = await noTag.text();
		expect(xml).toContain('<Code>SignatureDoesNotMatch</Code>');
		const wrongType = await fetch(u.upload_url, { method: 'PUT', headers: { ...u.upload_headers, 'Content-Type': 'image/jpeg' }, body: 'x' });
		expect(wrongType.status).toBe(403);
		const withAuth = await fetch(u.upload_url, { method: 'PUT', headers: { ...u.upload_headers, ...AUTH }, body: 'x' });
		expect(withAuth.status).toBe(403);
		const withKey = await fetch(u.upload_url, { method: 'PUT', headers: { ...u.upload_headers, ...KEY_AUTH }, body: 'x' });
		expect(withKey.status).toBe(403);
		const forged = await fetch(u.upload_url.replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=00'), { method: 'PUT', headers: u.upload_headers, body: 'x' });
		expect(forged.status).toBe(403);
		expect((await download(u.public_url)).status).toBe(404);
		// none of these consumed the URL
		expect((await fetch(u.upload_url, { method: 'PUT', headers: u.upload_headers, body: 'x' })).status).toBe(200);
	});

	test('an expired URL is 403', async () => {
		sb.configure({ uploadUrlSeconds: 0.01 });
		try {
			const u = await upload('image/png');
			await sleep(30);
			const r = await fetch(u.upload_url, { method: 'PUT', headers: u.upload_headers, body: 'x' });
			expect(r.status).toBe(403);
			expect(await r.text()).toContain('expired');
		} finally {
			sb.configure({ uploadUrlSeconds: 3600 });
		}
	});

	test('an uploaded WAV is accepted as Speak audio, an uploaded PNG is not', async () => {
		const wav = makeWav({ seconds: 0.5, sampleRate: 8000 });
		expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
		expect(wav.subarray(8, 12).toString('latin1')).toBe('WAVE');
		expect(wav.length).toBe(44 + 8000);
		const w = await upload('audio/wav');
		expect((await fetch(w.upload_url, { method: 'PUT', headers: w.upload_headers, body: wav })).status).toBe(200);
		const got = await download(w.public_url);
		expect(got.type).toBe('audio/wav');
		expect(got.bytes.equals(wav)).toBe(true);
		const ok = await api('POST', SPEAK, { params: speakParams({ input_audio: { type: 'audio_url', audio_url: w.public_url } }) });
		expect(ok.status).toBe(200);
		const p = await upload('image/png');
		await fetch(p.upload_url, { method: 'PUT', headers: p.upload_headers, body: makePng() });
		const bad = await api('POST', SPEAK, { params: speakParams({ input_audio: { type: 'audio_url', audio_url: p.public_url } }) });
		expect(bad.status).toBe(422);
		expect(bad.json.detail[0].loc).toEqual(['body', 'params', 'input_audio', 'audio_url']);
	});
});

describe('request log and HTTP control', () => {
	test('entries in arrival order with parsed bodies, statuses, job set ids and completed jobs', async () => {
		sb.clearLog();
		const c = await api('POST', SOUL, { params: soulParams({ batch_size: 4 }) });
		await api('GET', `/v1/job-sets/${c.json.id}?x=1`);
		await sleep(300);
		await api('GET', `/v1/job-sets/${c.json.id}`);
		await api('POST', SOUL, { params: soulParams({ batch_size: 2 }) });
		await fetch(`${sb.url}/__sandbox/log`); // control: not logged
		const log = sb.log;
		expect(log.map((e) => [e.method, e.status])).toEqual([
			['POST', 200],
			['GET', 200],
			['GET', 200],
			['POST', 422],
		]);
		expect(log.map((e) => e.seq)).toEqual([...log.map((e) => e.seq)].sort((a, b) => a - b));
		expect(log[0]).toMatchObject({ path: SOUL, accepted: true, jobSetId: c.json.id, fault: null, body: { params: soulParams({ batch_size: 4 }) } });
		expect(log[0].headers['hf-api-key']).toBe('hf-sandbox-key');
		expect(log[1]).toMatchObject({ query: { x: '1' }, jobSetId: c.json.id, completedJobs: [], accepted: false });
		expect(log[2].completedJobs).toHaveLength(4);
		expect(log[3].accepted).toBe(false);
		expect(sb.acceptedSubmissions().map((e) => e.jobSetId)).toEqual([c.json.id]);
		const viaHttp = await (await fetch(`${sb.url}/__sandbox/log`)).json();
		expect(viaHttp).toHaveLength(4);
		expect((await fetch(`${sb.url}/__sandbox/log`, { method: 'DELETE' })).status).toBe(200);
		expect(sb.log).toHaveLength(0);
	});

	test('uploads and downloads are logged with byte counts', async () => {
		const u = (await api('POST', '/files/generate-upload-url', { content_type: 'video/mp4' })).json;
		sb.clearLog();
		await fetch(u.upload_url, { method: 'PUT', headers: u.upload_headers, body: Buffer.alloc(1234) });
		await download(u.public_url);
		expect(sb.log.map((e) => [e.method, e.status, e.body])).toEqual([
			['PUT', 200, { bytes: 1234 }],
			['GET', 200, null],
		]);
	});

	test('configure and script over HTTP', async () => {
		const conf = await call(sb.url, 'POST', '/__sandbox/configure', { jobSeconds: 0.3 }, {});
		expect(conf.json.jobSeconds).toBe(0.3);
		expect(conf.json.credits).toBeNull(); // Infinity
		expect(sb.options.jobSeconds).toBe(0.3);
		await call(sb.url, 'POST', '/__sandbox/configure', { jobSeconds: 0.2 }, {});
		await call(sb.url, 'POST', '/__sandbox/script', [{ method: 'GET', path: '/v1/motions', fault: '503' }], {});
		expect((await api('GET', '/v1/motions')).status).toBe(503);
		expect((await api('GET', '/v1/motions')).status).toBe(200);
		const state = await call(sb.url, 'GET', '/__sandbox/state', undefined, {});
		expect(state.json.url).toBe(sb.url);
	});
});

describe('media helpers', () => {
	test('makePng is a valid PNG whose colour depends on the seed; makeWav is RIFF/WAVE', () => {
		const a = makePng({ width: 8, height: 4, seed: 1 });
		expect(inspectPng(a)).toEqual({ width: 8, height: 4 });
		expect(a.equals(makePng({ width: 8, height: 4, seed: 1 }))).toBe(true);
		expect(a.equals(makePng({ width: 8, height: 4, seed: 2 }))).toBe(false);
		const w = makeWav({ seconds: 1, sampleRate: 22050 });
		expect(w.readUInt32LE(24)).toBe(22050);
		expect(w.readUInt32LE(4)).toBe(w.length - 8);
		expect(w.subarray(36, 40).toString('latin1')).toBe('data');
		// positional forms too
		expect(inspectPng(makePng(10, 6, 'x'))).toEqual({ width: 10, height: 6 });
		expect(makeWav(0.5, 8000).length).toBe(44 + 8000);
	});
});

describe('CLI', () => {
	test.each([['cli.js']])('%s prints its one line, serves, and stops on SIGTERM', async (file) => {
		const cli = await startCli(file, ['--port', '0', '--job-seconds', '0.2', '--api-key', 'K', '--api-secret', 'S']);
		try {
			const m = /^Higgsfield sandbox listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(cli.line);
			expect(m).not.toBeNull();
			const r = await call(m![1], 'GET', '/v1/motions', undefined, { Authorization: 'Key K:S' });
			expect(r.status).toBe(200);
		} finally {
			expect(await cli.stop()).toBe(0);
		}
	});

	test('--help lists the flags', async () => {
		const out = await runCli(['--help']);
		for (const f of ['--port', '--job-seconds', '--api-key', '--api-secret', '--concurrency', '--character-seconds', '--fault-rate-get', '--credits', '--webhook-duplicates', '--large-result-bytes']) {
			expect(out).toContain(f);
		}
	});
});
