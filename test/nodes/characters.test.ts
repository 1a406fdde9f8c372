// Higgsfield Characters: real in-process executions against the sandbox.
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../helpers/n8n';
import { makePng, startSandbox } from '../sandbox';
import {
	binaryItem,
	chosenHeaders,
	expectAuth,
	expectAuthOnAll,
	expectRejectedBeforeAnyRequest,
	expectUploads,
	image,
	type HeaderScheme,
	type Sandbox,
} from './mediaGeneration';

const TYPE = 'higgsfieldCharacters';
const FAIL_REASON = 'Training failed: no face detected in the input images (sandbox)';
const FAST = { pollInterval: 0.1, maxPollInterval: 0.2 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ characterSeconds: 0.3 });
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => {
	sb.clearLog();
	sb.characters.items.clear();
});

const run = async (parameters: IDataObject, extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
	await runNode({ type: TYPE, parameters, credentials: { baseUrl: sb.url }, ...extra });

const urlImage = (url: string) => ({ imageSource: 'url', imageUrl: url });
const binaryImage = (property: string) => ({ imageSource: 'binary', imageBinaryProperty: property });
const create = (name: string, images: object[], more: Record<string, unknown> = {}) => ({
	operation: 'create',
	name,
	images: { image: images },
	options: FAST,
	...more,
});

/** Creates a character straight through the sandbox's API (as another workflow would have). */
async function seedCharacter(name: string): Promise<{ id: string; name: string }> {
	const response = await fetch(`${sb.url}/v1/custom-references`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'hf-api-key': 'hf-sandbox-key', 'hf-secret': 'hf-sandbox-secret' },
		body: JSON.stringify({ name, input_images: [image('https://example.com/face.png')] }),
	});
	expect(response.status).toBe(200);
	return (await response.json()) as { id: string; name: string };
}

