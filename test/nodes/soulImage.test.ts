// Higgsfield Soul Image: real in-process executions against the sandbox.
import type { INodeExecutionData } from 'n8n-workflow';

import { binaryBytes, runNode } from '../helpers/n8n';
import { STYLES, makePng, startSandbox } from '../sandbox';
import {
	SCHEMES,
	binaryItem,
	expectAuth,
	expectAuthOnAll,
	expectRejectedBeforeAnyRequest,
	expectUploads,
	image,
	submission,
	type HeaderScheme,
	type Sandbox,
} from './mediaGeneration';

const TYPE = 'higgsfieldSoulImage';
const SOUL = '/v1/text2image/soul';
const FAST = { pollInterval: 0.1, maxPollInterval: 0.2 };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2, concurrency: 1000 });
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => sb.clearLog());

const generate = (parameters: Record<string, unknown>) => ({ operation: 'generate', options: FAST, ...parameters });

/** A PNG of `size` x `size` pixels, as the sandbox makes results (raw 256, preview 64). */
function expectPng(item: INodeExecutionData, property: string, size: number): Buffer {
	expect(item.binary?.[property]?.mimeType).toBe('image/png');
	const bytes = binaryBytes(item, property);
	expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
	expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([size, size]);
	return bytes;
}

/** The job set the node submitted, as the sandbox recorded it. */
function acceptedJobSet(): NonNullable<ReturnType<Sandbox['jobSets']['get']>> {
	const accepted = sb.acceptedSubmissions(SOUL);
	expect(accepted).toHaveLength(1);
	const set = sb.jobSets.get(accepted[0].jobSetId as string);
	expect(set).toBeDefined();
	return set as NonNullable<typeof set>;
}

describe('Generate', () => {
	test.each<HeaderScheme>(SCHEMES)('sends only the required fields, waits and downloads the image (%s)', async (scheme) => {
		const { output, error } = await runNode({
			type: TYPE,
			credentials: { baseUrl: sb.url, headerScheme: scheme },
			parameters: generate({ prompt: 'a red fox in fresh snow' }),
		});
		expect(error).toBeUndefined();
		const post = submission(sb.log, SOUL, scheme);
		expect(post.body).toEqual({ params: { prompt: 'a red fox in fresh snow', width_and_height: '1536x1536', quality: '720p' } });
		expectAuthOnAll(sb.log, scheme);

		const set = acceptedJobSet();
		expect(set.jobs).toHaveLength(1);
		expect(sb.log.filter((entry) => entry.path.startsWith('/files/')).map((entry) => entry.path)).toEqual([
			`/files/results/${set.jobs[0].id}/raw.png`,
		]);
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toMatchObject({
			id: set.id,
			type: 'text2image_soul',
			status: 'completed',
			result_urls: [`${sb.url}/files/results/${set.jobs[0].id}/raw.png`],
			preview_urls: [`${sb.url}/files/results/${set.jobs[0].id}/min.png`],
		});
		expect(Object.keys(output[0].binary ?? {})).toEqual(['data']);
		expect(expectPng(output[0], 'data', 256).equals(makePng({ width: 256, height: 256, seed: set.jobs[0].id }))).toBe(true);
	});

	test('every field set: batch 4 gives 4 jobs and data, data_1..data_3 PNGs; style and character IDs', async () => {
		const character = sb.characters.create({ keyId: 'hf-sandbox-key', name: 'Anna', inputImages: [], seconds: 0 });
		const style = STYLES[1];
		const { output, error } = await runNode({
			type: TYPE,
			credentials: { baseUrl: sb.url },
			parameters: generate({
				prompt: 'four portraits',
				widthAndHeight: '2048x1152',
				quality: '1080p',
				imageReferenceSource: 'url',
				imageReferenceUrl: 'https://example.com/look.png',
				additionalFields: {
					batchSize: 4,
					characterId: character.id,
					characterStrength: 0.6,
					enhancePrompt: false,
					seed: 42,
					styleId: style.id,
					styleStrength: 0.25,
				},
			}),
		});
		expect(error).toBeUndefined();
		expect(submission(sb.log, SOUL, 'hfHeaders').body).toEqual({
			params: {
				prompt: 'four portraits',
				width_and_height: '2048x1152',
				quality: '1080p',
				batch_size: 4,
				style_id: style.id,
				style_strength: 0.25,
				custom_reference_id: character.id,
				custom_reference_strength: 0.6,
				seed: 42,
				enhance_prompt: false,
				image_reference: image('https://example.com/look.png'),
			},
		});
		const set = acceptedJobSet();
		expect(set.jobs).toHaveLength(4);
		expect(output).toHaveLength(1);
		expect(output[0].json.jobs).toHaveLength(4);
		expect(output[0].json.status).toBe('completed');
		expect(Object.keys(output[0].binary ?? {})).toEqual(['data', 'data_1', 'data_2', 'data_3']);
		['data', 'data_1', 'data_2', 'data_3'].forEach((property, index) => {
			expect(expectPng(output[0], property, 256).equals(makePng({ width: 256, height: 256, seed: set.jobs[index].id }))).toBe(true);
		});
	});

	test('an image reference from binary data is uploaded first, then sent by its public URL', async () => {
		const look = makePng({ width: 32, height: 32, seed: 3 });
		const { output, error } = await runNode({
			type: TYPE,
			credentials: { baseUrl: sb.url, headerScheme: 'authorizationKey' },
			items: [binaryItem({ look: { bytes: look, mimeType: 'image/png', fileName: 'look.png' } })],
			parameters: generate({
				prompt: 'in this style',
				imageReferenceSource: 'binary',
				imageReferenceBinaryProperty: 'look',
				download: 'none',
			}),
		});
		expect(error).toBeUndefined();
		const [publicUrl] = expectUploads(sb, 'authorizationKey', [{ bytes: look, contentType: 'image/png' }]);
		expect(submission(sb.log, SOUL, 'authorizationKey').body).toEqual({
			params: { prompt: 'in this style', width_and_height: '1536x1536', quality: '720p', image_reference: image(publicUrl) },
		});
		expect(output[0].json.status).toBe('completed');
		expect(output[0].binary).toBeUndefined();
	});
});

