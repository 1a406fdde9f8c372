import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { enhancePromptOption, promptProperty, seedOption, strengthOption } from '../../shared/descriptions/common';
import { generationCompletionProperties } from '../../shared/descriptions/completion';
import { mediaInputProperties } from '../../shared/descriptions/media';
import { imageObject } from '../../shared/binary/input';
import { ParamsBuilder } from '../../shared/generation/params';
import { runGenerations, type GenerationOperation } from '../../shared/generation/runGenerations';
import type { Operation } from '../../shared/router';

export const SOUL_SIZES = [
	'1152x2048',
	'2048x1152',
	'2048x1536',
	'1536x2048',
	'1344x2016',
	'2016x1344',
	'960x1696',
	'1536x1536',
	'1536x1152',
	'1696x960',
	'1152x1536',
	'1088x1632',
	'1632x1088',
	'1120x1680',
	'1680x1120',
	'2048x2048',
] as const;

const QUALITIES = ['720p', '1080p'] as const;
const BATCH_SIZES = [1, 4] as const;

function aspectLabel(size: string): string {
	const [width, height] = size.split('x').map(Number);
	const divisor = (a: number, b: number): number => (b === 0 ? a : divisor(b, a % b));
	const common = divisor(width, height);
	return `${size} (${width / common}:${height / common})`;
}

const properties: INodeProperties[] = [
	promptProperty,
	{
		displayName: 'Size',
		name: 'widthAndHeight',
		type: 'options',
		default: '1536x1536',
		required: true,
		options: SOUL_SIZES.map((size) => ({ name: aspectLabel(size), value: size })),
		description: 'Width x height in pixels (one of the 16 sizes Soul supports)',
	},
	{
		displayName: 'Quality',
		name: 'quality',
		type: 'options',
		default: '720p',
		options: [
			{ name: '720p', value: '720p' },
			{ name: '1080p', value: '1080p', description: 'Costs about twice as much' },
		],
	},
	...mediaInputProperties({
		name: 'imageReference',
		displayName: 'Image Reference',
		kind: 'image',
		required: false,
		description: 'An optional image whose look the result follows',
	}),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'options',
				default: 1,
				options: [
					{ name: '1 Image', value: 1 },
					{ name: '4 Images', value: 4 },
				],
				description: 'How many images to make from the prompt (one job each)',
			},
			{
				displayName: 'Character Name or ID',
				name: 'characterId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getCompletedCharacters' },
				default: '',
				description:
					'A trained Soul ID character to put in the image. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			strengthOption('characterStrength', 'Character Strength', 'How strongly the character is applied, from 0 to 1'),
			enhancePromptOption,
			seedOption(0),
			{
				displayName: 'Style Name or ID',
				name: 'styleId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getStyles' },
				default: '',
				description:
					'A Soul style preset. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			strengthOption('styleStrength', 'Style Strength', 'How strongly the style is applied, from 0 to 1'),
		],
	},
	...generationCompletionProperties,
];

export const soulGeneration: GenerationOperation = {
	endpoint: '/v1/text2image/soul',
	prepare(ctx: IExecuteFunctions, itemIndex: number) {
		const build = new ParamsBuilder(ctx, itemIndex);
		const { checks } = build;
		build
			.set('prompt', checks.text('Prompt', build.field('prompt')))
			.set('width_and_height', checks.oneOf('Size', build.field('widthAndHeight'), SOUL_SIZES))
			.set('quality', checks.oneOf('Quality', build.field('quality') ?? '720p', QUALITIES));
		build
			.setOptional('batch_size', 'batchSize', (batch) => checks.oneOf('Batch Size', Number(batch), BATCH_SIZES))
			.setOptional('style_id', 'styleId', (style) => checks.uuid('Style', style))
			.setOptional('style_strength', 'styleStrength', (strength) => checks.number('Style Strength', strength, 0, 1))
			.setOptional('custom_reference_id', 'characterId', (character) => checks.uuid('Character', character))
			.setOptional('custom_reference_strength', 'characterStrength', (strength) => checks.number('Character Strength', strength, 0, 1));
		build.seedAndEnhance(0);
		build.mediaInput('imageReference', 'Image Reference', 'image', (url) => {
			build.params.image_reference = imageObject(url);
		});
		return { params: build.params, media: build.media };
	},
};

export const generate: Operation = {
	option: {
		name: 'Generate',
		value: 'generate',
		action: 'Generate an image',
		description: 'Make images from a text prompt with the Soul model',
	},
	properties,
	execute: async (ctx) => await runGenerations(ctx, soulGeneration),
};
