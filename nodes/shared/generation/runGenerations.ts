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
import { cancelSignalOf, cancelledError } from '../cancellation';
import { asNodeError, errorItem } from '../items';
import { asJobSet, describeJobSet, jobSetStatus, type JobSet } from '../jobs/jobSet';
import { jobSetToItems } from '../jobs/output';
import { Semaphore } from '../jobs/semaphore';
import { Watcher } from '../jobs/watcher';
import { higgsfieldApiRequest, DEFAULT_RETRY_POLICY } from '../transport';
import { timeoutError, unsuccessfulJobSetError } from './jobSetErrors';
import { jobSetSource, linkedAbort } from './jobSetSource';
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

/** A job that ended badly; the job set travels with the error so Continue On Fail can show it. */
interface JobFailure {
	error: Error;
	jobSet?: JobSet;
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
	const items = ctx.getInputData();
	const outputs: INodeExecutionData[][] = items.map(() => []);
	const continueOnFail = ctx.continueOnFail();

	// 1. every item is read and checked before anything is sent
	const plans: Plan[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			plans.push({ itemIndex, generation: operation.prepare(ctx, itemIndex), completion: await readCompletion(ctx, itemIndex) });
		} catch (error) {
			if (!continueOnFail) throw asNodeError(ctx, error, itemIndex);
			outputs[itemIndex] = [errorItem(asNodeError(ctx, error, itemIndex), itemIndex)];
		}
	}
	if (plans.length === 0) return outputs.flat();
	const settings = readWaitSettings(ctx, plans[0].itemIndex);

	// 2. and 3. submit within the concurrency cap and wait in shared rounds
	const abort = linkedAbort(cancelSignalOf(ctx));
	const semaphore = new Semaphore(settings.maxConcurrentJobs);
	const watcher = new Watcher(jobSetSource(ctx), settings.polling, abort.signal);
	let firstFatal: { error: Error; itemIndex: number } | undefined;
	// job sets already accepted (and charged): a fatal error must not make them untraceable
	const submitted = new Map<number, string>();

	const runOne = async (plan: Plan): Promise<INodeExecutionData[] | JobFailure> => {
		const release = await semaphore.acquire();
		let jobSet: JobSet | undefined;
		try {
			if (abort.signal.aborted) throw cancelledError(ctx.getNode(), plan.itemIndex);
			jobSet = await submit(ctx, operation, plan, settings, abort.signal);
			submitted.set(plan.itemIndex, jobSet.id);
			if (plan.completion.mode !== 'poll') return [{ json: describeJobSet(jobSet), pairedItem: { item: plan.itemIndex } }];
			const outcome = await watcher.watch(jobSet.id, plan.itemIndex, jobSet);
			jobSet = outcome.value;
			release();
			if (outcome.status === 'timeout') return { error: timeoutError(ctx, jobSet, plan.itemIndex, settings), jobSet };
			if (jobSetStatus(jobSet) !== 'completed') return { error: unsuccessfulJobSetError(ctx, jobSet, plan.itemIndex), jobSet };
			return await jobSetToItems(ctx, plan.itemIndex, jobSet, settings);
		} catch (error) {
			return { error: asNodeError(ctx, error, plan.itemIndex), jobSet };
		} finally {
			release();
		}
	};

	await Promise.all(
		plans.map(async (plan) => {
			const result = await runOne(plan);
			if (Array.isArray(result)) {
				outputs[plan.itemIndex] = result;
				return;
			}
			if (continueOnFail) {
				outputs[plan.itemIndex] = [errorItem(result.error, plan.itemIndex, result.jobSet ? describeJobSet(result.jobSet) : {})];
				return;
			}
			// without Continue On Fail the first error ends the node: stop waiting for the rest
			firstFatal ??= { error: result.error, itemIndex: plan.itemIndex };
			abort.abort();
		}),
	);
	abort.dispose();
	if (firstFatal) throw withOtherSubmissions(firstFatal.error, firstFatal.itemIndex, submitted);
	if (plans[0].completion.mode === 'waitForWebhook') return await waitForWebhooks(ctx, outputs, settings);
	return outputs.flat();
}
