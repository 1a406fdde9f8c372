// Every input check of every node, table-driven, in real executions against the sandbox: the
// error names the field, the value and the item, says how to fix it, and NO request was made.
// For the generation nodes the bad value sits in item 1 behind a good item 0: every item is
// checked before anything is sent, so not even the good item reaches the (paid) service.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from './helpers/n8n';
import { MOTIONS, makePng, makeWav, startSandbox } from './sandbox';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.2 });
});
afterAll(async () => await sb.close());
beforeEach(() => sb.clearLog());

const FROM_ITEM = '={{ $json.v }}';
const UUID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const file = (bytes: Buffer, mimeType: string, fileName: string) => ({ data: bytes.toString('base64'), mimeType, fileName });
const PNG = file(makePng(), 'image/png', 'face.png');
const WAV = file(makeWav(), 'audio/wav', 'voice.wav');
const MP3 = file(Buffer.from('ID3fake'), 'audio/mpeg', 'voice.mp3');
const TEXT = file(Buffer.from('hello'), 'text/plain', 'notes.txt');

/** A good item 0 and a bad item 1 (the value read by `={{ $json.v }}`). */
const goodThenBad = (good: unknown, bad: unknown): INodeExecutionData[] => [{ json: { v: good } as IDataObject }, { json: { v: bad } as IDataObject }];
const binaries = (...perItem: Array<Record<string, ReturnType<typeof file>>>): INodeExecutionData[] => perItem.map((binary) => ({ json: {}, binary }));

const NODES = {
	soul: { type: 'higgsfieldSoulImage', base: { operation: 'generate', prompt: 'a fox', widthAndHeight: '1536x1536', quality: '720p' } },
	dop: { type: 'higgsfieldImageToVideo', base: { operation: 'generate', model: 'dop-lite', prompt: 'it turns', startImageUrl: 'https://example.com/start.png' } },
	speak: {
		type: 'higgsfieldSpeak',
		base: { operation: 'generate', prompt: 'a presenter', imageUrl: 'https://example.com/face.png', audioUrl: 'https://example.com/voice.wav', quality: 'mid', duration: 5 },
	},
	characters: { type: 'higgsfieldCharacters', base: { operation: 'create', name: 'Anna', images: { image: [{ imageSource: 'url', imageUrl: 'https://example.com/anna.png' }] } } },
	getJobSet: { type: 'higgsfieldGetJobSet', base: {} },
} as const;

interface Case {
	node: keyof typeof NODES;
	parameters: IDataObject;
	items?: INodeExecutionData[];
	credentials?: IDataObject;
	field: string;
	/** the value as the message shows it */
	shown: string;
	item: number;
	/** how to fix it */
	fix: RegExp;
}

const HTTPS_FIX = /^Higgsfield connects to this address itself and only over https\. Use a public https:\/\/ URL, e\.g\. https:\/\/example\.com\/file\.png, or switch the input to a binary file\.$/;
const SEED_FIX = (min: number) => new RegExp(`^Use a (whole )?number from ${min} to 1000000\\.$`);
const STRENGTH_FIX = /^Use a number from 0 to 1\.$/;
const UUID_FIX = /^Pick an entry from the list, or give its ID \(a UUID such as [0-9a-f-]{36}\)\.$/;

