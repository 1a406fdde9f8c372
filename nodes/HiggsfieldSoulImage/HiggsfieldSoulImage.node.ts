import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { RESUME_WEBHOOKS, resumeFromWebhook } from '../shared/generation/waitForWebhook';
import { getCompletedCharacters, getStyles } from '../shared/methods/catalogue';
import { operationProperties, routeOperation } from '../shared/router';
import { toolProperties } from '../shared/tool/descriptions';
import { generate } from './actions/generate.operation';
import { listStyles } from './actions/listStyles.operation';

const operations = [generate, listStyles];

export class HiggsfieldSoulImage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Higgsfield Soul Image',
		name: 'higgsfieldSoulImage',
		icon: { light: 'file:../../icons/higgsfield.svg', dark: 'file:../../icons/higgsfield.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "listStyles" ? "List styles" : "Generate image"}}',
		description: 'Generate AI images from a prompt with Higgsfield Soul, optionally with a style or a trained character',
		defaults: { name: 'Higgsfield Soul Image' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'higgsfieldApi', required: true }],
		webhooks: RESUME_WEBHOOKS,
		properties: [...toolProperties('soulImage'), ...operationProperties(operations, 'generate')],
	};

	methods = { loadOptions: { getStyles, getCompletedCharacters } };

	webhook = resumeFromWebhook;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation(this, operations);
	}
}
