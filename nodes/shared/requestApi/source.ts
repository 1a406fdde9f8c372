/**
 * How the job watcher reads a request: GET its `status_url` when the transport may follow it (a
 * Higgsfield host or the Base URL's host), else GET /requests/{id}/status on the Base URL.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { cancelledError } from '../cancellation';
import type { JobSource } from '../jobs/watcher';
import { higgsfieldApiRequest, type HiggsfieldContext } from '../transport';
import { statusPath } from './contract';
import { asRequestState, isRequestDone, type RequestState } from './request';

export interface RequestSource extends JobSource<RequestState> {
	/** remembers a request's status_url and model, from its submission or an earlier status */
	track(state: RequestState): RequestState;
}

/** One status read: follows the status_url as the transport's host rule allows. */
export async function fetchRequestStatus(
	ctx: HiggsfieldContext,
	id: string,
	itemIndex?: number,
	known?: Pick<RequestState, 'status_url' | 'model'>,
): Promise<RequestState> {
	const answer = await higgsfieldApiRequest(ctx, { method: 'GET', path: statusPath(id), url: known?.status_url, itemIndex });
	const state = asRequestState(answer, ctx.getNode(), itemIndex, known?.model);
	// an answer without status_url keeps the one known from the submission
	return state.status_url === undefined && known?.status_url ? { ...state, status_url: known.status_url } : state;
}

export function requestSource(ctx: IExecuteFunctions): RequestSource {
	const known = new Map<string, Pick<RequestState, 'status_url' | 'model'>>();
	return {
		track(state) {
			const before = known.get(state.request_id);
			known.set(state.request_id, { status_url: state.status_url ?? before?.status_url, model: state.model ?? before?.model });
			return state;
		},
		async fetch(id, itemIndex) {
			const state = await fetchRequestStatus(ctx, id, itemIndex, known.get(id));
			return this.track(state);
		},
		isDone: isRequestDone,
		cancelled: (itemIndex) => cancelledError(ctx.getNode(), itemIndex),
	};
}
