// Higgsfield Image to Video: real in-process executions against the sandbox.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../helpers/n8n';
import { MOTIONS, makePng, makeWav, startSandbox } from '../sandbox';
import { asset } from '../sandbox/media';
import {
	SCHEMES,
	binaryItem,
	expectAuthOnAll,
	expectRejectedBeforeAnyRequest,
	expectUploads,
	expectVideoItem,
	image,
	submission,
	type HeaderScheme,
	type Sandbox,
} from './mediaGeneration';

const DOP = '/v1/image2video/dop';
const START_URL = 'https://example.com/start.png';
const END_URL = 'https://example.com/end.png';
const MORPH = MOTIONS.find((motion) => motion.name === 'Morph')!;
const DOLLY_IN = MOTIONS.find((motion) => motion.name === 'Dolly In')!;
const VIDEO = asset('video-raw.mp4');
const FAST = { pollInterval: 0.1, maxPollInterval: 0.2 };

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2, concurrency: 100 });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.clearLog());

const generate = (parameters: IDataObject, extra: { scheme?: HeaderScheme; items?: INodeExecutionData[]; continueOnFail?: boolean } = {}) =>
	runNode({
		type: 'higgsfieldImageToVideo',
		parameters: { operation: 'generate', prompt: 'the fox turns its head', startImageUrl: START_URL, options: FAST, ...parameters },
		credentials: { baseUrl: sb.url, headerScheme: extra.scheme ?? 'hfHeaders' },
		items: extra.items,
		continueOnFail: extra.continueOnFail,
	});

