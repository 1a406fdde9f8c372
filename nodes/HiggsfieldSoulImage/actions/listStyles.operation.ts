import { jsonItems, forEachItem } from '../../shared/items';
import { listStyles as fetchStyles } from '../../shared/methods/catalogue';
import type { Operation } from '../../shared/router';

export const listStyles: Operation = {
	option: {
		name: 'List Styles',
		value: 'listStyles',
		action: 'List styles',
		description: 'Get the Soul style presets, one item per style',
	},
	properties: [],
	execute: async (ctx) => await forEachItem(ctx, async (itemIndex) => jsonItems(await fetchStyles(ctx, itemIndex), itemIndex)),
};
