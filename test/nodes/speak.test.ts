// Higgsfield Speak: real in-process executions against the sandbox.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../helpers/n8n';
import { makePng, makeWav, startSandbox } from '../sandbox';
import { asset } from '../sandbox/media';
import {
	SCHEMES,
	audio,
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

const SPEAK = '/v1/speak/higgsfield';
const IMAGE_URL = 'https://example.com/portrait.png';
const AUDIO_URL = 'https://example.com/voice.wav';
const PROMPT = 'a calm presenter in a bright studio';
const VIDEO = asset('speak-raw.mp4');
const FAST = { pollInterval: 0.1, maxPollInterval: 0.2 };

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2, concurrency: 100 });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.clearLog());

const speak = (parameters: IDataObject, extra: { scheme?: HeaderScheme; items?: INodeExecutionData[]; continueOnFail?: boolean } = {}) =>
	runNode({
		type: 'higgsfieldSpeak',
		parameters: { operation: 'generate', prompt: PROMPT, imageUrl: IMAGE_URL, audioUrl: AUDIO_URL, options: FAST, ...parameters },
		credentials: { baseUrl: sb.url, headerScheme: extra.scheme ?? 'hfHeaders' },
		items: extra.items,
		continueOnFail: extra.continueOnFail,
	});

describe.each(SCHEMES)('with the %s header scheme', (scheme) => {
	test('Generate with every field sends exactly those params and outputs the MP4', async () => {
		const result = await speak({ quality: 'high', duration: 10, additionalFields: { seed: 7, enhancePrompt: true } }, { scheme });
		expect(result.error).toBeUndefined();
		const post = submission(sb.log, SPEAK, scheme);
		expect(post.body).toEqual({
			params: {
				prompt: PROMPT,
				quality: 'high',
				duration: 10,
				seed: 7,
				enhance_prompt: true,
				input_image: image(IMAGE_URL),
				input_audio: audio(AUDIO_URL),
			},
		});
		expectAuthOnAll(sb.log, scheme);
		expect(result.output).toHaveLength(1);
		expectVideoItem(result.output[0], 0, post.jobSetId, VIDEO);
	});

	test('Generate with only the required fields sends only those (mid quality, 5 seconds)', async () => {
		const result = await speak({}, { scheme });
		expect(result.error).toBeUndefined();
		const post = submission(sb.log, SPEAK, scheme);
		expect(post.body).toEqual({
			params: { prompt: PROMPT, quality: 'mid', duration: 5, input_image: image(IMAGE_URL), input_audio: audio(AUDIO_URL) },
		});
		expect(sb.log.map((entry) => `${entry.method} ${entry.path.replace(/[0-9a-f-]{36}/g, ':id')}`)).toEqual([
			`POST ${SPEAK}`,
			...Array(sb.log.length - 2).fill('GET /v1/job-sets/:id'),
			'GET /files/results/:id/raw.mp4',
		]);
		expectAuthOnAll(sb.log, scheme);
		expectVideoItem(result.output[0], 0, post.jobSetId, VIDEO);
	});

	test('Generate uploads a binary PNG and WAV, then uses their public URLs', async () => {
		const png = makePng({ width: 48, height: 64, seed: 'portrait' });
		const wav = makeWav({ seconds: 0.5 });
		const result = await speak(
			{ imageSource: 'binary', imageBinaryProperty: 'portrait', audioSource: 'binary' },
			{
				scheme,
				items: [
					binaryItem({
						portrait: { bytes: png, mimeType: 'image/png', fileName: 'x.png' },
						// n8n often labels WAV files audio/x-wav: uploaded as audio/wav
						data: { bytes: wav, mimeType: 'audio/x-wav', fileName: 'voice.wav' },
					}),
				],
			},
		);
		expect(result.error).toBeUndefined();
		const [imageUrl, audioUrl] = expectUploads(sb, scheme, [
			{ bytes: png, contentType: 'image/png' },
			{ bytes: wav, contentType: 'audio/wav' },
		]);
		const post = submission(sb.log, SPEAK, scheme);
		expect(post.body).toEqual({
			params: { prompt: PROMPT, quality: 'mid', duration: 5, input_image: image(imageUrl), input_audio: audio(audioUrl) },
		});
		expectAuthOnAll(sb.log, scheme);
		expectVideoItem(result.output[0], 0, post.jobSetId, VIDEO);
	});
});

