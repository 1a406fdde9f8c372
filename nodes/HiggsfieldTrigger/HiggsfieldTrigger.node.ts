import type {
	IHookFunctions,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { downloadProperty, waitOptionsProperty } from '../shared/descriptions/completion';
import { handleDelivery } from './delivery';

/** The options of the action nodes that also apply here, taken from their one definition. */
const OUTPUT_OPTIONS = ['binaryPropertyName', 'outputMode'];
const outputOptions = (waitOptionsProperty.options ?? []).filter(
	(option): option is INodeProperties => 'type' in option && OUTPUT_OPTIONS.includes(option.name),
);

export class HiggsfieldTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Higgsfield Trigger',
		name: 'higgsfieldTrigger',
		icon: { light: 'file:../../icons/higgsfield.svg', dark: 'file:../../icons/higgsfield.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["startOn"] === "anyTerminal" ? "Any finished job set" : "Completed job sets"}}',
		description: 'Starts the workflow when Higgsfield reports that a job set or a request is done',
		defaults: { name: 'Higgsfield Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'higgsfieldApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'higgsfield',
			},
		],
		properties: [
			{
				displayName:
					'Higgsfield has no API to register webhooks, so nothing is registered when this workflow is published. Put the Production URL above into the Webhook URL of a Higgsfield node whose Completion is Send Webhook. Calls are accepted only when their Standard Webhooks signature verifies with the Webhook Signing Secret of the selected credential or, while it has none, when they carry its Webhook Secret in the X-Webhook-Secret-Key header. With neither set, every call is refused (401).',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Start On',
				name: 'startOn',
				type: 'options',
				default: 'completed',
				options: [
					{
						name: 'Completed Job Sets Only',
						value: 'completed',
						description:
							'Start when the request completed, or when the job set has results: every job completed, or some did and the others failed (those are marked in the output, as in the action nodes)',
					},
					{
						name: 'Any Finished Job Set',
						value: 'anyTerminal',
						description: 'Also start for job sets and requests that failed, were flagged NSFW or were canceled',
					},
				],
				description:
					'Which finished job sets (v1) or requests (request API) start the workflow. A call for one that is not finished yet starts nothing.',
			},
			{ ...downloadProperty, default: 'none' },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: outputOptions,
			},
		],
	};

	webhookMethods = {
		default: {
			// Higgsfield takes the webhook URL with each generation request: there is nothing to
			// register, look up or remove on its side, so these three only report success.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery(this);
	}
}