describe('List Styles', () => {
	test('one item per style, as the API answers', async () => {
		const { output, error } = await runNode({ type: TYPE, credentials: { baseUrl: sb.url }, parameters: { operation: 'listStyles' } });
		expect(error).toBeUndefined();
		expect(sb.log.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', '/v1/text2image/soul-styles', 200]]);
		expectAuth(sb.log[0], 'hfHeaders');
		expect(output).toEqual(
			STYLES.map((style) => ({
				json: { id: style.id, name: style.name, description: style.description, preview_url: `${sb.url}/files/previews/styles/${style.id}.png` },
				pairedItem: { item: 0 },
			})),
		);
	});
});

describe('bad input is refused before any request', () => {
	test.each<[string, Record<string, unknown>, string]>([
		['size not allowed', { widthAndHeight: '1024x1024' }, 'Invalid "Size" in item 0: got "1024x1024"'],
		['batch of 3', { additionalFields: { batchSize: 3 } }, 'Invalid "Batch Size" in item 0: got 3'],
		['style strength 1.5', { additionalFields: { styleStrength: 1.5 } }, 'Invalid "Style Strength" in item 0: got 1.5'],
		['character strength -0.1', { additionalFields: { characterStrength: -0.1 } }, 'Invalid "Character Strength" in item 0: got -0.1'],
		['seed -1', { additionalFields: { seed: -1 } }, 'Invalid "Seed" in item 0: got -1'],
		['seed 1.5', { additionalFields: { seed: 1.5 } }, 'Invalid "Seed" in item 0: got 1.5'],
		['style ID not a UUID', { additionalFields: { styleId: 'cinematic' } }, 'Invalid "Style" in item 0: got "cinematic"'],
		['character ID not a UUID', { additionalFields: { characterId: 'anna' } }, 'Invalid "Character" in item 0: got "anna"'],
		['empty prompt from an expression', { prompt: '={{ "" }}' }, 'Invalid "Prompt" in item 0: got an empty text'],
		['blank prompt', { prompt: '   ' }, 'Invalid "Prompt" in item 0: got "   "'],
		['image reference over plain http', { imageReferenceSource: 'url', imageReferenceUrl: 'http://example.com/a.png' }, 'Invalid "Image Reference URL" in item 0: got "http://example.com/a.png"'],
		['image reference binary missing', { imageReferenceSource: 'binary', imageReferenceBinaryProperty: 'nothing' }, 'Invalid "Image Reference Binary Property" in item 0: got "nothing"'],
	])('%s', async (_case, parameters, message) => {
		const result = await runNode({
			type: TYPE,
			credentials: { baseUrl: sb.url },
			parameters: generate({ prompt: 'a fox', ...parameters }),
		});
		expectRejectedBeforeAnyRequest(sb, result, message);
	});

	test('a literal empty prompt is already refused by n8n (required field)', async () => {
		await expect(runNode({ type: TYPE, credentials: { baseUrl: sb.url }, parameters: generate({ prompt: '' }) })).rejects.toThrow(
			'Parameter "Prompt" is required',
		);
		expect(sb.log).toEqual([]);
	});

	test('one bad item stops the run before the good ones are sent', async () => {
		const result = await runNode({
			type: TYPE,
			credentials: { baseUrl: sb.url },
			items: [{ json: { size: '1536x1536' } }, { json: { size: '512x512' } }],
			parameters: generate({ prompt: 'a fox', widthAndHeight: '={{ $json.size }}' }),
		});
		expectRejectedBeforeAnyRequest(sb, result, 'Invalid "Size" in item 1: got "512x512"');
		expect(result.error?.description).toContain('Use one of: 1152x2048');
	});
});
