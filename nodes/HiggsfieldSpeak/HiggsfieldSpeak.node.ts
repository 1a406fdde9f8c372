import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { RESUME_WEBHOOKS, resumeFromWebhook } from '../shared/generation/waitForWebhook';
import { operationProperties, routeOperation } from '../shared/router';
import { toolProperties } from '../shared/tool/descriptions';
import { generate } from './actions/generate.operation';

const operations = [generate];

export class HiggsfieldSpeak implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Higgsfield Speak',
		name: 'higgsfieldSpeak',
		icon: { light: 'file:../../icons/higgsfield.svg', dark: 'file:../../icons/higgsfield.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"Talking avatar, " + $parameter["duration"] + " s"}}',
		description: 'Make a talking avatar video from a portrait image and a WAV voice recording with Higgsfield Speak',
		defaults: { name: 'Higgsfield Speak' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'higgsfieldApi', required: true }],
		webhooks: RESUME_WEBHOOKS,
		properties: [...toolProperties('speak'), ...operationProperties(operations, 'generate')],
	};

	webhook = resumeFromWebhook;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation(this, operations);
	}
}
