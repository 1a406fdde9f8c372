/**
 * Runs jobs of any kind (v1 job sets, request API requests) for all input items:
 * 1. plans and checks every item before any request, so bad input costs nothing;
 * 2. submits items concurrently, at most "Max Concurrent Jobs" in flight (for submissions a slot
 *    is held until the job is done, because the service counts unfinished jobs against its cap);
 * 3. waits for all pending jobs in shared rounds (one JobWatcher), then turns each finished job
 *    into items, downloading its results (as many items at once as Max Concurrent Jobs).
 * Output order and pairedItem follow the input; Continue On Fail keeps one item per bad item; an
 * error that ends the node lists the jobs other items already submitted.
 * Settings are the item's own (Timeout, Poll Interval, Download Results, Output, Binary Property),
 * except Max Concurrent Jobs, which bounds the whole node and must be the same for every item.
 *
 * What differs between the APIs is a JobAdapter: how to submit one planned item, how to read a
 * job, when it is done and usable, and how it becomes output items.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPlannedItems, type BatchRun, type PlannedItem } from '../batch';
import { cancelledError } from '../cancellation';
import { asNodeError } from '../items';
import { Semaphore } from './semaphore';
import type { WaitSettings } from './settings';
import { JobWatcher, type JobSource } from './watcher';

export interface JobPlan extends PlannedItem {
	/** wait for this item's job to finish (else it is turned into items as it was answered) */
	wait: boolean;
	settings: WaitSettings;
}

export interface JobAdapter<P extends JobPlan, J> {
	/** Submits one planned item (or, for a node that reads jobs, fetches it): the job as answered. */
	submit(plan: P, signal: AbortSignal): Promise<J>;
	/** the job's id, as the user would look it up */
	id(job: J): string;
	/** how the watcher reads a job and knows it is done */
	source: JobSource<J>;
	/** Why a finished job gave nothing usable (the item fails), or undefined when it gave something. */
	failure(job: J, plan: P): Error | undefined;
	/** the error for a job not done within the item's timeout */
	timeoutError(job: J, plan: P): Error;
	/** the job as shown beside an error */
	describe(job: J): IDataObject;
	/** The item's output: the finished job (or, when not waited for, the job as answered), with its files. */
	toItems(job: J, plan: P): Promise<INodeExecutionData[]>;
	/**
	 * Submissions that create paid work: the slot is held until the job is done, and an error that
	 * ends the node names what other items submitted, with this hint (e.g. "fetch them with Get Job Set").
	 * Without it (nodes that only read jobs) the slot is freed once the job is read.
	 */
	paidSubmissions?: { lookupHint: string };
}

/**
 * Without Continue On Fail the first error ends the node, but other items may already have been
 * accepted and charged: the error lists their jobs so they can be looked up.
 */
function withOtherSubmissions(error: Error, failedItem: number, submitted: Map<number, string>, lookupHint: string): Error {
	const others = [...submitted].filter(([itemIndex]) => itemIndex !== failedItem).sort(([a], [b]) => a - b);
	if (others.length === 0) return error;
	const list = others.map(([itemIndex, id]) => `item ${itemIndex}: ${id}`).join(', ');
	const withDescription = error as Error & { description?: string | null };
	withDescription.description = `${withDescription.description ?? ''} Other items were already submitted and keep running on Higgsfield (${list}); ${lookupHint}, or turn on Continue On Fail to keep the results of the other items.`.trim();
	return error;
}

/**
 * Max Concurrent Jobs bounds the whole node, so it is one value: the first valid item's. An item
 * whose expression gives another value is refused while items are checked, before anything is sent
 * (under Continue On Fail it becomes an error item; without it the node stops).
 */
function oneConcurrency<P extends JobPlan>(ctx: IExecuteFunctions, plan: (itemIndex: number) => P | Promise<P>): (itemIndex: number) => Promise<P> {
	let first: P | undefined;
	return async (itemIndex) => {
		const planned = await plan(itemIndex);
		first ??= planned;
		const [wanted, got] = [first.settings.maxConcurrentJobs, planned.settings.maxConcurrentJobs];
		if (got !== wanted) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Max Concurrent Jobs must be the same for every item: item ${first.itemIndex} has ${wanted}, item ${itemIndex} has ${got} [item ${itemIndex}]`,
				{
					itemIndex,
					description: `It limits the whole node, not one item. Enter a fixed number in Options > Max Concurrent Jobs, or an expression that gives every item the same value. Nothing was submitted for item ${itemIndex}.`,
				},
			);
		}
		return planned;
	};
}

/**
 * The settings under which one wait covers every item (Wait for Webhook puts the execution to wait
 * once): the item with the longest Timeout, so no item is given up before its own Timeout.
 */
export function longestWait(plans: JobPlan[]): WaitSettings {
	return plans.reduce((best, plan) => (plan.settings.polling.timeoutMs > best.settings.polling.timeoutMs ? plan : best)).settings;
}

export async function runJobs<P extends JobPlan, J>(
	ctx: IExecuteFunctions,
	plan: (itemIndex: number) => P | Promise<P>,
	adapter: JobAdapter<P, J>,
): Promise<BatchRun<P>> {
	// jobs already accepted (and charged): a fatal error must not make them untraceable
	const submitted = new Map<number, string>();
	const holdSlotUntilDone = adapter.paidSubmissions !== undefined;

	return await runPlannedItems<P>(
		ctx,
		oneConcurrency(ctx, plan),
		(plans, signal) => {
			const concurrency = plans[0].settings.maxConcurrentJobs;
			const submissions = new Semaphore(concurrency);
			// turning jobs into items downloads their files: as many items at once as jobs
			const downloads = new Semaphore(concurrency);
			// one watcher for all items; each job is polled with its own item's settings
			const watcher = new JobWatcher(adapter.source, plans[0].settings.polling, signal);
			return async (planned) => {
				const { itemIndex } = planned;
				const release = await submissions.acquire();
				let job: J | undefined;
				try {
					if (signal.aborted) throw cancelledError(ctx.getNode(), itemIndex);
					job = await adapter.submit(planned, signal);
					if (holdSlotUntilDone) submitted.set(itemIndex, adapter.id(job));
					else release();
					if (planned.wait) {
						const outcome = await watcher.watch(adapter.id(job), itemIndex, job, { settings: planned.settings.polling });
						job = outcome.value;
						// the service's slot is free once the job is done: downloads do not hold it
						release();
						// a tool call answers with the job as it is: "still running", or failed with its reason
						const asTool = planned.settings.tool !== undefined;
						if (outcome.status === 'timeout' && !asTool) return { error: adapter.timeoutError(job, planned), context: adapter.describe(job) };
						const failure = asTool ? undefined : adapter.failure(job, planned);
						if (failure) return { error: failure, context: adapter.describe(job) };
					}
					release();
					const releaseDownload = await downloads.acquire();
					try {
						return await adapter.toItems(job, planned);
					} finally {
						releaseDownload();
					}
				} catch (error) {
					return { error: asNodeError(ctx, error, itemIndex), context: job === undefined ? undefined : adapter.describe(job) };
				} finally {
					release();
				}
			};
		},
		(error, failedItem) =>
			adapter.paidSubmissions ? withOtherSubmissions(error, failedItem, submitted, adapter.paidSubmissions.lookupHint) : error,
	);
}
