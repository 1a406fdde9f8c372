/**
 * Runs one generation operation over all input items:
 * 1. reads and checks every item before any request, so bad input costs nothing;
 * 2. submits items concurrently, at most "Max Concurrent Jobs" in flight (a slot is held until
 *    the job is done, because the service counts unfinished jobs against its cap);
 * 3. waits for all pending job sets in shared rounds, then downloads results.
 * Output order and pairedItem follow the input; Continue On Fail keeps one item per bad item.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { resolveMediaUrl, type MediaInput } from '../binary/input';
import { runPlannedItems } from '../batch';
import { cancelledError } from '../cancellation';
import { asNodeError } from '../items';
import { asJobSet, describeJobSet, jobSetStatus, type JobSet } from '../jobs/jobSet';
import { jobSetToItems } from '../jobs/output';
import { Semaphore } from '../jobs/semaphore';
import { Watcher } from '../jobs/watcher';
import { higgsfieldApiRequest, DEFAULT_RETRY_POLICY } from '../transport';
import { timeoutError, unsuccessfulJobSetError } from './jobSetErrors';
import { jobSetSource } from './jobSetSource';
import { readCompletion, readWaitSettings, type CompletionSettings, type WaitSettings } from './settings';
import { waitForWebhooks } from './waitForWebhook';

export interface MediaSlot {
	input: MediaInput;
	/** puts the resolved URL into the params */
	assign(url: string): void;
}

export interface PreparedGeneration {
	params: IDataObject;
	media: MediaSlot[];
}

export interface GenerationOperation {
	/** e.g. /v1/text2image/soul */
	endpoint: string;
	/** reads and checks one item's fields; makes no request */
	prepare(ctx: IExecuteFunctions, itemIndex: number): PreparedGeneration;
}

interface Plan {
	itemIndex: number;
	generation: PreparedGeneration;
	completion: CompletionSettings;
}

async function submit(
	ctx: IExecuteFunctions,
	operation: GenerationOperation,
	plan: Plan,
	settings: WaitSettings,
	signal: AbortSignal,
): Promise<JobSet> {
	const { generation, completion, itemIndex } = plan;
	for (const slot of generation.media) slot.assign(await resolveMediaUrl(ctx, itemIndex, slot.input));
	const body: IDataObject = { params: generation.params };
	if (completion.webhook) body.webhook = completion.webhook;
	const answer = await higgsfieldApiRequest(ctx, {
		method: 'POST',
		path: operation.endpoint,
		body,
		kind: 'submit',
		itemIndex,
		secrets: completion.webhook ? [completion.webhook.secret] : [],
		// waiting for a free slot under the service's cap may take as long as waiting for a job
		policy: { ...DEFAULT_RETRY_POLICY, busyBudgetMs: settings.polling.timeoutMs },
		signal,
	});
	return asJobSet(answer, ctx.getNode(), itemIndex);
}

/**
 * Without Continue On Fail the first error ends the node, but other items may already have been
 * accepted and charged: the error lists their job sets so they can be fetched with Get Job Set.
 */
function withOtherSubmissions(error: Error, failedItem: number, submitted: Map<number, string>): Error {
	const others = [...submitted].filter(([itemIndex]) => itemIndex !== failedItem).sort(([a], [b]) => a - b);
	if (others.length === 0) return error;
	const list = others.map(([itemIndex, id]) => `item ${itemIndex}: ${id}`).join(', ');
	const withDescription = error as Error & { description?: string | null };
	withDescription.description = `${withDescription.description ?? ''} Other items were already submitted and keep running on Higgsfield (${list}); fetch them with Get Job Set, or turn on Continue On Fail to keep the results of the other items.`.trim();
	return error;
}

export async function runGenerations(ctx: IExecuteFunctions, operation: GenerationOperation): Promise<INodeExecutionData[]> {
	// job sets already accepted (and charged): a fatal error must not make them untraceable
	const submitted = new Map<number, string>();
	let settings: WaitSettings | undefined;

	const { outputs, plans } = await runPlannedItems<Plan>(
		ctx,
		// 1. every item is read and checked before anything is sent
		async (itemIndex) => ({ itemIndex, generation: operation.prepare(ctx, itemIndex), completion: await readCompletion(ctx, itemIndex) }),
		// 2. and 3. submit within the concurrency cap and wait in shared rounds
		(valid, signal) => {
			const run = readWaitSettings(ctx, valid[0].itemIndex);
			settings = run;
			const semaphore = new Semaphore(run.maxConcurrentJobs);
			const watcher = new Watcher(jobSetSource(ctx), run.polling, signal);
			return async (plan) => {
				const release = await semaphore.acquire();
				let jobSet: JobSet | undefined;
				try {
					if (signal.aborted) throw cancelledError(ctx.getNode(), plan.itemIndex);
					jobSet = await submit(ctx, operation, plan, run, signal);
					submitted.set(plan.itemIndex, jobSet.id);
					if (plan.completion.mode !== 'poll') return [{ json: describeJobSet(jobSet), pairedItem: { item: plan.itemIndex } }];
					const outcome = await watcher.watch(jobSet.id, plan.itemIndex, jobSet);
					jobSet = outcome.value;
					// the service's slot is free once the job is done: downloads do not hold it
					release();
					if (outcome.status === 'timeout') return { error: timeoutError(ctx, jobSet, plan.itemIndex, run), context: describeJobSet(jobSet) };
					if (jobSetStatus(jobSet) !== 'completed') {
						return { error: unsuccessfulJobSetError(ctx, jobSet, plan.itemIndex), context: describeJobSet(jobSet) };
					}
					return await jobSetToItems(ctx, plan.itemIndex, jobSet, run);
				} catch (error) {
					return { error: asNodeError(ctx, error, plan.itemIndex), context: jobSet ? describeJobSet(jobSet) : undefined };
				} finally {
					release();
				}
			};
		},
		(error, failedItem) => withOtherSubmissions(error, failedItem, submitted),
	);
	if (settings && plans[0]?.completion.mode === 'waitForWebhook') return await waitForWebhooks(ctx, outputs, settings);
	return outputs.flat();
}
