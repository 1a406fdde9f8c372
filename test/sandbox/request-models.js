// @ts-check
'use strict';
/**
 * The request API's models as DATA (contract: Higgsfield's model-request API documentation, "Known
 * models"). One entry per model id: its output kind and its arguments as small JSON-Schema-like
 * specs (`type`, `required`, `enum`, `minimum`/`maximum`, `maxLength`, `maxItems`, `items`,
 * `format`: uri | uuid | wav). request-validation.js turns them into FastAPI 422 lists for
 * `higgsfield-ai/*` models and JSON-Schema 400 texts for partner models. Arguments not listed are
 * ignored (the service runs such requests on defaults). Extend here (or at run time with the
 * `extraModels` option); nothing else in the sandbox names a model.
 */

/**
 * @typedef {{type?: string, required?: boolean, enum?: any[],
 *   minimum?: number, maximum?: number, maxLength?: number, minLength?: number, maxItems?: number,
 *   format?: string, items?: ArgSpec, properties?: Record<string, ArgSpec>}} ArgSpec
 *   type: string | integer | number | boolean | array | object; format: uri | uuid | wav
 * @typedef {{id: string, output: string, description?: string,
 *   args: Record<string, ArgSpec>, price?: number}} ModelSpec
 *   output: images | video | audio | audios (the status body's output field)
 */

const ASPECT_RATIOS = ['1:1', '4:3', '3:4', '3:2', '2:3', '5:4', '4:5', '16:9', '9:16', '21:9'];
const url = { type: 'string', format: 'uri' };
const prompt = { type: 'string', required: true };
const req = (/** @type {ArgSpec} */ s) => ({ ...s, required: true });

const soulBase = {
	prompt,
	aspect_ratio: { type: 'string', enum: ASPECT_RATIOS },
	resolution: { type: 'string', enum: ['720p', '1080p'] },
	batch_size: { type: 'integer', enum: [1, 4] },
	num_images: { type: 'integer', minimum: 1, maximum: 4 },
	seed: { type: 'integer', minimum: 0, maximum: 1000000 },
	style_id: { type: 'string', format: 'uuid' },
	enhance_prompt: { type: 'boolean' },
};
const dop = {
	prompt,
	image_url: req(url),
	end_image_url: url,
	motions: {
		type: 'array',
		maxItems: 2,
		items: { type: 'object', properties: { id: { type: 'string', format: 'uuid', required: true }, strength: { type: 'number', minimum: 0, maximum: 1 } } },
	},
	seed: { type: 'integer', minimum: 1, maximum: 1000000 },
	enhance_prompt: { type: 'boolean' },
};
const klingI2v = {
	prompt,
	image_url: req(url),
	duration: { type: 'integer', enum: [5, 10] },
	cfg_scale: { type: 'number', minimum: 0, maximum: 1 },
	negative_prompt: { type: 'string' },
};
const seedance = {
	prompt,
	duration: { type: 'integer', minimum: 2, maximum: 12 },
	resolution: { type: 'string', enum: ['480', '720', '1080'] },
	aspect_ratio: { type: 'string' },
	camera_fixed: { type: 'boolean' },
};
const veo = {
	prompt,
	duration: { type: 'string', enum: ['4', '6', '8'] },
	resolution: { type: 'string', enum: ['720', '1080'] },
	aspect_ratio: { type: 'string', enum: ['16:9', '9:16'] },
	generate_audio: { type: 'boolean' },
};
const sora = { prompt, duration: { type: 'integer', enum: [4, 8, 12] } };
const hailuo = {
	prompt,
	duration: { type: 'integer', enum: [6, 10] },
	resolution: { type: 'string', enum: ['512P', '768P'] },
	prompt_optimizer: { type: 'boolean' },
};

