import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { imageObject, readMediaInput, resolveMediaUrl, type MediaInput } from '../../shared/binary/input';
import { runPlannedItems } from '../../shared/batch';
import { cancelledError } from '../../shared/cancellation';
import { waitOptionsProperty } from '../../shared/descriptions/completion';
import { mediaFieldNames, mediaInputProperties } from '../../shared/descriptions/media';
import { readPollingSettings } from '../../shared/jobs/settings';
import { asNodeError, jsonItems } from '../../shared/items';
import { Semaphore } from '../../shared/jobs/semaphore';
import { JobWatcher, type PollingSettings } from '../../shared/jobs/watcher';
import type { Operation } from '../../shared/router';
import { isToolCall } from '../../shared/tool';
import { higgsfieldApiRequest } from '../../shared/transport';
import { InputChecks } from '../../shared/validation';
import { asCharacter, characterSource, trainingFailedError, trainingTimeoutError, type Character } from '../character';

/** One entry of the Images collection: the shared URL-or-binary trio. */
const IMAGE_ENTRY = { name: 'image', displayName: 'Image' };

/** The timing options of the shared wait options; the rest (downloads, concurrency) do not apply. */
const TRAINING_WAIT_OPTIONS = ['maxPollInterval', 'pollInterval', 'timeoutMinutes'];

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Anna',
		description: 'A name for the character, shown in character lists and in the Character field of Higgsfield Soul Image',
	},
	{
		displayName: 'Images',
		name: 'images',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Image',
		default: {},
		required: true,
		description:
			'Photos of the person to train on: at least one, and several clear face photos from different angles give better results. Each is a public URL or a binary file of the incoming item.',
		options: [
			{
				...IMAGE_ENTRY,
				values: mediaInputProperties({
					...IMAGE_ENTRY,
					kind: 'image',
					required: true,
					description: 'Where this photo comes from',
				}),
			},
		],
	},
	{
		displayName: 'Wait for Training',
		name: 'waitForTraining',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait until training has finished (it takes a few minutes) and output the trained character; otherwise the new character is output at once with status not_ready',
	},
	{
		...waitOptionsProperty,
		displayOptions: { show: { waitForTraining: [true] } },
		options: (waitOptionsProperty.options as INodeProperties[])
			.filter((option) => TRAINING_WAIT_OPTIONS.includes(option.name))
			.map((option) =>
				option.name === 'timeoutMinutes'
					? {
							...option,
							description:
								'How long to wait for training before giving up; the error names the character so you can check it later with the Get operation',
						}
					: option,
			),
	},
];

interface CreatePlan {
	itemIndex: number;
	name: string;
	images: MediaInput[];
	wait: boolean;
	polling: PollingSettings;
}

/** Reads and checks one item's fields; makes no request. */
function readPlan(ctx: IExecuteFunctions, itemIndex: number): CreatePlan {
	const checks = new InputChecks(ctx.getNode(), itemIndex);
	const name = checks.text('Name', ctx.getNodeParameter('name', itemIndex, ''));
	const entries = ctx.getNodeParameter(`images.${IMAGE_ENTRY.name}`, itemIndex, []) as IDataObject[];
	if (!Array.isArray(entries) || entries.length === 0) {
		checks.fail('Images', [], 'Add at least one image (Add Image), as a public URL or a binary file of the incoming item.');
	}
	const images = entries.map((_entry, position) => {
		const fields = mediaFieldNames(IMAGE_ENTRY);
		const path = `images.${IMAGE_ENTRY.name}[${position}]`;
		return readMediaInput(
			ctx,
			itemIndex,
			{
				source: `${path}.${fields.source}`,
				url: `${path}.${fields.url}`,
				binaryProperty: `${path}.${fields.binaryProperty}`,
				label: `Image ${position + 1}`,
			},
			'image',
		);
	});
	const wait = checks.boolean('Wait for Training', ctx.getNodeParameter('waitForTraining', itemIndex, true));
	return { itemIndex, name, images, wait, polling: readPollingSettings(ctx, itemIndex) };
}

/** Uploads binary images, then POSTs the character (it costs credits: never sent twice). */
async function submit(ctx: IExecuteFunctions, plan: CreatePlan, signal: AbortSignal): Promise<Character> {
	const urls: string[] = [];
	for (const image of plan.images) urls.push(await resolveMediaUrl(ctx, plan.itemIndex, image));
	const answer = await higgsfieldApiRequest(ctx, {
		method: 'POST',
		path: '/v1/custom-references',
		body: { name: plan.name, input_images: urls.map(imageObject) },
		kind: 'submit',
		itemIndex: plan.itemIndex,
		signal,
	});
	return asCharacter(answer, ctx.getNode(), plan.itemIndex);
}

/**
 * Checks every item first, creates the characters one after the other, and waits for all of
 * them at once with one JobWatcher. Output follows the input order.
 */
async function execute(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { outputs } = await runPlannedItems<CreatePlan>(
		ctx,
		(itemIndex) => readPlan(ctx, itemIndex),
		(plans, signal) => {
			// one JobWatcher for the run; each training is polled with its own item's timing
			const watcher = new JobWatcher(characterSource(ctx), plans[0].polling, signal);
			const oneSubmissionAtATime = new Semaphore(1);
			return async (plan) => {
				const release = await oneSubmissionAtATime.acquire();
				let character: Character;
				try {
					if (signal.aborted) throw cancelledError(ctx.getNode(), plan.itemIndex);
					character = await submit(ctx, plan, signal);
				} finally {
					release();
				}
				if (!plan.wait) return jsonItems(character, plan.itemIndex);
				try {
					const { status, value: latest } = await watcher.watch(character.id, plan.itemIndex, character, { settings: plan.polling });
					// a tool call answers with the character as it is: still training, or failed with its reason
					if (isToolCall(ctx)) return jsonItems(latest, plan.itemIndex);
					if (status === 'timeout') {
						return { error: trainingTimeoutError(ctx.getNode(), latest, plan.polling.timeoutMs, plan.itemIndex), context: latest };
					}
					if (latest.status === 'failed') return { error: trainingFailedError(ctx.getNode(), latest, plan.itemIndex), context: latest };
					return jsonItems(latest, plan.itemIndex);
				} catch (error) {
					return { error: asNodeError(ctx, error, plan.itemIndex), context: character };
				}
			};
		},
	);
	return outputs.flat();
}

export const create: Operation = {
	option: {
		name: 'Create',
		value: 'create',
		action: 'Create a character',
		description: 'Train a Soul ID character from photos of a person (costs credits), optionally waiting until it is trained',
	},
	properties,
	execute,
};
