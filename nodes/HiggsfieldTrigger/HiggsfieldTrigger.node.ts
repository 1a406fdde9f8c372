import type {
	IHookFunctions,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { downloadProperty, waitOptionsProperty } from '../shared/descriptions/completion';
import { describeJobSet, isJobSet, isJobSetDone, jobSetStatus } from '../shared/jobs/jobSet';
import { jobSetToItems } from '../shared/jobs/output';
import { deliveryKey, forget, isRepeat } from '../shared/webhook/dedupe';
import { webhookOutputSettings } from '../shared/webhook/outputSettings';
import { NOT_A_JOB_SET, UNAUTHORIZED, reply } from '../shared/webhook/reply';
import { credentialWebhookSecret, receivedSecret, secretMatches } from '../shared/webhook/secret';

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
		description: 'Starts the workflow when Higgsfield reports that a job set is done',
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
					'Higgsfield has no API to register webhooks, so nothing is registered when this workflow is published. Put the Production URL above into the Webhook URL of a Higgsfield node whose Completion is Send Webhook. Only calls that carry the Webhook Secret of the selected credential in the X-Webhook-Secret-Key header are accepted: while the credential has no Webhook Secret, every call is refused (401).',
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
						description: 'Start only when every job of the set completed',
					},
					{
						name: 'Any Finished Job Set',
						value: 'anyTerminal',
						description: 'Also start for job sets that failed, were flagged NSFW or were canceled',
					},
				],
				description:
					'Which finished job sets start the workflow. A call for a job set that is not finished yet starts nothing.',
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
		let expected = '';
		try {
			expected = await credentialWebhookSecret(this);
		} catch (error) {
			this.logger.warn(`Higgsfield Trigger could not read its credential: ${(error as Error).message}`);
		}
		if (expected === '') {
			this.logger.warn('Higgsfield Trigger refused a call: its Higgsfield credential has no Webhook Secret');
			return reply(this, 401, UNAUTHORIZED);
		}
		if (!secretMatches(receivedSecret(this), expected)) return reply(this, 401, UNAUTHORIZED);

		const body: unknown = this.getBodyData();
		if (!isJobSet(body)) return reply(this, 400, NOT_A_JOB_SET);
		const status = jobSetStatus(body);
		if (!isJobSetDone(body)) {
			return reply(this, 200, `Ignored: job set ${body.id} is not finished yet (${status})`);
		}
		if (this.getNodeParameter('startOn', 'completed') !== 'anyTerminal' && status !== 'completed') {
			return reply(this, 200, `Ignored: job set ${body.id} ended as ${status}; this trigger starts on completed job sets only`);
		}

		const staticData = this.getWorkflowStaticData('node');
		const key = deliveryKey(body.id, status);
		if (isRepeat(staticData, key)) {
			return reply(this, 200, `Ignored: job set ${body.id} (${status}) was delivered before and already started this workflow`);
		}
		try {
			const items = await jobSetToItems(this, 0, body, webhookOutputSettings(this, 'none'));
			// "one item per result" has nothing to show for a job set without results: show the set
			return { workflowData: [items.length > 0 ? items : [{ json: describeJobSet(body), pairedItem: { item: 0 } }]] };
		} catch (error) {
			// nothing was started: let a repeated delivery try again
			forget(staticData, key);
			throw new NodeOperationError(this.getNode(), error as Error);
		}
	}
}
