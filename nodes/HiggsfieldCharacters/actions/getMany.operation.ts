import type { INodeProperties } from 'n8n-workflow';

import { forEachItem, jsonItems } from '../../shared/items';
import { listAllCharacters } from '../../shared/methods/catalogue';
import type { Operation } from '../../shared/router';
import { InputChecks } from '../../shared/validation';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
	},
];

export const getMany: Operation = {
	option: {
		name: 'Get Many',
		value: 'getMany',
		action: 'Get many characters',
		description: 'List the characters of the account, one item per character, with their training status',
	},
	properties,
	execute: async (ctx) =>
		await forEachItem(ctx, async (itemIndex) => {
			const checks = new InputChecks(ctx.getNode(), itemIndex);
			const returnAll = checks.boolean('Return All', ctx.getNodeParameter('returnAll', itemIndex, false));
			const limit = returnAll ? Infinity : checks.integer('Limit', ctx.getNodeParameter('limit', itemIndex, 50), 1, Number.MAX_SAFE_INTEGER);
			return jsonItems(await listAllCharacters(ctx, limit, itemIndex), itemIndex);
		}),
};
