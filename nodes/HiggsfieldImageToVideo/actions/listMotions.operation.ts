import { jsonItems, forEachItem } from '../../shared/items';
import { listMotions as fetchMotions } from '../../shared/methods/catalogue';
import type { Operation } from '../../shared/router';

export const listMotions: Operation = {
	option: {
		name: 'List Motions',
		value: 'listMotions',
		action: 'List motions',
		description: 'Get the camera motion presets DoP supports, one item per motion',
	},
	properties: [],
	execute: async (ctx) => await forEachItem(ctx, async (itemIndex) => jsonItems(await fetchMotions(ctx, itemIndex), itemIndex)),
};