describe.each(SCHEMES)('with the %s header scheme', (scheme) => {
	test('Generate with every field sends exactly those params and outputs the MP4', async () => {
		const result = await generate(
			{
				model: 'dop-turbo',
				endImageSource: 'url',
				endImageUrl: END_URL,
				motions: { motion: [{ motionId: MORPH.id, strength: 0.4 }, { motionId: DOLLY_IN.id }] },
				additionalFields: { seed: 42, enhancePrompt: false, checkNsfw: true },
			},
			{ scheme },
		);
		expect(result.error).toBeUndefined();
		const post = submission(sb.log, DOP, scheme);
		expect(post.body).toEqual({
			params: {
				model: 'dop-turbo',
				prompt: 'the fox turns its head',
				input_images: [image(START_URL)],
				input_images_end: [image(END_URL)],
				motions: [
					{ id: MORPH.id, strength: 0.4 },
					{ id: DOLLY_IN.id, strength: 1 },
				],
				seed: 42,
				enhance_prompt: false,
				check_nsfw: true,
			},
		});
		expectAuthOnAll(sb.log, scheme);
		expect(result.output).toHaveLength(1);
		expectVideoItem(result.output[0], 0, post.jobSetId, VIDEO);
	});

	test('Generate with only the required fields sends only those (default model dop-lite)', async () => {
		const result = await generate({}, { scheme });
		expect(result.error).toBeUndefined();
		const post = submission(sb.log, DOP, scheme);
		expect(post.body).toEqual({ params: { model: 'dop-lite', prompt: 'the fox turns its head', input_images: [image(START_URL)] } });
		expect(sb.log.map((entry) => `${entry.method} ${entry.path.replace(/[0-9a-f-]{36}/g, ':id')}`)).toEqual([
			`POST ${DOP}`,
			...Array(sb.log.length - 2).fill('GET /v1/job-sets/:id'),
			'GET /files/results/:id/raw.mp4',
		]);
		expectAuthOnAll(sb.log, scheme);
		expectVideoItem(result.output[0], 0, post.jobSetId, VIDEO);
	});

	test('Generate uploads binary start and end images, then uses their public URLs', async () => {
		const start = makePng({ seed: 'start' });
		const end = makePng({ width: 32, height: 48, seed: 'end' });
		const result = await generate(
			{
				startImageSource: 'binary',
				endImageSource: 'binary',
				endImageBinaryProperty: 'end',
				motions: { motion: [{ motionId: MORPH.id, strength: 1 }] },
			},
			{
				scheme,
				items: [
					binaryItem({
						data: { bytes: start, mimeType: 'image/png', fileName: 'x.png' },
						end: { bytes: end, mimeType: 'image/png', fileName: 'y.png' },
					}),
				],
			},
		);
		expect(result.error).toBeUndefined();
		const [startUrl, endUrl] = expectUploads(sb, scheme, [
			{ bytes: start, contentType: 'image/png' },
			{ bytes: end, contentType: 'image/png' },
		]);
		const post = submission(sb.log, DOP, scheme);
		expect(post.body).toEqual({
			params: {
				model: 'dop-lite',
				prompt: 'the fox turns its head',
				input_images: [image(startUrl)],
				input_images_end: [image(endUrl)],
				motions: [{ id: MORPH.id, strength: 1 }],
			},
		});
		expectAuthOnAll(sb.log, scheme);
		expectVideoItem(result.output[0], 0, post.jobSetId, VIDEO);
	});

	test('List Motions gives one item per motion, once for all input items', async () => {
		const result = await runNode({
			type: 'higgsfieldImageToVideo',
			parameters: { operation: 'listMotions' },
			credentials: { baseUrl: sb.url, headerScheme: scheme },
			items: [{ json: {} }, { json: {} }],
		});
		expect(result.error).toBeUndefined();
		expect(sb.log.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', '/v1/motions', 200]]);
		expectAuthOnAll(sb.log, scheme);
		const motions = MOTIONS.map((motion) => ({ ...motion, preview_url: `${sb.url}/files/previews/motions/${motion.id}.mp4` }));
		expect(result.output).toEqual(motions.map((json) => ({ json, pairedItem: { item: 0 } })));
	});
});

describe('bad input is refused before any request, naming the field and the item', () => {
	const png = { bytes: makePng(), mimeType: 'image/png', fileName: 'x.png' };
	const fromItem = '={{ $json.value }}';
	const twoItems = (good: unknown, bad: unknown) => [{ json: { value: good } }, { json: { value: bad } }] as INodeExecutionData[];
	const cases: Array<[string, IDataObject, INodeExecutionData[] | undefined, string]> = [
		['an empty prompt', { prompt: fromItem }, twoItems('a fox', ''), 'Invalid "Prompt" in item 1: got an empty text'],
		[
			'three motions',
			{ motions: { motion: MOTIONS.slice(0, 3).map((motion) => ({ motionId: motion.id, strength: 1 })) } },
			undefined,
			'Invalid "Motions" in item 0: got "3 motions"',
		],
		[
			'a motion strength of 1.5',
			{ motions: { motion: [{ motionId: DOLLY_IN.id, strength: fromItem }] } },
			twoItems(0.5, 1.5),
			'Invalid "Motion 1 Strength" in item 1: got 1.5',
		],
		[
			'a motion id that is not a UUID',
			{ motions: { motion: [{ motionId: DOLLY_IN.id }, { motionId: fromItem, strength: 1 }] } },
			twoItems(MORPH.id, 'dolly-in'),
			'Invalid "Motion 2" in item 1: got "dolly-in"',
		],
		['a seed above 1000000', { additionalFields: { seed: fromItem } }, twoItems(7, 1_000_001), 'Invalid "Seed" in item 1: got 1000001'],
		['a negative seed', { additionalFields: { seed: -1 } }, undefined, 'Invalid "Seed" in item 0: got -1'],
		[
			'an http:// URL that is not loopback',
			{ startImageUrl: fromItem },
			twoItems(START_URL, 'http://example.com/start.png'),
			'Invalid "Start Image URL" in item 1: got "http://example.com/start.png"',
		],
		[
			'a missing binary property',
			{ startImageSource: 'binary' },
			[binaryItem({ data: png }), { json: {} }],
			'Invalid "Start Image Binary Property" in item 1: got "data"',
		],
		[
			'a start image that is audio',
			{ startImageSource: 'binary' },
			[binaryItem({ data: png }), binaryItem({ data: { bytes: makeWav(), mimeType: 'audio/wav', fileName: 'v.wav' } })],
			'Invalid "Start Image Binary Property" in item 1: got "data (audio/wav)"',
		],
		[
			'a missing end image binary property',
			{ endImageSource: 'binary', endImageBinaryProperty: 'end' },
			[binaryItem({ data: png })],
			'Invalid "End Image Binary Property" in item 0: got "end"',
		],
	];

	test.each(cases)('%s', async (_name, parameters, items, message) => {
		expectRejectedBeforeAnyRequest(sb, await generate(parameters, { items }), message);
	});
});

test('Continue On Fail: one bad item among good ones gives one item each, the error on the bad one', async () => {
	const result = await generate(
		{ prompt: '={{ $json.prompt }}' },
		{ items: [{ json: { prompt: 'first' } }, { json: { prompt: ' ' } }, { json: { prompt: 'third' } }], continueOnFail: true },
	);
	expect(result.error).toBeUndefined();
	// submitted concurrently, so in either order
	const posts = sb.acceptedSubmissions(DOP);
	const jobSetOf = (prompt: string) => posts.find((entry) => (entry.body as { params: IDataObject }).params.prompt === prompt)?.jobSetId;
	expect(posts).toHaveLength(2);
	expect(result.output).toHaveLength(3);
	expectVideoItem(result.output[0], 0, jobSetOf('first') ?? 'missing', VIDEO);
	expect(result.output[1]).toEqual({
		json: { error: 'Invalid "Prompt" in item 1: got " "', error_description: '"Prompt" is required: enter a text.' },
		pairedItem: { item: 1 },
	});
	expectVideoItem(result.output[2], 2, jobSetOf('third') ?? 'missing', VIDEO);
});
