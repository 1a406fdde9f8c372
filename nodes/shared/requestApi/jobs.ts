/**
 * The request API's request as a job of the shared runner (jobs/runJobs.ts): everything but how
 * an item's request is obtained (Generate submits it, Get Status reads it) and how it becomes items.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { JobAdapter, JobPlan } from '../jobs/runJobs';
import { requestTimeoutError, unsuccessfulRequestError } from './errors';
import { outputUrls, describeRequest, type RequestState } from './request';
import { requestSource, type RequestSource } from './source';

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
