import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { enhancePromptOption, promptProperty, seedOption, strengthOption } from '../../shared/descriptions/common';
import { generationCompletionProperties } from '../../shared/descriptions/completion';
import { mediaInputProperties } from '../../shared/descriptions/media';
import { imageObject } from '../../shared/binary/input';
import { ParamsBuilder } from '../../shared/generation/params';
import { runGenerations, type GenerationOperation } from '../../shared/generation/runGenerations';
import type { Operation } from '../../shared/router';

export const DOP_MODELS = ['dop-lite', 'dop-preview', 'dop-turbo'] as const;

/** The service reports at most two motions per video. */
export const MAX_MOTIONS = 2;

const properties: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		// the cheapest model: trying a workflow out should not burn credits; pick a better one knowingly
		default: 'dop-lite',
		required: true,
		options: [
			{ name: 'DoP Lite', value: 'dop-lite', description: 'Cheapest and fast (about 2 credits)' },
			{ name: 'DoP Preview', value: 'dop-preview', description: 'Best quality, slowest (about 9 credits)' },
			{ name: 'DoP Turbo', value: 'dop-turbo', description: 'Better quality, still fast (about 6.5 credits)' },
		],
		description: 'The DoP model that makes the 5-second video',
	},
	{
		...promptProperty,
		placeholder: 'e.g. the woman turns her head and smiles, hair moving in the wind',
		description: 'What happens in the video: the movement of the subject and the scene, in plain words',
	},
	...mediaInputProperties({
		name: 'startImage',
		displayName: 'Start Image',
		kind: 'image',
		required: true,
		description: 'The first frame of the video (JPEG, PNG, WebP or GIF)',
	}),
	...mediaInputProperties({
		name: 'endImage',
		displayName: 'End Image',
		kind: 'image',
		required: false,
		description: 'An optional last frame. Only works with a motion that supports an end frame (e.g. Morph).',
	}),
	{
		displayName: 'Motions',
		name: 'motions',
		type: 'fixedCollection',
		placeholder: 'Add Motion',
		default: {},
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Motion' },
		description: 'Up to 2 camera or effect motions to apply; leave empty to let the prompt drive the movement',
		options: [
			{
				displayName: 'Motion',
				name: 'motion',
				values: [
					{
						displayName: 'Motion Name or ID',
						name: 'motionId',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getMotions' },
						default: '',
						description:
							'A motion preset (see List Motions). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					strengthOption('strength', 'Strength', 'How strongly the motion is applied, from 0 to 1'),
				],
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Check NSFW',
				name: 'checkNsfw',
				type: 'boolean',
				default: true,
				description: 'Whether Higgsfield checks the result for NSFW content (flagged jobs end as nsfw and are not charged)',
			},
			enhancePromptOption,
			seedOption(0),
		],
	},
	...generationCompletionProperties,
];

export const dopGeneration: GenerationOperation = {
	endpoint: '/v1/image2video/dop',
	prepare(ctx: IExecuteFunctions, itemIndex: number) {
		const build = new ParamsBuilder(ctx, itemIndex);
		const { checks } = build;
		build
			.set('model', checks.oneOf('Model', build.field('model'), DOP_MODELS))
			.set('prompt', checks.text('Prompt', build.field('prompt')));
		const motions = ((build.field('motions') as IDataObject | undefined)?.motion ?? []) as IDataObject[];
		if (!Array.isArray(motions) || motions.length > MAX_MOTIONS) {
			checks.fail('Motions', `${Array.isArray(motions) ? motions.length : 'invalid'} motions`, `Give at most ${MAX_MOTIONS} motions.`);
		}
		if (motions.length > 0) {
			build.set(
				'motions',
				motions.map((motion, index) => ({
					id: checks.uuid(`Motion ${index + 1}`, motion.motionId),
					strength: checks.number(`Motion ${index + 1} Strength`, motion.strength ?? 1, 0, 1),
				})),
			);
		}
		build.setOptional('check_nsfw', 'checkNsfw', (checkNsfw) => checks.boolean('Check NSFW', checkNsfw)).seedAndEnhance(0);
		build.mediaInput('startImage', 'Start Image', 'image', (url) => {
			build.params.input_images = [imageObject(url)];
		});
		build.mediaInput('endImage', 'End Image', 'image', (url) => {
			build.params.input_images_end = [imageObject(url)];
		});
		return { params: build.params, media: build.media };
	},
};

export const generate: Operation = {
	option: {
		name: 'Generate',
		value: 'generate',
		action: 'Generate a video from an image',
		description: 'Animate a start image into a 5-second MP4 video with the DoP model',
	},
	properties,
	execute: async (ctx) => await runGenerations(ctx, dopGeneration),
};
