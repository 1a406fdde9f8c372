/**
 * The models the package knows, as data: one entry per model id, with its output kind, a one-line
 * description and its arguments. The Higgsfield node builds its Model list, its typed argument
 * fields and its checks from this file alone.
 *
 * To add a model: add one entry (copy a similar one). Arguments:
 * - `type`: string | number | integer | boolean | json (objects and lists of objects);
 *   a media input is `type: 'string'` (one URL) or `type: 'list'` (several URLs) with `media`;
 * - `required`, `options` (the values the service accepts), `min`/`max` (numbers),
 *   `maxLength` (text), `maxItems` (lists), `media` ('image' | 'audio' | 'video': a URL, or a binary
 *   file of the item uploaded first), `wav` (audio must be WAV), `description`.
 * Any model id also works without an entry ("By ID"); its body is then sent unchecked.
 *
 * Source: the contract's table (a 2026 OpenAPI snapshot of docs.higgsfield.ai). Where sources
 * disagree, the entry says so in `note`. Higgsfield is redesigning model schemas: every form also
 * takes "Extra Arguments (JSON)" for what is not described here.
 */

export type OutputKind = 'image' | 'video' | 'audio';
export type ArgumentType = 'string' | 'number' | 'integer' | 'boolean' | 'list' | 'json';
export type MediaKind = 'image' | 'audio' | 'video';

export interface ModelArgument {
	name: string;
	type: ArgumentType;
	required?: boolean;
	options?: ReadonlyArray<string | number>;
	min?: number;
	max?: number;
	maxLength?: number;
	maxItems?: number;
	media?: MediaKind;
	/** the audio must be a WAV file */
	wav?: boolean;
	description?: string;
}

export interface CatalogueModel {
	id: string;
	output: OutputKind;
	/** one line, shown in the Model list */
	description: string;
	arguments: readonly ModelArgument[];
	/** what is uncertain about this entry */
	note?: string;
}

// ---- argument fragments shared by several models ----
const prompt: ModelArgument = { name: 'prompt', type: 'string', required: true, description: 'What to generate, in plain words' };
const seed: ModelArgument = { name: 'seed', type: 'integer', min: 0, max: 1_000_000, description: 'Fixed seed for repeatable results' };
const enhancePrompt: ModelArgument = { name: 'enhance_prompt', type: 'boolean', description: 'Whether Higgsfield rewrites the prompt to add detail' };
const negativePrompt: ModelArgument = { name: 'negative_prompt', type: 'string', description: 'What to avoid' };
const imageUrl = (description: string, required = true): ModelArgument => ({ name: 'image_url', type: 'string', media: 'image', required, description });

const SOUL_ASPECT_RATIOS = ['1:1', '4:3', '3:4', '3:2', '2:3', '5:4', '4:5', '16:9', '9:16', '21:9'];
const soul: ModelArgument[] = [
	prompt,
	{ name: 'aspect_ratio', type: 'string', options: SOUL_ASPECT_RATIOS },
	{ name: 'resolution', type: 'string', options: ['720p', '1080p'] },
	{ name: 'batch_size', type: 'integer', options: [1, 4], description: 'How many images (1 or 4)' },
	seed,
	{ name: 'style_id', type: 'string', description: 'A Soul style preset id (uuid)' },
	enhancePrompt,
];
const SOUL_NOTE = 'resolution: one source also lists 2K and 4K; batch_size: one source says num_images 1..4.';

const dop: ModelArgument[] = [
	prompt,
	imageUrl('The image to animate'),
	{ name: 'end_image_url', type: 'string', media: 'image', description: 'An optional last frame' },
	{ name: 'motions', type: 'json', maxItems: 2, description: 'Up to 2 motions: [{"id": "<motion id>", "strength": 0.5}]' },
	{ ...seed, min: 1 },
	enhancePrompt,
];

const klingImageToVideo: ModelArgument[] = [
	prompt,
	imageUrl('The image to animate'),
	{ name: 'duration', type: 'integer', options: [5, 10], description: 'Seconds' },
	{ name: 'cfg_scale', type: 'number', min: 0, max: 1, description: 'How closely the video follows the prompt' },
	negativePrompt,
];

