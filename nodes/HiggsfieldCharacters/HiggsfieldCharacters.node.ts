import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationProperties, routeOperation } from '../shared/router';
import { toolProperties } from '../shared/tool/descriptions';
import { create } from './actions/create.operation';
import { deleteCharacter } from './actions/delete.operation';
import { get } from './actions/get.operation';
import { getMany } from './actions/getMany.operation';

const operations = [create, get, getMany, deleteCharacter];

export class HiggsfieldCharacters implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Higgsfield Characters',
		name: 'higgsfieldCharacters',
		icon: { light: 'file:../../icons/higgsfield.svg', dark: 'file:../../icons/higgsfield.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ {"create": "Create character", "get": "Get character", "getMany": "Get many characters", "delete": "Delete character"}[$parameter["operation"]] }}',
		description:
			'Create, get, list and delete Higgsfield Soul ID characters: a person trained from photos, to put into Higgsfield Soul Image generations',
		defaults: { name: 'Higgsfield Characters' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'higgsfieldApi', required: true }],
		properties: [...toolProperties('characters'), ...operationProperties(operations, 'create')],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation(this, operations);
	}
}
