/**
 * The v1 job set as a job of the shared runner (jobs/runJobs.ts): everything but how an item's
 * job set is obtained (a generation submits it, Get Job Set reads it) and how it becomes items.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { cancelledError } from '../cancellation';
import { asJobSet, describeJobSet, isJobSetDone, type JobSet } from '../jobs/jobSet';
import type { JobAdapter, JobPlan } from '../jobs/runJobs';
import type { JobSource } from '../jobs/watcher';
import { higgsfieldApiRequest } from '../transport';
import { timeoutError, unsuccessfulJobSetError } from './jobSetErrors';

/** Whether any job of the set completed: its result is paid for and usable. */
export function hasResult(jobSet: JobSet): boolean {
	return jobSet.jobs.some((job) => job.status === 'completed');
}

/** How the watcher reads a job set: GET /v1/job-sets/{id}. */
export function jobSetSource(ctx: IExecuteFunctions): JobSource<JobSet> {
	return {
		fetch: async (id, itemIndex) =>
			asJobSet(
				await higgsfieldApiRequest(ctx, { method: 'GET', path: `/v1/job-sets/${encodeURIComponent(id)}`, itemIndex }),
				ctx.getNode(),
				itemIndex,
			),
		isDone: isJobSetDone,
		cancelled: (itemIndex) => cancelledError(ctx.getNode(), itemIndex),
	};
}

export type JobSetAdapterBase<P extends JobPlan> = Pick<JobAdapter<P, JobSet>, 'id' | 'source' | 'failure' | 'timeoutError' | 'describe'>;

export function jobSetJobs<P extends JobPlan>(ctx: IExecuteFunctions): JobSetAdapterBase<P> {
	return {
		id: (jobSet) => jobSet.id,
		source: jobSetSource(ctx),
		// a batch with at least one result keeps it (the others are marked in the output)
		failure: (jobSet, plan) => (hasResult(jobSet) ? undefined : unsuccessfulJobSetError(ctx, jobSet, plan.itemIndex)),
		timeoutError: (jobSet, plan) => timeoutError(ctx, jobSet, plan.itemIndex, plan.settings),
		describe: describeJobSet,
	};
}