describe('Create', () => {
	test.each<HeaderScheme>(['hfHeaders', 'authorizationKey'])(
		'URL and binary images: uploads the binary, POSTs the exact body, waits until trained (%s)',
		async (scheme) => {
			const photo = makePng({ width: 48, height: 48, seed: 7 });
			const { output, error } = await runNode({
				type: TYPE,
				credentials: { baseUrl: sb.url, headerScheme: scheme },
				items: [binaryItem({ portrait: { bytes: photo, mimeType: 'image/png', fileName: 'portrait.png' } })],
				parameters: create('Anna', [urlImage('https://example.com/anna-1.jpg'), binaryImage('portrait')]),
			});
			expect(error).toBeUndefined();

			const [publicUrl] = expectUploads(sb, scheme, [{ bytes: photo, contentType: 'image/png' }]);
			const posts = sb.log.filter((entry) => entry.method === 'POST' && entry.path === '/v1/custom-references');
			expect(posts).toHaveLength(1);
			expect(posts[0].status).toBe(200);
			expect(posts[0].body).toEqual({
				name: 'Anna',
				input_images: [image('https://example.com/anna-1.jpg'), image(publicUrl)],
			});
			expect(chosenHeaders(posts[0])).toMatchObject({ 'content-type': 'application/json' });
			expectAuthOnAll(sb.log, scheme);

			const id = sb.log.find((entry) => entry.path === '/v1/custom-references')?.characterId as string;
			expect(id).toMatch(UUID);
			const polls = sb.log.filter((entry) => entry.method === 'GET' && entry.path === `/v1/custom-references/${id}`);
			expect(polls.length).toBeGreaterThanOrEqual(1);
			expect(polls.every((entry) => entry.status === 200)).toBe(true);

			expect(output).toHaveLength(1);
			expect(output[0].pairedItem).toEqual({ item: 0 });
			expect(output[0].json).toEqual({
				id,
				name: 'Anna',
				status: 'completed',
				thumbnail_url: `${sb.url}/files/characters/${id}/thumbnail.png`,
				fail_reason: null,
				created_at: expect.any(String),
				updated_at: expect.any(String),
			});
			expect(output[0].binary).toBeUndefined();
		},
	);

	test('without Wait for Training the new character is output at once', async () => {
		const { output, error } = await run(create('Ben', [urlImage('https://example.com/ben.png')], { waitForTraining: false }));
		expect(error).toBeUndefined();
		expect(sb.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual(['POST /v1/custom-references']);
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ name: 'Ben', status: 'not_ready', thumbnail_url: null });
		expect(output[0].json.id).toBe(sb.log[0].characterId);
	});

	test('several items are created one by one and trained in one wait, output in input order', async () => {
		const { output, error } = await runNode({
			type: TYPE,
			credentials: { baseUrl: sb.url },
			items: [{ json: { who: 'Cleo [sandbox:seconds=0.6]' } }, { json: { who: 'Dan [sandbox:seconds=0.2]' } }],
			parameters: create('={{ $json.who }}', [urlImage('https://example.com/face.png')]),
		});
		expect(error).toBeUndefined();
		expect(output.map((item) => [item.json.name, item.json.status, item.pairedItem])).toEqual([
			['Cleo [sandbox:seconds=0.6]', 'completed', { item: 0 }],
			['Dan [sandbox:seconds=0.2]', 'completed', { item: 1 }],
		]);
		const posts = sb.log.filter((entry) => entry.method === 'POST');
		expect(posts).toHaveLength(2);
		// the second character was created before the first one finished training
		const firstDone = sb.log.find((entry) => entry.method === 'GET' && entry.characterId === posts[0].characterId && entry.seq > posts[1].seq);
		expect(firstDone).toBeDefined();
	});

	test('failed training stops the node with the character ID and the reason', async () => {
		const { output, error } = await run(create('Eve [sandbox:failed]', [urlImage('https://example.com/eve.png')]));
		const id = sb.log[0].characterId as string;
		expect(output).toEqual([]);
		expect(error?.message).toBe(`Training of character ${id} failed: ${FAIL_REASON} [item 0]`);
		expect(error?.description).toContain('Delete the failed one');
		expect(sb.log.filter((entry) => entry.method === 'POST')).toHaveLength(1);
	});

	test('failed training under Continue On Fail gives an error item with the character', async () => {
		const { output, error } = await runNode({
			type: TYPE,
			credentials: { baseUrl: sb.url },
			continueOnFail: true,
			items: [{ json: { who: 'Finn [sandbox:failed]' } }, { json: { who: 'Gia' } }],
			parameters: create('={{ $json.who }}', [urlImage('https://example.com/face.png')]),
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(2);
		const failedId = sb.log.find((entry) => entry.method === 'POST' && entry.body?.name === 'Finn [sandbox:failed]')?.characterId;
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toMatchObject({
			id: failedId,
			status: 'failed',
			fail_reason: FAIL_REASON,
			error: `Training of character ${failedId} failed: ${FAIL_REASON} [item 0]`,
		});
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[1].json).toMatchObject({ name: 'Gia', status: 'completed' });
		expect(output[1].json.error).toBeUndefined();
	});

	test('a timeout names the character, which keeps training', async () => {
		const { output, error } = await run(
			create('Hal [sandbox:seconds=30]', [urlImage('https://example.com/hal.png')], {
				options: { ...FAST, timeoutMinutes: 0.01 },
			}),
		);
		const id = sb.log[0].characterId as string;
		expect(output).toEqual([]);
		expect(error?.message).toMatch(new RegExp(`^Character ${id} was not trained after 0\\.01 minutes \\(still (not_ready|queued)\\) \\[item 0\\]$`));
		expect(error?.description).toContain(`Get operation and ID ${id}`);
		expect(sb.characters.get(id)).toBeDefined();
	});

	describe('bad input is refused before any request', () => {
		test('no image', async () => {
			const result = await run(create('Ivy', []));
			expectRejectedBeforeAnyRequest(sb, result, 'Invalid "Images" in item 0: got []');
			expect(result.error?.description).toContain('Add at least one image');
		});

		test('empty name', async () => {
			const result = await run(create('  ', [urlImage('https://example.com/x.png')]));
			expectRejectedBeforeAnyRequest(sb, result, 'Invalid "Name" in item 0: got "  "');
		});

		test('a URL Higgsfield cannot fetch', async () => {
			const result = await run(create('Jo', [urlImage('https://example.com/a.png'), urlImage('ftp://example.com/b.png')]));
			expectRejectedBeforeAnyRequest(sb, result, 'Invalid "Image 2 URL" in item 0: got "ftp://example.com/b.png"');
		});

		test('a missing binary property, even when an earlier item is fine', async () => {
			const result = await runNode({
				type: TYPE,
				credentials: { baseUrl: sb.url },
				items: [binaryItem({ data: { bytes: makePng(), mimeType: 'image/png', fileName: 'a.png' } }), { json: {} }],
				parameters: create('Kim', [binaryImage('data')]),
			});
			expectRejectedBeforeAnyRequest(sb, result, 'Invalid "Image 1 Binary Property" in item 1: got "data"');
		});

		test('a binary file that is not an image', async () => {
			const result = await runNode({
				type: TYPE,
				credentials: { baseUrl: sb.url },
				items: [binaryItem({ data: { bytes: Buffer.from('hello'), mimeType: 'text/plain', fileName: 'a.txt' } })],
				parameters: create('Lu', [binaryImage('data')]),
			});
			expectRejectedBeforeAnyRequest(sb, result, 'Invalid "Image 1 Binary Property" in item 0: got "data (text/plain)"');
		});
	});
});

