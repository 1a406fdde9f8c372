import type { INodeProperties } from 'n8n-workflow';

import { listOncePerDistinctFields } from '../../shared/listOnce';
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
		description: 'List the characters of the account, one item per character, with their training status (once per distinct Return All and Limit, not once per input item)',
	},
	properties,
	// once per distinct Return All / Limit, not once per input item
	execute: async (ctx) =>
		await listOncePerDistinctFields(
			ctx,
			(itemIndex) => {
				const checks = new InputChecks(ctx.getNode(), itemIndex);
				const returnAll = checks.boolean('Return All', ctx.getNodeParameter('returnAll', itemIndex, false));
				return { limit: returnAll ? ('all' as const) : checks.integer('Limit', ctx.getNodeParameter('limit', itemIndex, 50), 1, Number.MAX_SAFE_INTEGER) };
			},
			async ({ limit }, itemIndex) => await listAllCharacters(ctx, limit === 'all' ? Infinity : limit, itemIndex),
		),
};
