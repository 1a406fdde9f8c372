/**
 * What an AI agent or MCP client reads about each Higgsfield tool: what it makes, roughly how long
 * it takes, what it costs, what it answers. Each node adds `toolProperties(<its key>)`: the tool
 * description of each operation and the wait bound, shown only on the node's tool variant (n8n's
 * `@tool` display option, 1.x and 2.x). Because the node has its own "toolDescription" field,
 * n8n does not add its generic one ("Generate an image in Higgsfield Soul Image").
 *
 * Credits: Higgsfield's published price points (1 USD is about 16 credits); failed, NSFW and
 * canceled jobs are not charged.
 */
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_TOOL_WAIT_SECONDS, toolWaitProperty } from './settings';

const STILL_RUNNING =
	'If the job is not done within the tool wait, the answer is status "still running" with the id and the tool to call to check it later.';
const ANSWER_V1 = 'Answers JSON: status, job_set_id, result_urls (public links, kept at least 7 days).';

/** Per node, per operation: the description of the tool, and whether it waits for a job. */
export const TOOL_DESCRIPTIONS = {
	soulImage: {
		generate: {
			waits: true,
			text: `Makes images from a text prompt with Higgsfield Soul (photorealistic people, fashion, portraits, scenes). ${ANSWER_V1} Takes about 10 to 40 seconds. ${STILL_RUNNING} Costs about 1.5 credits per image at 720p, 3 at 1080p.`,
		},
		listStyles: {
			waits: false,
			text: 'Lists the Soul style presets (id, name, description) to pass as a style to the image tool. Free, answers at once.',
		},
	},
	imageToVideo: {
		generate: {
			waits: true,
			text: `Animates one image (a public https URL, e.g. a result_url of the image tool) into a 5-second MP4 video with Higgsfield DoP, following a prompt that describes the motion. ${ANSWER_V1} Takes about 30 to 90 seconds. ${STILL_RUNNING} Costs about 2 credits (dop-lite), 6.5 (dop-turbo) or 9 (dop-preview).`,
		},
		listMotions: {
			waits: false,
			text: 'Lists the camera and body motions (id, name, description) the video tool can apply. Free, answers at once.',
		},
	},
	speak: {
		generate: {
			waits: true,
			text: `Makes a talking-avatar MP4 video from a portrait image URL and a WAV voice URL with Higgsfield Speak. ${ANSWER_V1} Takes a few minutes. ${STILL_RUNNING} Costs about 11, 22 or 33 credits (mid quality, 5, 10 or 15 s), 18, 36 or 54 (high quality).`,
		},
	},
	characters: {
		create: {
			waits: true,
			text: `Trains a Soul ID character (a person to put into Soul images) from photo URLs. Answers character_id and status; training takes a few minutes. ${STILL_RUNNING} Costs about 40 credits.`,
		},
		get: {
			waits: false,
			text: 'Gets one Soul ID character by character_id: name and training status (completed, failed, or still running). Free, answers at once.',
		},
		getMany: {
			waits: false,
			text: 'Lists the Soul ID characters of the account: character_id, name, status. Only characters with status completed can be used in Soul images. Free, answers at once.',
		},
		delete: {
			waits: false,
			text: 'Deletes a Soul ID character by character_id. Answers {"deleted": true}. Free.',
		},
	},
	higgsfield: {
		generate: {
			waits: true,
			text: `Runs a Higgsfield model from a prompt (and optional image URLs): images (e.g. higgsfield-ai/soul/standard, nano-banana, flux-pro/kontext/max/text-to-image), videos (e.g. kling-video/v2.1/master/text-to-video, bytedance/seedance/v1/pro/image-to-video, veo3.1) or audio. Answers JSON: status, request_id, model, result_urls, urls_expire (when the links stop working). Images take about 10 to 60 seconds, videos one to several minutes. ${STILL_RUNNING} Credits depend on the model (from about 1.5 for an image to 100+ for a long Veo video); failed and NSFW requests are not charged.`,
		},
		getStatus: {
			waits: false,
			text: 'Checks a Higgsfield request by request_id and answers at once with its current state: status completed with result_urls and urls_expire, "still running" (check again in about 15 seconds), or failed / nsfw with the reason. Free.',
		},
		cancel: {
			waits: false,
			text: 'Cancels a Higgsfield request by request_id while it is still queued (a running request cannot be canceled; it is then reported as such). Free.',
		},
		deleteData: {
			waits: false,
			text: "Deletes a finished Higgsfield request's files, prompt and arguments by request_id (for privacy). Free.",
		},
	},
	getJobSet: {
		get: {
			waits: false,
			text: 'Checks a Higgsfield job set (an image, video or avatar generation) by job_set_id and answers at once with its current state: status completed with result_urls, "still running" (check again in about 15 seconds), or failed / nsfw with the reason. Free.',
		},
	},
} satisfies Record<string, Record<string, { waits: boolean; text: string }>>;

/** The tool description field; each operation's copy has its own text as default. */
const toolDescriptionField: INodeProperties = {
	displayName: 'Tool Description',
	name: 'toolDescription',
	type: 'string',
	default: '',
	typeOptions: { rows: 4 },
	description:
		'What the AI agent or MCP client reads about this tool: what it makes, how long it takes, what it costs. Describe the arguments in the $fromAI() expressions of the fields.',
};

export type ToolNodeKey = keyof typeof TOOL_DESCRIPTIONS;

/** The tool-only fields of a node: each operation's tool description, and the wait bound where it waits. */
export function toolProperties(nodeKey: ToolNodeKey): INodeProperties[] {
	const operations = Object.entries(TOOL_DESCRIPTIONS[nodeKey]) as Array<[string, { waits: boolean; text: string }]>;
	const waiting = operations.filter(([, entry]) => entry.waits).map(([operation]) => operation);
	return [
		...operations.map(
			([operation, entry]): INodeProperties => ({
				...toolDescriptionField,
				default: entry.text,
				displayOptions: { show: { '@tool': [true], operation: [operation] } },
			}),
		),
		...(waiting.length > 0
			? [
					{
						...toolWaitProperty,
						default: DEFAULT_TOOL_WAIT_SECONDS,
						displayOptions: { show: { '@tool': [true], operation: waiting } },
					} as INodeProperties,
				]
			: []),
	];
}
