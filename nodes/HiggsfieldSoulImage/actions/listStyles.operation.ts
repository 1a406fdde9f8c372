import { listStyles as fetchStyles } from '../../shared/methods/catalogue';
import { listOncePerDistinctFields } from '../../shared/listOnce';
import type { Operation } from '../../shared/router';

export const listStyles: Operation = {
	option: {
		name: 'List Styles',
		value: 'listStyles',
		action: 'List styles',
		description: 'Get the Soul style presets, one item per style (once, whatever the number of input items)',
	},
	properties: [],
	// the list has no fields: fetched and output once, whatever the number of input items
	execute: async (ctx) => await listOncePerDistinctFields(ctx, () => ({}), async (_fields, itemIndex) => await fetchStyles(ctx, itemIndex)),
};
