import { forEachItem, jsonItems } from '../../shared/items';
import type { Operation } from '../../shared/router';
import { characterIdProperty, fetchCharacter, readCharacterId } from '../character';

export const get: Operation = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a character',
		description: 'Get one character by ID, with its training status (completed characters can be used in Soul)',
	},
	properties: [characterIdProperty],
	execute: async (ctx) =>
		await forEachItem(ctx, async (itemIndex) =>
			jsonItems(await fetchCharacter(ctx, readCharacterId(ctx, itemIndex), itemIndex), itemIndex),
		),
};
