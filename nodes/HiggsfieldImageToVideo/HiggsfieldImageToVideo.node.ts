import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { getMotions } from '../shared/methods/catalogue';
import { RESUME_WEBHOOKS, resumeFromWebhook } from '../shared/generation/waitForWebhook';
import { operationProperties, routeOperation } from '../shared/router';
import { toolProperties } from '../shared/tool/descriptions';
import { generate } from './actions/generate.operation';
import { listMotions } from './actions/listMotions.operation';

const operations = [generate, listMotions];

export class HiggsfieldImageToVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Higgsfield Image to Video',
		name: 'higgsfieldImageToVideo',
		icon: { light: 'file:../../icons/higgsfield.svg', dark: 'file:../../icons/higgsfield.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "listMotions" ? "List motions" : "Generate video"}}',
		description: 'Animate an image into a short video with Higgsfield DoP, optionally with camera motions and an end frame',
		defaults: { name: 'Higgsfield Image to Video' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'higgsfieldApi', required: true }],
		webhooks: RESUME_WEBHOOKS,
		properties: [...toolProperties('imageToVideo'), ...operationProperties(operations, 'generate')],
	};

	methods = { loadOptions: { getMotions } };

	webhook = resumeFromWebhook;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation(this, operations);
	}
}
