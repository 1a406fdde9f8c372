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

/** An abort signal that follows the execution's cancel signal and can also be aborted alone. */
export function linkedAbort(parent: AbortSignal | undefined): AbortController & { dispose(): void } {
	const controller = new AbortController();
	const follow = () => controller.abort();
	if (parent?.aborted) controller.abort();
	parent?.addEventListener('abort', follow, { once: true });
	return Object.assign(controller, { dispose: () => parent?.removeEventListener('abort', follow) });
}
