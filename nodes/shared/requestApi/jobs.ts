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
 * Items submitted and waited for at once when Max Concurrent Requests is not set: the account's
 * documented limit. The service queues requests over its limit itself, and more in flight finishes
 * a little sooner, but every queued request is polled while it waits. Measured in the sandbox (limit
 * 4, queue 2x the limit, 24 items): with 20 s jobs (the bench), 4 took 1.068x the ideal time with
 * 5.2 requests per job, 8 took 1.032x with 8.8, 12 took 1.013x with 11.4, 16 took 1.016x with 12.1
 * and 12 answers 429; with 2 s jobs, 4 took 1.40x, 12 took 1.06x. Only 4 keeps requests per job
 * within 1 + D / 4 s; raise Max Concurrent Requests for many short jobs.
 */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 4;

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
