import type { IExecuteFunctions } from 'n8n-workflow';

import { cancelledError } from '../cancellation';
import { asJobSet, isJobSetDone, type JobSet } from '../jobs/jobSet';
import type { WatcherSource } from '../jobs/watcher';
import { higgsfieldApiRequest } from '../transport';

/** How the watcher reads a job set: GET /v1/job-sets/{id}. */
export function jobSetSource(ctx: IExecuteFunctions): WatcherSource<JobSet> {
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
