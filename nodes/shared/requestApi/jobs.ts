/**
 * The request API's request as a job of the shared runner (jobs/runJobs.ts): everything but how
 * an item's request is obtained (Generate submits it, Get Status reads it) and how it becomes items.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { JobAdapter, JobPlan } from '../jobs/runJobs';
import { requestTimeoutError, unsuccessfulRequestError } from './errors';
import { outputUrls, describeRequest, type RequestState } from './request';
import { requestSource, type RequestSource } from './source';

/**
 * Items submitted and waited for at once when Max Concurrent Requests is not set. The service
 * queues requests over the account's limit itself (429 account_queue_full only when its queue is
 * full), so more than the limit is faster: with a limit of 4, a queue of 2x the limit and 2 s jobs,
 * 24 items took 16.8 s at 4, 14.0 s at 8, 12.7 s at 12 (ideal 12 s, no 429) and 12.6 s at 16
 * (with 8 answers 429, waited out). 12 = the limit plus a queue of twice it.
 */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 12;

export type RequestAdapterBase<P extends JobPlan> = Pick<JobAdapter<P, RequestState>, 'id' | 'failure' | 'timeoutError' | 'describe'> & {
	source: RequestSource;
};

/** A request is usable when it completed with at least one output. */
export function requestFailure(ctx: IExecuteFunctions, state: RequestState, itemIndex: number): Error | undefined {
	return state.status === 'completed' && outputUrls(state).length > 0 ? undefined : unsuccessfulRequestError(ctx, state, itemIndex);
}

export function requestJobs<P extends JobPlan>(ctx: IExecuteFunctions): RequestAdapterBase<P> {
	return {
		id: (state) => state.request_id,
		source: requestSource(ctx),
		failure: (state, plan) => requestFailure(ctx, state, plan.itemIndex),
		timeoutError: (state, plan) => requestTimeoutError(ctx, state, plan.itemIndex, plan.settings),
		describe: describeRequest,
	};
}
