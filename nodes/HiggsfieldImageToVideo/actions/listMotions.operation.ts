import { listMotions as fetchMotions } from '../../shared/methods/catalogue';
import { listOncePerDistinctFields } from '../../shared/listOnce';
import type { Operation } from '../../shared/router';

export const listMotions: Operation = {
	option: {
		name: 'List Motions',
		value: 'listMotions',
		action: 'List motions',
		description: 'Get the camera motion presets DoP supports, one item per motion (once, whatever the number of input items)',
	},
	properties: [],
	// the list has no fields: fetched and output once, whatever the number of input items
	execute: async (ctx) => await listOncePerDistinctFields(ctx, () => ({}), async (_fields, itemIndex) => await fetchMotions(ctx, itemIndex)),
};