describe('bad input is refused before any request, naming the field and the item', () => {
	const wav = { bytes: makeWav({ seconds: 0.2 }), mimeType: 'audio/wav', fileName: 'voice.wav' };
	const fromItem = '={{ $json.value }}';
	const twoItems = (good: unknown, bad: unknown) => [{ json: { value: good } }, { json: { value: bad } }] as INodeExecutionData[];
	const cases: Array<[string, IDataObject, INodeExecutionData[] | undefined, string]> = [
		['an empty prompt', { prompt: fromItem }, twoItems(PROMPT, ''), 'Invalid "Prompt" in item 1: got an empty text'],
		[
			'an MP3 audio URL',
			{ audioUrl: fromItem },
			twoItems(AUDIO_URL, 'https://example.com/voice.mp3'),
			'Invalid "Audio URL" in item 1: got "https://example.com/voice.mp3"',
		],
		[
			'MP3 audio as binary',
			{ audioSource: 'binary' },
			[binaryItem({ data: wav }), binaryItem({ data: { bytes: Buffer.from('ID3\u0003fake mp3'), mimeType: 'audio/mpeg', fileName: 'v.mp3' } })],
			'Invalid "Audio Binary Property" in item 1: got "data (audio/mpeg)"',
		],
		['a missing audio binary property', { audioSource: 'binary' }, [binaryItem({ data: wav }), { json: {} }], 'Invalid "Audio Binary Property" in item 1: got "data"'],
		['seed 0 (Speak starts at 1)', { additionalFields: { seed: fromItem } }, twoItems(1, 0), 'Invalid "Seed" in item 1: got 0'],
		['a seed above 1000000', { additionalFields: { seed: 1_000_001 } }, undefined, 'Invalid "Seed" in item 0: got 1000001'],
		[
			'an http:// image URL that is not loopback',
			{ imageUrl: fromItem },
			twoItems(IMAGE_URL, 'http://example.com/portrait.png'),
			'Invalid "Image URL" in item 1: got "http://example.com/portrait.png"',
		],
		['a duration of 7 seconds', { duration: fromItem }, twoItems(5, 7), 'Invalid "Duration" in item 1: got 7'],
		['an unknown quality', { quality: 'low' }, undefined, 'Invalid "Quality" in item 0: got "low"'],
	];

	test.each(cases)('%s', async (_name, parameters, items, message) => {
		expectRejectedBeforeAnyRequest(sb, await speak(parameters, { items }), message);
	});
});

test('Continue On Fail: one bad item among good ones gives one item each, the error on the bad one', async () => {
	const result = await speak(
		{ audioUrl: '={{ $json.audio }}' },
		{
			items: [{ json: { audio: AUDIO_URL } }, { json: { audio: 'https://example.com/voice.mp3' } }, { json: { audio: AUDIO_URL } }],
			continueOnFail: true,
		},
	);
	expect(result.error).toBeUndefined();
	const posts = sb.acceptedSubmissions(SPEAK);
	expect(posts).toHaveLength(2);
	expect(result.output).toHaveLength(3);
	const jobSets = posts.map((entry) => entry.jobSetId);
	expectVideoItem(result.output[0], 0, result.output[0].json.id as string, VIDEO);
	expectVideoItem(result.output[2], 2, result.output[2].json.id as string, VIDEO);
	expect([result.output[0].json.id, result.output[2].json.id].sort()).toEqual([...jobSets].sort());
	expect(result.output[1]).toEqual({
		json: {
			error: 'Invalid "Audio URL" in item 1: got "https://example.com/voice.mp3"',
			error_description: 'Give a URL of a WAV file (MP3 is not accepted by Higgsfield: convert it to WAV first).',
		},
		pairedItem: { item: 1 },
	});
});
