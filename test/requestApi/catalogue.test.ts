// The request API's catalogue, its argument checks, the Model list and the typed fields built from it.
import type { INode } from 'n8n-workflow';

import { searchModels } from '../../nodes/Higgsfield/v1/methods/listSearch';
import { argumentFields } from '../../nodes/Higgsfield/v1/methods/resourceMapping';
import { checkArguments } from '../../nodes/shared/requestApi/arguments';
import { CATALOGUE, findModel, type CatalogueModel } from '../../nodes/shared/requestApi/catalogue';
import { derivedIdempotencyKey, checkIdempotencyKey } from '../../nodes/shared/requestApi/idempotency';
import { selectedModelId } from '../../nodes/shared/requestApi/model';
import { InputChecks } from '../../nodes/shared/validation';

const node: INode = { id: 'n', name: 'Higgsfield', type: 'n8n-nodes-higgsfield.higgsfield', typeVersion: 1, position: [0, 0], parameters: {} };
const checks = (itemIndex = 0) => new InputChecks(node, itemIndex);
const model = (id: string): CatalogueModel => findModel(id) as CatalogueModel;

function failure(run: () => unknown): { message: string; description: string } {
	try {
		run();
	} catch (error) {
		return { message: (error as Error).message, description: String((error as { description?: string }).description) };
	}
	throw new Error('expected a validation error');
}

describe('catalogue', () => {
	test('every model of the contract table, each with a unique id, an output kind, a description and a required prompt', () => {
		expect(CATALOGUE.length).toBeGreaterThanOrEqual(30);
		expect(new Set(CATALOGUE.map((entry) => entry.id)).size).toBe(CATALOGUE.length);
		for (const entry of CATALOGUE) {
			expect(['image', 'video', 'audio']).toContain(entry.output);
			expect(entry.description.length).toBeGreaterThan(10);
			expect(entry.arguments.find((argument) => argument.name === 'prompt')?.required).toBe(true);
			expect(new Set(entry.arguments.map((argument) => argument.name)).size).toBe(entry.arguments.length);
		}
		for (const id of ['higgsfield-ai/soul/standard', 'higgsfield-ai/speak', 'nano-banana', 'veo3.1', 'kling-video/v2.1/pro/image-to-video', 'bytedance/seedance/v1/pro/image-to-video', 'sora-2/text-to-video', 'flux-pro/kontext/max/text-to-image', 'higgsfield-ai/popcorn/auto']) {
			expect(findModel(id)?.id).toBe(id);
		}
		expect(findModel('/nano-banana/')?.id).toBe('nano-banana');
		expect(findModel('not/a/model')).toBeUndefined();
	});

	test('the Model list is searchable and labels each model with its output kind and description', async () => {
		const all = await searchModels.call({} as never);
		expect(all.results).toHaveLength(CATALOGUE.length);
		expect(all.results[0].name).toMatch(/^Image · /);
		const kling = await searchModels.call({} as never, 'kling image');
		expect(kling.results.map((result) => result.value)).toEqual([
			'kling-video/v2.1/master/image-to-video',
			'kling-video/v2.1/pro/image-to-video',
			'kling-video/v2.1/standard/image-to-video',
			'kling-video/v2.5-turbo/pro/image-to-video',
		]);
		expect(kling.results[1].name).toBe('Video · kling-video/v2.1/pro/image-to-video — Kling 2.1 Pro: image to video');
	});

	test('typed fields: enums as options, numbers, booleans, required marked, optional ones offered to add', () => {
		const fields = argumentFields('veo3.1');
		expect(fields.map((field) => [field.id, field.type, field.required, field.removed])).toEqual([
			['prompt', 'string', true, false],
			['duration', 'options', false, true],
			['resolution', 'options', false, true],
			['aspect_ratio', 'options', false, true],
			['generate_audio', 'boolean', false, true],
		]);
		expect(fields[1].options).toEqual([
			{ name: '4', value: '4' },
			{ name: '6', value: '6' },
			{ name: '8', value: '8' },
		]);
		const kling = argumentFields('kling-video/v2.1/pro/image-to-video');
		expect(kling.find((field) => field.id === 'cfg_scale')).toMatchObject({ type: 'number', displayName: 'cfg_scale (0 to 1)' });
		expect(kling.find((field) => field.id === 'image_url')).toMatchObject({ type: 'string', required: true, displayName: 'image_url (image URL)' });
		expect(argumentFields('higgsfield-ai/speak').find((field) => field.id === 'audio_url')?.displayName).toBe('audio_url (WAV audio URL)');
		expect(argumentFields('nano-banana').find((field) => field.id === 'input_images')).toMatchObject({ type: 'array', displayName: 'input_images (image URLs, at most 8)' });
		expect(argumentFields('some/unknown-model')).toEqual([]);
	});

	test('the model of a resource locator or a plain text', () => {
		expect(selectedModelId({ __rl: true, mode: 'id', value: ' /veo3.1/ ' })).toBe('veo3.1');
		expect(selectedModelId('nano-banana')).toBe('nano-banana');
		expect(selectedModelId(undefined)).toBe('');
	});
});