/** @type {ModelSpec[]} */
const MODELS = [
	{ id: 'higgsfield-ai/soul/standard', output: 'images', description: 'Soul: photoreal text to image', args: soulBase },
	{
		id: 'higgsfield-ai/soul/character',
		output: 'images',
		description: 'Soul with a trained character',
		args: {
			...soulBase,
			custom_reference_id: { type: 'string', format: 'uuid', required: true },
			custom_reference_strength: { type: 'number', minimum: 0, maximum: 1, required: true },
			style_strength: { type: 'number', minimum: 0, maximum: 1 },
			image_reference_url: url,
		},
	},
	{ id: 'higgsfield-ai/soul/reference', output: 'images', description: 'Soul guided by a reference image', args: { ...soulBase, image_reference_url: req(url) } },
	{ id: 'higgsfield-ai/dop/lite', output: 'video', description: 'DoP lite: image to video', args: dop },
	{ id: 'higgsfield-ai/dop/turbo', output: 'video', description: 'DoP turbo: image to video', args: dop },
	{ id: 'higgsfield-ai/dop/standard', output: 'video', description: 'DoP standard: image to video', args: dop },
	{
		id: 'higgsfield-ai/speak',
		output: 'video',
		description: 'Speak: talking video from an image and WAV audio',
		args: {
			prompt,
			image_url: req(url),
			audio_url: { type: 'string', format: 'wav', required: true },
			quality: { type: 'string', enum: ['mid', 'high'] },
			duration: { type: 'integer', enum: [5, 10, 15] },
			enhance_prompt: { type: 'boolean' },
			seed: { type: 'integer', minimum: 1, maximum: 1000000 },
		},
	},
	{
		id: 'higgsfield-ai/popcorn/auto',
		output: 'images',
		description: 'Popcorn: consistent image sets',
		args: {
			prompt,
			image_urls: { type: 'array', maxItems: 8, items: url },
			num_images: { type: 'integer', minimum: 1, maximum: 8 },
			resolution: { type: 'string', enum: ['720p', '1600p'] },
			aspect_ratio: { type: 'string', enum: ASPECT_RATIOS },
			seed: { type: 'integer', minimum: 0, maximum: 1000000 },
		},
	},
	{ id: 'kling-video/v2.1/pro/image-to-video', output: 'video', description: 'Kling 2.1 pro: image to video', args: klingI2v },
	{ id: 'kling-video/v2.1/master/image-to-video', output: 'video', description: 'Kling 2.1 master: image to video', args: klingI2v },
	{ id: 'kling-video/v2.1/standard/image-to-video', output: 'video', description: 'Kling 2.1 standard: image to video', args: klingI2v },
	{ id: 'kling-video/v2.5-turbo/pro/image-to-video', output: 'video', description: 'Kling 2.5 turbo pro: image to video', args: klingI2v },
	{
		id: 'kling-video/v2.1/master/text-to-video',
		output: 'video',
		description: 'Kling 2.1 master: text to video',
		args: {
			prompt: { type: 'string', required: true, maxLength: 2500 },
			duration: { type: 'integer', enum: [5, 10] },
			aspect_ratio: { type: 'string', enum: ['1:1', '16:9', '9:16'] },
			cfg_scale: { type: 'number', minimum: 0, maximum: 1 },
			negative_prompt: { type: 'string' },
		},
	},
	{ id: 'bytedance/seedance/v1/pro/image-to-video', output: 'video', description: 'Seedance pro: image to video', args: { ...seedance, image_url: req(url) } },
	{ id: 'bytedance/seedance/v1/lite/image-to-video', output: 'video', description: 'Seedance lite: image to video', args: { ...seedance, image_url: req(url) } },
	{ id: 'bytedance/seedance/v1/pro/text-to-video', output: 'video', description: 'Seedance pro: text to video', args: seedance },
	{ id: 'bytedance/seedance/v1/lite/text-to-video', output: 'video', description: 'Seedance lite: text to video', args: seedance },
	{ id: 'veo3.1', output: 'video', description: 'Veo 3.1: text to video (with sound)', args: veo },
	{ id: 'veo3.1/fast', output: 'video', description: 'Veo 3.1 fast: text to video', args: veo },
	{ id: 'veo3.1/image-to-video', output: 'video', description: 'Veo 3.1: image to video', args: { ...veo, image_url: req(url) } },
	{ id: 'veo3.1/fast/image-to-video', output: 'video', description: 'Veo 3.1 fast: image to video', args: { ...veo, image_url: req(url) } },
	{
		id: 'veo3.1/first-last-frame-to-video',
		output: 'video',
		description: 'Veo 3.1: from a first to a last frame',
		args: { ...veo, first_frame_url: req(url), last_frame_url: req(url) },
	},
	{
		id: 'nano-banana',
		output: 'images',
		description: 'nano-banana: text/image to image',
		args: {
			prompt,
			num_images: { type: 'integer', minimum: 1, maximum: 4 },
			aspect_ratio: { type: 'string', enum: ['auto', ...ASPECT_RATIOS] },
			input_images: { type: 'array', maxItems: 8, items: url },
			output_format: { type: 'string', enum: ['jpeg', 'png'] },
		},
	},
	{
		id: 'flux-pro/kontext/max/text-to-image',
		output: 'images',
		description: 'FLUX Kontext max: text to image',
		args: { prompt, aspect_ratio: { type: 'string' }, safety_tolerance: { type: 'integer', minimum: 0, maximum: 6 }, seed: { type: 'integer' } },
	},
	{ id: 'sora-2/text-to-video', output: 'video', description: 'Sora 2: text to video', args: sora },
	{ id: 'sora-2/image-to-video', output: 'video', description: 'Sora 2: image to video', args: { ...sora, image_url: req(url) } },
	{ id: 'sora-2/pro/text-to-video', output: 'video', description: 'Sora 2 pro: text to video', args: sora },
	{ id: 'sora-2/pro/image-to-video', output: 'video', description: 'Sora 2 pro: image to video', args: { ...sora, image_url: req(url) } },
	{ id: 'minimax/hailuo-02/standard/text-to-video', output: 'video', description: 'Hailuo 02: text to video', args: hailuo },
	{ id: 'minimax/hailuo-02/standard/image-to-video', output: 'video', description: 'Hailuo 02: image to video', args: { ...hailuo, image_url: req(url) } },
	{ id: 'minimax/hailuo-02/pro/image-to-video', output: 'video', description: 'Hailuo 02 pro: image to video', args: { ...hailuo, image_url: req(url) } },
	// Audio: the contract's table has no audio model yet, but the status body can carry `audio` /
	// `audios`. This sandbox-only id lets tests exercise that output kind (WAV files).
	{
		id: 'sandbox/audio/text-to-speech',
		output: 'audio',
		description: 'Sandbox only: text to WAV speech (the audio output kind)',
		args: { prompt, duration: { type: 'integer', minimum: 1, maximum: 30 } },
	},
];

/** Higgsfield's own models answer 422 FastAPI lists; partner models 400 JSON-Schema text. @param {string} id */
const isHiggsfieldModel = (id) => id.startsWith('higgsfield-ai/');

/**
 * The model table (built-in plus `extra`, later entries win).
 * @param {ModelSpec[]} [extra]
 * @returns {Map<string, ModelSpec>}
 */
function modelTable(extra = []) {
	const m = new Map();
	for (const spec of [...MODELS, ...(Array.isArray(extra) ? extra : [])]) m.set(spec.id, spec);
	return m;
}

module.exports = { MODELS, modelTable, isHiggsfieldModel, ASPECT_RATIOS };
