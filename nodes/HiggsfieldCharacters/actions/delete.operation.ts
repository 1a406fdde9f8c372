import { forEachItem, jsonItems } from '../../shared/items';
import type { Operation } from '../../shared/router';
import { higgsfieldApiRequest } from '../../shared/transport';
import { characterIdProperty, characterPath, readCharacterId } from '../character';

export const deleteCharacter: Operation = {
	option: {
		name: 'Delete',
		value: 'delete',
		action: 'Delete a character',
		description: 'Delete a character by ID; it can no longer be used in Soul',
	},
	properties: [characterIdProperty],
	execute: async (ctx) =>
		await forEachItem(ctx, async (itemIndex) => {
			const id = readCharacterId(ctx, itemIndex);
			await higgsfieldApiRequest(ctx, { method: 'DELETE', path: characterPath(id), itemIndex });
			return jsonItems({ deleted: true, id }, itemIndex);
		}),
};