describe('Get', () => {
	test('returns the character by ID', async () => {
		const seeded = await seedCharacter('Mia');
		sb.clearLog();
		const { output, error } = await run({ operation: 'get', characterId: seeded.id }, { credentials: { baseUrl: sb.url, headerScheme: 'authorizationKey' } });
		expect(error).toBeUndefined();
		expect(sb.log).toHaveLength(1);
		expect(sb.log[0]).toMatchObject({ method: 'GET', path: `/v1/custom-references/${seeded.id}`, status: 200 });
		expectAuth(sb.log[0], 'authorizationKey');
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ id: seeded.id, name: 'Mia', status: expect.stringMatching(/^(not_ready|queued|in_progress|completed)$/) });
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	test('an unknown ID is a 404 error naming the item', async () => {
		const unknown = '00000000-0000-4000-8000-000000000001';
		const { error } = await run({ operation: 'get', characterId: unknown });
		expect(error?.message).toBe(`Higgsfield found nothing at /v1/custom-references/${unknown} (404): Custom reference not found [item 0]`);
		expect(error?.httpCode).toBe('404');
	});

	test('an ID that is not a UUID is refused before any request', async () => {
		const result = await run({ operation: 'get', characterId: 'anna' });
		expectRejectedBeforeAnyRequest(sb, result, 'Invalid "Character ID" in item 0: got "anna"');
	});
});

describe('Get Many', () => {
	const TOTAL = 205;
	let created: string[];

	beforeEach(async () => {
		created = [];
		// newest first, like the service lists them; distinct timestamps keep the order stable
		for (let index = 0; index < TOTAL; index++) {
			const character = sb.characters.create({ keyId: 'hf-sandbox-key', name: `Person ${index}`, inputImages: [], seconds: 0 });
			character.createdAt = Date.now() - TOTAL + index;
			created.unshift(character.id);
		}
		// characters of another key are never listed
		sb.characters.create({ keyId: 'someone-else', name: 'Stranger', inputImages: [], seconds: 0 });
	});

	test('Return All walks every page (page_size 100)', async () => {
		const { output, error } = await run({ operation: 'getMany', returnAll: true });
		expect(error).toBeUndefined();
		expect(sb.log.map((entry) => [entry.method, entry.path, entry.query, entry.status])).toEqual([
			['GET', '/v1/custom-references/list', { page: '1', page_size: '100' }, 200],
			['GET', '/v1/custom-references/list', { page: '2', page_size: '100' }, 200],
			['GET', '/v1/custom-references/list', { page: '3', page_size: '100' }, 200],
		]);
		expect(output.map((item) => item.json.id)).toEqual(created);
		expect(output[0].json).toMatchObject({ name: `Person ${TOTAL - 1}`, status: 'completed' });
		expect(output.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('Limit reads only what it needs', async () => {
		const small = await run({ operation: 'getMany', returnAll: false, limit: 5 });
		expect(small.error).toBeUndefined();
		expect(sb.log.map((entry) => entry.query)).toEqual([{ page: '1', page_size: '5' }]);
		expect(small.output.map((item) => item.json.id)).toEqual(created.slice(0, 5));

		sb.clearLog();
		const large = await run({ operation: 'getMany', returnAll: false, limit: 150 });
		expect(sb.log.map((entry) => entry.query)).toEqual([
			{ page: '1', page_size: '100' },
			{ page: '2', page_size: '100' },
		]);
		expect(large.output.map((item) => item.json.id)).toEqual(created.slice(0, 150));
	});

	test('the default limit is 50', async () => {
		const { output } = await run({ operation: 'getMany' });
		expect(output).toHaveLength(50);
		expect(sb.log.map((entry) => entry.query)).toEqual([{ page: '1', page_size: '50' }]);
	});
});

describe('Delete', () => {
	test('deletes and returns {deleted: true} with the ID', async () => {
		const seeded = await seedCharacter('Nora');
		sb.clearLog();
		const { output, error } = await run({ operation: 'delete', characterId: seeded.id });
		expect(error).toBeUndefined();
		expect(sb.log.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['DELETE', `/v1/custom-references/${seeded.id}`, 200]]);
		expectAuth(sb.log[0], 'hfHeaders');
		expect(output).toEqual([{ json: { deleted: true, id: seeded.id }, pairedItem: { item: 0 } }]);
		expect(sb.characters.get(seeded.id)).toBeUndefined();
	});

	test('deleting an unknown character fails; Continue On Fail keeps an error item', async () => {
		const unknown = '00000000-0000-4000-8000-000000000002';
		const { output, error } = await run({ operation: 'delete', characterId: unknown }, { continueOnFail: true });
		expect(error).toBeUndefined();
		expect(output).toEqual([
			{
				json: {
					error: `Higgsfield found nothing at /v1/custom-references/${unknown} (404): Custom reference not found [item 0]`,
					error_description: expect.stringMatching(/^Check the id: .* Correlation ID: [0-9a-f-]{36}\.$/),
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});
