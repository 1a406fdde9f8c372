import { forEachItem, jsonItems } from '../../../../shared/items';
import { deletePath } from '../../../../shared/requestApi/contract';
import type { Operation } from '../../../../shared/router';
import { higgsfieldApiRequest } from '../../../../shared/transport';
import { readRequestId, requestIdProperty } from '../../helpers/requestId';

/** DELETE /requests/{id}: the request's files, prompt and parameters are deleted (billing records stay). */
export const deleteData: Operation = {
	option: {
		name: 'Delete Request Data',
		value: 'deleteData',
		action: 'Delete the data of a request',
		description: "Delete a finished request's output files, prompt and parameters on Higgsfield (for privacy; billing records stay)",
	},
	properties: [requestIdProperty],
	execute: async (ctx) =>
		await forEachItem(ctx, async (itemIndex) => {
			const id = readRequestId(ctx, itemIndex);
			// a retried DELETE that finds nothing counts as deleted (transport kind 'delete')
			await higgsfieldApiRequest(ctx, { method: 'DELETE', path: deletePath(id), kind: 'delete', itemIndex });
			return jsonItems({ deleted: true, request_id: id }, itemIndex);
		}),
};
