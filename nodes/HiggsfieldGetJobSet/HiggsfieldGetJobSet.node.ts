import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationProperties, routeOperation } from '../shared/router';
import { toolProperties } from '../shared/tool/descriptions';
import { get } from './actions/get.operation';

const operations = [get];

export class HiggsfieldGetJobSet implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Higgsfield Get Job Set',
		name: 'higgsfieldGetJobSet',
		icon: { light: 'file:../../icons/higgsfield.svg', dark: 'file:../../icons/higgsfield.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["waitForCompletion"] ? "Wait for job set" : "Get job set"}}',
		description:
			'Get a Higgsfield job set (the jobs of one image, video or avatar generation) by ID: its status and results, optionally waiting until it is done and downloading the files',
		defaults: { name: 'Higgsfield Get Job Set' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'higgsfieldApi', required: true }],
		properties: [...toolProperties('getJobSet'), ...operationProperties(operations, 'get')],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation(this, operations);
	}
}
