import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, errorItem, jsonItems } from '../../../../shared/items';
import { CANCEL_TOO_LATE_STATUS_CODE, cancelPath } from '../../../../shared/requestApi/contract';
import { fetchRequestStatus } from '../../../../shared/requestApi/source';
import type { Operation } from '../../../../shared/router';
import { failureOf, higgsfieldApiRequest, safeNode } from '../../../../shared/transport';
import { readRequestId, requestIdProperty } from '../../helpers/requestId';

/**
 * POST /requests/{id}/cancel: 202 when canceled (it was still queued). A 400 means the request
 * already started and runs to the end (or, for a retried cancel, that it is canceled already: one
 * status read tells): under Continue On Fail that is an ordinary output item (`canceled: false`,
 * its status and the service's words), not an error item; otherwise it stops the node.
 */
async function execute(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const count = ctx.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			const id = readRequestId(ctx, itemIndex);
			try {
				// canceling twice is harmless: retried like a read
				await higgsfieldApiRequest(ctx, { method: 'POST', path: cancelPath(id), kind: 'read', itemIndex });
				output.push(...jsonItems({ request_id: id, canceled: true, status: 'canceled' }, itemIndex));
			} catch (error) {
				const failure = failureOf(error);
				if (failure?.status !== CANCEL_TOO_LATE_STATUS_CODE) throw asNodeError(ctx, error, itemIndex);
				// a retried cancel whose first answer was lost also gets 400: the status tells them apart
				const { status } = await fetchRequestStatus(ctx, id, itemIndex);
				if (status === 'canceled') {
					output.push(...jsonItems({ request_id: id, canceled: true, status }, itemIndex));
					continue;
				}
				const reason = failure.detail ?? 'the request can no longer be canceled';
				if (ctx.continueOnFail()) {
					output.push(...jsonItems({ request_id: id, canceled: false, status, reason: 'already_started', detail: reason }, itemIndex));
					continue;
				}
				throw new NodeOperationError(safeNode(ctx.getNode()), `Request ${id} was not canceled: it already started [item ${itemIndex}]`, {
					itemIndex,
					description: `Higgsfield said: ${reason}. Only queued requests can be canceled; this one runs to the end (and is charged unless it fails). Turn on Continue On Fail to get this as an output item with canceled: false.`,
				});
			}
		} catch (error) {
			const nodeError = asNodeError(ctx, error, itemIndex);
			if (!ctx.continueOnFail()) throw nodeError;
			output.push(errorItem(nodeError, itemIndex));
		}
	}
	return output;
}

export const cancel: Operation = {
	option: {
		name: 'Cancel',
		value: 'cancel',
		action: 'Cancel a request',
		description: 'Cancel a request that is still queued (one that already started runs to the end)',
	},
	properties: [requestIdProperty],
	execute,
};