const seedanceTextToVideo: ModelArgument[] = [
	prompt,
	{ name: 'duration', type: 'integer', min: 2, max: 12, description: 'Seconds' },
	{ name: 'resolution', type: 'string', options: ['480', '720', '1080'] },
	{ name: 'aspect_ratio', type: 'string', options: ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'] },
	{ name: 'camera_fixed', type: 'boolean', description: 'Whether the camera stays still' },
];
const seedanceImageToVideo: ModelArgument[] = [prompt, imageUrl('The first frame'), ...seedanceTextToVideo.slice(1)];

const veo: ModelArgument[] = [
	prompt,
	{ name: 'duration', type: 'string', options: ['4', '6', '8'], description: 'Seconds' },
	{ name: 'resolution', type: 'string', options: ['720', '1080'] },
	{ name: 'aspect_ratio', type: 'string', options: ['16:9', '9:16'] },
	{ name: 'generate_audio', type: 'boolean', description: 'Whether the video gets sound' },
];

const sora: ModelArgument[] = [prompt, { name: 'duration', type: 'integer', options: [4, 8, 12], description: 'Seconds' }];

const hailuo: ModelArgument[] = [
	prompt,
	{ name: 'duration', type: 'integer', options: [6, 10], description: 'Seconds' },
	{ name: 'resolution', type: 'string', options: ['512P', '768P'] },
	{ name: 'prompt_optimizer', type: 'boolean', description: 'Whether the prompt is optimised first' },
];
const SORA_PRO_NOTE = 'The contract writes the Pro variants as "(/pro)"; the exact ids are unconfirmed.';
const HAILUO_NOTE = 'The contract names only the prefix minimax/hailuo-02/...; the full ids are unconfirmed.';

export const CATALOGUE: readonly CatalogueModel[] = [
	// ---- images ----
	{ id: 'higgsfield-ai/soul/standard', output: 'image', description: 'Higgsfield Soul: photoreal images from a prompt', arguments: soul, note: SOUL_NOTE },
	{
		id: 'higgsfield-ai/soul/character',
		output: 'image',
		description: 'Soul with a trained Soul ID character',
		arguments: [
			...soul,
			{ name: 'custom_reference_id', type: 'string', required: true, description: 'The Soul ID character (uuid)' },
			{ name: 'custom_reference_strength', type: 'number', required: true, min: 0, max: 1 },
			{ name: 'style_strength', type: 'number', min: 0, max: 1 },
			{ name: 'image_reference_url', type: 'string', media: 'image', description: 'An image whose look the result follows' },
		],
		note: SOUL_NOTE,
	},
	{
		id: 'higgsfield-ai/soul/reference',
		output: 'image',
		description: 'Soul following a reference image',
		arguments: [...soul, { name: 'image_reference_url', type: 'string', media: 'image', required: true, description: 'The reference image' }],
		note: SOUL_NOTE,
	},
	{
		id: 'higgsfield-ai/popcorn/auto',
		output: 'image',
		description: 'Higgsfield Popcorn: consistent image sets from references',
		arguments: [
			prompt,
			{ name: 'image_urls', type: 'list', media: 'image', maxItems: 8, description: 'Up to 8 reference images' },
			{ name: 'num_images', type: 'integer', min: 1, max: 8 },
			{ name: 'resolution', type: 'string', options: ['720p', '1600p'] },
			{ name: 'aspect_ratio', type: 'string', options: SOUL_ASPECT_RATIOS },
			seed,
		],
	},
	{
		id: 'nano-banana',
		output: 'image',
		description: "Google's nano-banana: images from a prompt, or edits of input images",
		arguments: [
			prompt,
			{ name: 'num_images', type: 'integer', min: 1, max: 4 },
			{ name: 'aspect_ratio', type: 'string', options: ['auto', ...SOUL_ASPECT_RATIOS] },
			{ name: 'input_images', type: 'list', media: 'image', maxItems: 8, description: 'Up to 8 images to edit or combine' },
			{ name: 'output_format', type: 'string', options: ['jpeg', 'png'] },
		],
	},
	{
		id: 'flux-pro/kontext/max/text-to-image',
		output: 'image',
		description: 'FLUX.1 Kontext [max]: text to image',
		arguments: [
			prompt,
			{ name: 'aspect_ratio', type: 'string', options: SOUL_ASPECT_RATIOS },
			{ name: 'safety_tolerance', type: 'integer', min: 0, max: 6 },
			seed,
		],
	},
	// ---- video ----
	{ id: 'higgsfield-ai/dop/lite', output: 'video', description: 'Higgsfield DoP Lite: image to video, fastest', arguments: dop },
	{ id: 'higgsfield-ai/dop/turbo', output: 'video', description: 'Higgsfield DoP Turbo: image to video', arguments: dop },
	{ id: 'higgsfield-ai/dop/standard', output: 'video', description: 'Higgsfield DoP Standard: image to video, best quality', arguments: dop },
	{
		id: 'higgsfield-ai/speak',
		output: 'video',
		description: 'Higgsfield Speak: a talking avatar from an image and a WAV voice',
		arguments: [
			prompt,
			imageUrl('The face that speaks'),
			{ name: 'audio_url', type: 'string', media: 'audio', wav: true, required: true, description: 'The voice, a WAV file' },
			{ name: 'quality', type: 'string', options: ['mid', 'high'] },
			{ name: 'duration', type: 'integer', options: [5, 10, 15], description: 'Seconds' },
			enhancePrompt,
			seed,
		],
	},
	{ id: 'kling-video/v2.1/pro/image-to-video', output: 'video', description: 'Kling 2.1 Pro: image to video', arguments: klingImageToVideo },
	{ id: 'kling-video/v2.1/master/image-to-video', output: 'video', description: 'Kling 2.1 Master: image to video, best quality', arguments: klingImageToVideo },
	{ id: 'kling-video/v2.1/standard/image-to-video', output: 'video', description: 'Kling 2.1 Standard: image to video', arguments: klingImageToVideo },
	{ id: 'kling-video/v2.5-turbo/pro/image-to-video', output: 'video', description: 'Kling 2.5 Turbo Pro: image to video', arguments: klingImageToVideo },
	{
		id: 'kling-video/v2.1/master/text-to-video',
		output: 'video',
		description: 'Kling 2.1 Master: text to video',
		arguments: [
			{ ...prompt, maxLength: 2500 },
			{ name: 'duration', type: 'integer', options: [5, 10], description: 'Seconds' },
			{ name: 'aspect_ratio', type: 'string', options: ['1:1', '16:9', '9:16'] },
			{ name: 'cfg_scale', type: 'number', min: 0, max: 1 },
			negativePrompt,
		],
	},
	{ id: 'bytedance/seedance/v1/pro/image-to-video', output: 'video', description: 'Seedance 1 Pro: image to video', arguments: seedanceImageToVideo },
	{ id: 'bytedance/seedance/v1/lite/image-to-video', output: 'video', description: 'Seedance 1 Lite: image to video, faster', arguments: seedanceImageToVideo },
	{ id: 'bytedance/seedance/v1/pro/text-to-video', output: 'video', description: 'Seedance 1 Pro: text to video', arguments: seedanceTextToVideo },
	{ id: 'bytedance/seedance/v1/lite/text-to-video', output: 'video', description: 'Seedance 1 Lite: text to video, faster', arguments: seedanceTextToVideo },
	{ id: 'veo3.1', output: 'video', description: 'Google Veo 3.1: text to video, with sound', arguments: veo },
	{ id: 'veo3.1/fast', output: 'video', description: 'Google Veo 3.1 Fast: text to video, with sound', arguments: veo },
	{
		id: 'veo3.1/fast/image-to-video',
		output: 'video',
		description: 'Google Veo 3.1 Fast: image to video, with sound',
		arguments: [prompt, imageUrl('The first frame'), ...veo.slice(1)],
	},
	{
		id: 'veo3.1/image-to-video',
		output: 'video',
		description: 'Google Veo 3.1: image to video, with sound',
		arguments: [prompt, imageUrl('The first frame'), ...veo.slice(1)],
	},
	{
		id: 'veo3.1/first-last-frame-to-video',
		output: 'video',
		description: 'Google Veo 3.1: a video between a first and a last frame',
		arguments: [
			prompt,
			{ name: 'first_frame_url', type: 'string', media: 'image', required: true, description: 'The first frame' },
			{ name: 'last_frame_url', type: 'string', media: 'image', required: true, description: 'The last frame' },
			...veo.slice(1),
		],
	},
	{ id: 'sora-2/text-to-video', output: 'video', description: 'OpenAI Sora 2: text to video', arguments: sora },
	{ id: 'sora-2/image-to-video', output: 'video', description: 'OpenAI Sora 2: image to video', arguments: [prompt, imageUrl('The first frame'), ...sora.slice(1)] },
	{ id: 'sora-2/pro/text-to-video', output: 'video', description: 'OpenAI Sora 2 Pro: text to video', arguments: sora, note: SORA_PRO_NOTE },
	{
		id: 'sora-2/pro/image-to-video',
		output: 'video',
		description: 'OpenAI Sora 2 Pro: image to video',
		arguments: [prompt, imageUrl('The first frame'), ...sora.slice(1)],
		note: SORA_PRO_NOTE,
	},
	{ id: 'minimax/hailuo-02/standard/text-to-video', output: 'video', description: 'MiniMax Hailuo 02: text to video', arguments: hailuo, note: HAILUO_NOTE },
	{
		id: 'minimax/hailuo-02/standard/image-to-video',
		output: 'video',
		description: 'MiniMax Hailuo 02: image to video',
		arguments: [prompt, imageUrl('The first frame'), ...hailuo.slice(1)],
		note: HAILUO_NOTE,
	},
	{
		id: 'minimax/hailuo-02/pro/image-to-video',
		output: 'video',
		description: 'MiniMax Hailuo 02 Pro: image to video',
		arguments: [prompt, imageUrl('The first frame'), ...hailuo.slice(1)],
		note: HAILUO_NOTE,
	},
];

export function findModel(id: string): CatalogueModel | undefined {
	const wanted = id.trim().replace(/^\/+|\/+$/g, '');
	return CATALOGUE.find((model) => model.id === wanted);
}