describe('argument checks (before any request)', () => {
	const nano = model('nano-banana');

	test('values come back in the types the service takes; unknown arguments pass through', () => {
		expect(
			checkArguments(checks(), model('kling-video/v2.1/pro/image-to-video'), {
				prompt: 'a fox',
				image_url: 'https://example.com/fox.png',
				duration: '10',
				cfg_scale: '0.5',
				negative_prompt: '',
				something_new: { a: 1 },
			}),
		).toEqual({ prompt: 'a fox', image_url: 'https://example.com/fox.png', duration: 10, cfg_scale: 0.5, something_new: { a: 1 } });
		expect(checkArguments(checks(), nano, { prompt: 'x', input_images: 'https://a.example/1.png, https://a.example/2.png' })).toEqual({
			prompt: 'x',
			input_images: ['https://a.example/1.png', 'https://a.example/2.png'],
		});
		expect(checkArguments(checks(), model('veo3.1'), { prompt: 'x', duration: 8, generate_audio: 'true' })).toEqual({ prompt: 'x', duration: '8', generate_audio: true });
	});

	test.each([
		['required', 'kling-video/v2.1/pro/image-to-video', { prompt: 'x' }, {}, 'Invalid "image_url" in item 3: got nothing', /required by kling-video\/v2.1\/pro\/image-to-video\. Give a public https:\/\/ URL under Arguments > image_url, or a binary property under Files From Binary Data/],
		['enum', 'nano-banana', { prompt: 'x', aspect_ratio: '7:3' }, {}, 'Invalid "aspect_ratio" in item 3: got "7:3"', /nano-banana accepts: auto, 1:1, 4:3/],
		['range', 'kling-video/v2.1/pro/image-to-video', { prompt: 'x', image_url: 'https://e.com/a.png', cfg_scale: 1.5 }, {}, 'Invalid "cfg_scale" in item 3: got 1.5', /Use a number from 0 to 1/],
		['integer', 'nano-banana', { prompt: 'x', num_images: 2.5 }, {}, 'Invalid "num_images" in item 3: got 2.5', /whole number from 1 to 4/],
		['https URL', 'kling-video/v2.1/pro/image-to-video', { prompt: 'x', image_url: 'http://example.com/a.png' }, {}, 'Invalid "image_url" in item 3: got "http://example.com/a.png"', /only over https/],
		['WAV for Speak audio', 'higgsfield-ai/speak', { prompt: 'x', image_url: 'https://e.com/a.png', audio_url: 'https://e.com/voice.mp3' }, {}, 'Invalid "audio_url" in item 3: got "https://e.com/voice.mp3"', /takes WAV audio only/],
		['max length', 'kling-video/v2.1/master/text-to-video', { prompt: 'x'.repeat(2501) }, {}, 'Invalid "prompt" in item 3: got "2501 characters"', /at most 2500 characters/],
		['max items', 'nano-banana', { prompt: 'x', input_images: Array.from({ length: 7 }, (_, i) => `https://e.com/${i}.png`) }, { input_images: 2 }, 'Invalid "input_images" in item 3: got "9 entries"', /at most 8/],
		['boolean', 'veo3.1', { prompt: 'x', generate_audio: 'yes' }, {}, 'Invalid "generate_audio" in item 3: got "yes"', /true or false/],
		['URL and binary both', 'veo3.1/image-to-video', { prompt: 'x', image_url: 'https://e.com/a.png' }, { image_url: 1 }, 'Invalid "image_url" in item 3: got "https://e.com/a.png"', /given twice/],
	])('%s', (_rule, id, body, files, message, fix) => {
		const error = failure(() => checkArguments(checks(3), model(id), body, files));
		expect(error.message).toBe(message);
		expect(error.description).toMatch(fix);
	});

	test('a required media argument filled by a binary file counts as given', () => {
		expect(checkArguments(checks(), model('veo3.1/image-to-video'), { prompt: 'x' }, { image_url: 1 })).toEqual({ prompt: 'x' });
	});
});

describe('idempotency keys', () => {
	const origin = { workflowId: 'w', executionId: '41', nodeId: 'n', runIndex: 0, itemIndex: 0 };
	const content = { modelId: 'nano-banana', body: { prompt: 'x', num_images: 1 }, files: [] };

	test('the same submission gives the same key; another execution, item, run or body another', () => {
		const key = derivedIdempotencyKey(origin, content);
		expect(key).toMatch(/^n8n-[A-Za-z0-9_-]{43}$/);
		expect(derivedIdempotencyKey({ ...origin }, { ...content, body: { num_images: 1, prompt: 'x' } })).toBe(key);
		for (const other of [
			derivedIdempotencyKey({ ...origin, executionId: '42' }, content),
			derivedIdempotencyKey({ ...origin, itemIndex: 1 }, content),
			derivedIdempotencyKey({ ...origin, runIndex: 1 }, content),
			derivedIdempotencyKey(origin, { ...content, body: { prompt: 'y', num_images: 1 } }),
			derivedIdempotencyKey(origin, { ...content, webhook: 'https://n8n.example.com/webhook/x' }),
		]) {
			expect(other).not.toBe(key);
		}
	});

	test('a key given by the user: visible ASCII, 1 to 255 characters', () => {
		expect(checkIdempotencyKey(checks(), ' row-42 ')).toBe('row-42');
		expect(checkIdempotencyKey(checks(), 42)).toBe('42');
		expect(checkIdempotencyKey(checks(), '')).toBeUndefined();
		expect(failure(() => checkIdempotencyKey(checks(1), 'row 42')).message).toBe('Invalid "Idempotency Key" in item 1: got "row 42"');
		expect(failure(() => checkIdempotencyKey(checks(1), 'x'.repeat(256))).description).toMatch(/1 to 255 visible ASCII/);
	});
});