const CASES: Array<[string, Case]> = [
	// required fields
	['Soul: empty prompt', { node: 'soul', parameters: { prompt: FROM_ITEM }, items: goodThenBad('a fox', ''), field: 'Prompt', shown: 'an empty text', item: 1, fix: /^"Prompt" is required: enter a text\.$/ }],
	['Soul: a prompt that is not text', { node: 'soul', parameters: { prompt: FROM_ITEM }, items: goodThenBad('a fox', { a: 1 }), field: 'Prompt', shown: '{"a":1}', item: 1, fix: /^Enter a text for "Prompt"\.$/ }],
	['Speak: blank prompt', { node: 'speak', parameters: { prompt: FROM_ITEM }, items: goodThenBad('hi', '   '), field: 'Prompt', shown: '"   "', item: 1, fix: /^"Prompt" is required: enter a text\.$/ }],
	['Image to Video: no start image URL', { node: 'dop', parameters: { startImageUrl: FROM_ITEM }, items: goodThenBad('https://example.com/a.png', ''), field: 'Start Image URL', shown: 'an empty text', item: 1, fix: /^"Start Image URL" is required\. Use a public https:\/\/ URL/ }],
	// (a literal empty required field never runs: n8n refuses the workflow; an expression can still give "")
	['Characters: empty name', { node: 'characters', parameters: { name: '={{ "" }}' }, field: 'Name', shown: 'an empty text', item: 0, fix: /^"Name" is required: enter a text\.$/ }],
	['Characters: no image', { node: 'characters', parameters: { images: {} }, field: 'Images', shown: '[]', item: 0, fix: /^Add at least one image/ }],
	['Get Job Set: not a job set ID', { node: 'getJobSet', parameters: { jobSetId: 'nope' }, field: 'Job Set ID', shown: '"nope"', item: 0, fix: UUID_FIX }],
	['Characters: not a character ID', { node: 'characters', parameters: { operation: 'get', characterId: 'anna' }, field: 'Character ID', shown: '"anna"', item: 0, fix: UUID_FIX }],
	// allowed values
	['Soul: a size Soul does not make', { node: 'soul', parameters: { widthAndHeight: FROM_ITEM }, items: goodThenBad('2048x2048', '1024x1024'), field: 'Size', shown: '"1024x1024"', item: 1, fix: /^Use one of: 1152x2048, 2048x1152, .*, 2048x2048\.$/ }],
	['Soul: quality 4k', { node: 'soul', parameters: { quality: '4k' }, field: 'Quality', shown: '"4k"', item: 0, fix: /^Use one of: 720p, 1080p\.$/ }],
	['Soul: batch of 3', { node: 'soul', parameters: { additionalFields: { batchSize: FROM_ITEM } }, items: goodThenBad(4, 3), field: 'Batch Size', shown: '3', item: 1, fix: /^Use one of: 1, 4\.$/ }],
	['Image to Video: an unknown model', { node: 'dop', parameters: { model: 'dop-standard' }, field: 'Model', shown: '"dop-standard"', item: 0, fix: /^Use one of: dop-lite, dop-preview, dop-turbo\.$/ }],
	['Speak: duration 7', { node: 'speak', parameters: { duration: FROM_ITEM }, items: goodThenBad(10, 7), field: 'Duration', shown: '7', item: 1, fix: /^Use one of: 5, 10, 15\.$/ }],
	['Speak: quality low', { node: 'speak', parameters: { quality: 'low' }, field: 'Quality', shown: '"low"', item: 0, fix: /^Use one of: high, mid\.$/ }],
	['Soul: enhance prompt "yes"', { node: 'soul', parameters: { additionalFields: { enhancePrompt: 'yes' } }, field: 'Enhance Prompt', shown: '"yes"', item: 0, fix: /^Use true or false\.$/ }],
	['Image to Video: check NSFW "maybe"', { node: 'dop', parameters: { additionalFields: { checkNsfw: 'maybe' } }, field: 'Check NSFW', shown: '"maybe"', item: 0, fix: /^Use true or false\.$/ }],
	['Soul: a style that is not an ID', { node: 'soul', parameters: { additionalFields: { styleId: 'cinematic' } }, field: 'Style', shown: '"cinematic"', item: 0, fix: UUID_FIX }],
	['Soul: a character that is not an ID', { node: 'soul', parameters: { additionalFields: { characterId: FROM_ITEM } }, items: goodThenBad(UUID, 'anna'), field: 'Character', shown: '"anna"', item: 1, fix: UUID_FIX }],
	// strengths 0..1
	['Soul: style strength 1.5', { node: 'soul', parameters: { additionalFields: { styleStrength: FROM_ITEM } }, items: goodThenBad(1, 1.5), field: 'Style Strength', shown: '1.5', item: 1, fix: STRENGTH_FIX }],
	['Soul: character strength -0.1', { node: 'soul', parameters: { additionalFields: { characterStrength: -0.1 } }, field: 'Character Strength', shown: '-0.1', item: 0, fix: STRENGTH_FIX }],
	['Image to Video: motion strength 1.5', { node: 'dop', parameters: { motions: { motion: [{ motionId: MOTIONS[0].id, strength: FROM_ITEM }] } }, items: goodThenBad(0, 1.5), field: 'Motion 1 Strength', shown: '1.5', item: 1, fix: STRENGTH_FIX }],
	// seed ranges (Soul and DoP 0..1000000, Speak 1..1000000)
	['Soul: seed -1', { node: 'soul', parameters: { additionalFields: { seed: FROM_ITEM } }, items: goodThenBad(0, -1), field: 'Seed', shown: '-1', item: 1, fix: SEED_FIX(0) }],
	['Soul: seed 1.5', { node: 'soul', parameters: { additionalFields: { seed: 1.5 } }, field: 'Seed', shown: '1.5', item: 0, fix: /^Use a whole number from 0 to 1000000\.$/ }],
	['Image to Video: seed 1000001', { node: 'dop', parameters: { additionalFields: { seed: FROM_ITEM } }, items: goodThenBad(1_000_000, 1_000_001), field: 'Seed', shown: '1000001', item: 1, fix: SEED_FIX(0) }],
	['Speak: seed 0', { node: 'speak', parameters: { additionalFields: { seed: FROM_ITEM } }, items: goodThenBad(1, 0), field: 'Seed', shown: '0', item: 1, fix: SEED_FIX(1) }],
	// at most 2 motions, each an ID
	['Image to Video: three motions', { node: 'dop', parameters: { motions: { motion: MOTIONS.slice(0, 3).map((motion: { id: string }) => ({ motionId: motion.id, strength: 1 })) } }, field: 'Motions', shown: '"3 motions"', item: 0, fix: /^Give at most 2 motions\.$/ }],
	['Image to Video: a motion that is not an ID', { node: 'dop', parameters: { motions: { motion: [{ motionId: FROM_ITEM }] } }, items: goodThenBad(MOTIONS[1].id, 'dolly-in'), field: 'Motion 1', shown: '"dolly-in"', item: 1, fix: UUID_FIX }],
	// URLs the service fetches: https only (loopback http allowed for the sandbox)
	['Image to Video: an http start image URL', { node: 'dop', parameters: { startImageUrl: FROM_ITEM }, items: goodThenBad('http://127.0.0.1:9/a.png', 'http://example.com/a.png'), field: 'Start Image URL', shown: '"http://example.com/a.png"', item: 1, fix: HTTPS_FIX }],
	['Soul: an image reference that is not a URL', { node: 'soul', parameters: { imageReferenceSource: 'url', imageReferenceUrl: 'example.com/a.png' }, field: 'Image Reference URL', shown: '"example.com/a.png"', item: 0, fix: /^This is not a complete URL\. Use a public https:\/\/ URL/ }],
	['Speak: an ftp image URL', { node: 'speak', parameters: { imageUrl: 'ftp://example.com/face.png' }, field: 'Image URL', shown: '"ftp://example.com/face.png"', item: 0, fix: /^Higgsfield cannot fetch a ftp: address\. Use a public https:\/\/ URL/ }],
	['Characters: an http image URL', { node: 'characters', parameters: { images: { image: [{ imageSource: 'url', imageUrl: 'http://example.com/anna.png' }] } }, field: 'Image 1 URL', shown: '"http://example.com/anna.png"', item: 0, fix: HTTPS_FIX }],
	['Send Webhook: an http webhook URL', { node: 'soul', parameters: { completion: 'webhook', webhookUrl: 'http://n8n.example.com/webhook/x', webhookSecret: 's3cret-value' }, field: 'Webhook URL', shown: '"http://n8n.example.com/webhook/x"', item: 0, fix: /^Higgsfield connects to this address itself and only over https\. Use a public https:\/\/ URL, e\.g\. https:\/\/example\.com\/file\.png\.$/ }],
	['Send Webhook: no secret in the node or the credential', { node: 'soul', parameters: { completion: 'webhook', webhookUrl: 'https://n8n.example.com/webhook/x' }, field: 'Webhook Secret', shown: 'an empty text', item: 0, fix: /^Set a Webhook Secret in the Higgsfield credential/ }],
	// WAV for Speak audio
	['Speak: an MP3 audio URL', { node: 'speak', parameters: { audioUrl: FROM_ITEM }, items: goodThenBad('https://example.com/a.wav', 'https://example.com/voice.mp3'), field: 'Audio URL', shown: '"https://example.com/voice.mp3"', item: 1, fix: /^Give a URL of a WAV file \(MP3 is not accepted by Higgsfield: convert it to WAV first\)\.$/ }],
	['Speak: an M4A audio URL', { node: 'speak', parameters: { audioUrl: 'https://example.com/voice.m4a' }, field: 'Audio URL', shown: '"https://example.com/voice.m4a"', item: 0, fix: /^Give a URL of a WAV file/ }],
	['Speak: MP3 binary audio', { node: 'speak', parameters: { audioSource: 'binary' }, items: binaries({ data: WAV }, { data: MP3 }), field: 'Audio Binary Property', shown: '"data (audio/mpeg)"', item: 1, fix: /^The file "voice\.mp3" in "data" is audio\/mpeg\. Give a WAV file \(MP3 is not accepted/ }],
	// binary property present and of an accepted type
	['Speak: no such binary property', { node: 'speak', parameters: { audioSource: 'binary', audioBinaryProperty: 'voice' }, items: binaries({ voice: WAV }, { data: WAV }), field: 'Audio Binary Property', shown: '"voice"', item: 1, fix: /^Item 1 has no binary property "voice" \(it has: data\)\. Give the name of a binary property of the incoming item \(see its Binary tab\), or switch the input to a URL\.$/ }],
	['Image to Video: an item without binary data', { node: 'dop', parameters: { startImageSource: 'binary' }, items: [...binaries({ data: PNG }), { json: {} }], field: 'Start Image Binary Property', shown: '"data"', item: 1, fix: /\(it has no binary data\)/ }],
	['Image to Video: a start image that is audio', { node: 'dop', parameters: { startImageSource: 'binary' }, items: binaries({ data: PNG }, { data: WAV }), field: 'Start Image Binary Property', shown: '"data (audio/wav)"', item: 1, fix: /^The file "voice\.wav" in "data" is audio\/wav\. Give a JPEG, PNG, WebP or GIF image\.$/ }],
	['Soul: an image reference that is a text file', { node: 'soul', parameters: { imageReferenceSource: 'binary' }, items: binaries({ data: TEXT }), field: 'Image Reference Binary Property', shown: '"data (text/plain)"', item: 0, fix: /Give a JPEG, PNG, WebP or GIF image\.$/ }],
	['Speak: an image binary property left empty', { node: 'speak', parameters: { imageSource: 'binary', imageBinaryProperty: FROM_ITEM }, items: [{ json: { v: '' }, binary: { data: PNG } }], field: 'Image Binary Property', shown: 'an empty text', item: 0, fix: /required/ }],
	// waiting options
	['Soul: Max Concurrent Jobs 0', { node: 'soul', parameters: { options: { maxConcurrentJobs: 0 } }, field: 'Max Concurrent Jobs', shown: '0', item: 0, fix: /^Use a number from 1 to 16\.$/ }],
	['Soul: Poll Interval 0', { node: 'soul', parameters: { options: { pollInterval: 0 } }, field: 'Poll Interval (Seconds)', shown: '0', item: 0, fix: /^Use a number from 0\.1 to 3600\.$/ }],
	['Speak: Timeout 0', { node: 'speak', parameters: { options: { timeoutMinutes: 0 } }, field: 'Timeout (Minutes)', shown: '0', item: 0, fix: /^Use a number from 0\.01 to 1440\.$/ }],
	['Characters: Limit 0', { node: 'characters', parameters: { operation: 'getMany', returnAll: false, limit: 0 }, field: 'Limit', shown: '0', item: 0, fix: /^Use a number from 1 to / }],
];

describe.each(CASES)('%s', (_name, check) => {
	const run = (continueOnFail: boolean) =>
		runNode({
			type: NODES[check.node].type,
			parameters: { ...NODES[check.node].base, ...check.parameters },
			credentials: { baseUrl: sb.url, ...check.credentials } as never,
			items: check.items,
			continueOnFail,
		});

	test('names the field, the value and the item, says how to fix it, and sends nothing', async () => {
		const { error, output } = await run(false);
		expect(error?.message).toBe(`Invalid "${check.field}" in item ${check.item}: got ${check.shown}`);
		expect(error?.description).toMatch(check.fix);
		expect(error?.description).toMatch(/\.$/);
		expect((error?.context as IDataObject | undefined)?.itemIndex).toBe(check.item);
		expect(output).toEqual([]);
		expect(sb.log).toEqual([]);
	});
});

test('Continue On Fail: the bad item gets the error, the good ones are still generated (N in, N out)', async () => {
	const result = await runNode({
		type: 'higgsfieldSoulImage',
		parameters: { ...NODES.soul.base, prompt: FROM_ITEM, download: 'none', options: { pollInterval: 0.1 } },
		credentials: { baseUrl: sb.url },
		items: [{ json: { v: 'one' } }, { json: { v: '' } }, { json: { v: 'three' } }],
		continueOnFail: true,
	});
	expect(result.output).toHaveLength(3);
	expect(result.output[1]).toEqual({
		json: { error: 'Invalid "Prompt" in item 1: got an empty text', error_description: '"Prompt" is required: enter a text.' },
		pairedItem: { item: 1 },
	});
	expect([result.output[0].json.status, result.output[2].json.status]).toEqual(['completed', 'completed']);
	// the bad item was never sent
	expect(sb.acceptedSubmissions().map((entry) => entry.body.params.prompt).sort()).toEqual(['one', 'three']);
});
