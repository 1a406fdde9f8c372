/** The errors for a request that was waited for and did not end well, in one wording for every operation. */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PollingSettings } from '../jobs/watcher';
import { isKnownStatus, type RequestState } from './request';

interface NodeContext {
	getNode(): INode;
}

const HINTS: Record<string, string> = {
	failed: 'The generation failed on Higgsfield.',
	nsfw: 'The content was rejected by moderation (NSFW); change the prompt or the input images.',
	canceled: 'The request was canceled on Higgsfield.',
};

export function unsuccessfulRequestError(ctx: NodeContext, state: RequestState, itemIndex: number): NodeOperationError {
	const reason = typeof state.error === 'string' && state.error !== '' ? ` Reason: ${state.error}.` : '';
	const completedWithout = state.status === 'completed' ? 'It completed without any output.' : '';
	return new NodeOperationError(ctx.getNode(), `Request ${state.request_id} ended as ${state.status} [item ${itemIndex}]`, {
		itemIndex,
		description: `${HINTS[state.status] ?? completedWithout}${reason} Failed, NSFW and canceled requests are refunded.`.trim(),
	});
}

export function requestTimeoutError(
	ctx: NodeContext,
	state: RequestState,
	itemIndex: number,
	settings: { polling: PollingSettings },
): NodeOperationError {
	const minutes = Math.round((settings.polling.timeoutMs / 60_000) * 100) / 100;
	const unknown = isKnownStatus(state.status)
		? ''
		: ` Its status "${state.status}" is not one the node knows, so it was treated as not finished.`;
	return new NodeOperationError(
		ctx.getNode(),
		`Request ${state.request_id} was not done after ${minutes} minutes (still ${state.status}) [item ${itemIndex}]`,
		{
			itemIndex,
			description: `It keeps running on Higgsfield.${unknown} Get it later with the Higgsfield node's Get Status operation and ID ${state.request_id}, or raise Options > Timeout.`,
		},
	);
}
