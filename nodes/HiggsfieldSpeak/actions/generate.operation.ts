import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { enhancePromptOption, promptProperty, seedOption } from '../../shared/descriptions/common';
import { generationCompletionProperties } from '../../shared/descriptions/completion';
import { mediaInputProperties } from '../../shared/descriptions/media';
import { audioObject, imageObject } from '../../shared/binary/input';
import { ParamsBuilder } from '../../shared/generation/params';
import { runGenerations, type GenerationOperation } from '../../shared/generation/runGenerations';
import type { Operation } from '../../shared/router';

const QUALITIES = ['high', 'mid'] as const;
const DURATIONS = [5, 10, 15] as const;

/** Speak rejects seed 0, unlike Soul and DoP. */
const SPEAK_SEED_MIN = 1;

const properties: INodeProperties[] = [
	...mediaInputProperties({
		name: 'image',
		displayName: 'Image',
		kind: 'image',
		required: true,
		description: 'A portrait of the person who speaks, face clearly visible (JPEG, PNG, WebP or GIF)',
	}),
	...mediaInputProperties({
		name: 'audio',
		displayName: 'Audio',
		kind: 'audio',
		required: true,
		description: 'The voice recording the avatar speaks, as a WAV file (MP3 is not accepted); it is cut to the duration',
	}),
	{
		...promptProperty,
		placeholder: 'e.g. a friendly presenter talking to the camera in a bright studio',
		description: 'How the avatar and scene look and move while speaking, in plain words',
	},
	{
		displayName: 'Quality',
		name: 'quality',
		type: 'options',
		default: 'mid',
		required: true,
		options: [
			{ name: 'High', value: 'high', description: 'Best quality (about 18 credits per 5 seconds)' },
			{ name: 'Mid', value: 'mid', description: 'Cheaper (about 11 credits per 5 seconds)' },
		],
		description: 'Render quality of the video',
	},
	{
		displayName: 'Duration',
		name: 'duration',
		type: 'options',
		default: 5,
		required: true,
		options: [
			{ name: '5 Seconds', value: 5 },
			{ name: '10 Seconds', value: 10 },
			{ name: '15 Seconds', value: 15 },
		],
		description: 'Length of the video in seconds; longer audio is cut, and the price grows with the length',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [enhancePromptOption, seedOption(SPEAK_SEED_MIN)],
	},
	...generationCompletionProperties,
];

export const speakGeneration: GenerationOperation = {
	endpoint: '/v1/speak/higgsfield',
	prepare(ctx: IExecuteFunctions, itemIndex: number) {
		const build = new ParamsBuilder(ctx, itemIndex);
		const { checks } = build;
		build
			.set('prompt', checks.text('Prompt', build.field('prompt')))
			.set('quality', checks.oneOf('Quality', build.field('quality'), QUALITIES))
			.set('duration', checks.oneOf('Duration', build.field('duration'), DURATIONS));
		build.seedAndEnhance(SPEAK_SEED_MIN);
		build.mediaInput('image', 'Image', 'image', (url) => {
			build.params.input_image = imageObject(url);
		});
		build.mediaInput('audio', 'Audio', 'audio', (url) => {
			build.params.input_audio = audioObject(url);
		});
		return { params: build.params, media: build.media };
	},
};

export const generate: Operation = {
	option: {
		name: 'Generate',
		value: 'generate',
		action: 'Generate a talking avatar video',
		description: 'Make an MP4 of the portrait speaking the audio',
	},
	properties,
	execute: async (ctx) => await runGenerations(ctx, speakGeneration),
};
