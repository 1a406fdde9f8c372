/**
 * The shape every multi-item operation that waits shares (generations, Get Job Set, creating
 * characters): read and check every item before any request, then run the items concurrently,
 * keeping input order and pairedItem. Under Continue On Fail a bad item becomes one error item;
 * without it, the first error ends the node and stops the other items' waits.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { cancelSignalOf, linkedAbort } from './cancellation';
import { asNodeError, errorItem } from './items';

/** One item's result: its output items, or an error with what to show beside it. */
export type ItemOutcome = INodeExecutionData[] | { error: Error; context?: IDataObject };

export interface PlannedItem {
	itemIndex: number;
}

export interface BatchRun<P extends PlannedItem> {
	/** per input item, in input order (empty for items a caller handles afterwards) */
	outputs: INodeExecutionData[][];
	plans: P[];
}

export async function runPlannedItems<P extends PlannedItem>(
	ctx: IExecuteFunctions,
	plan: (itemIndex: number) => P | Promise<P>,
	/** called once with every valid plan; returns how to run one of them */
	start: (plans: P[], signal: AbortSignal) => (planned: P) => Promise<ItemOutcome>,
	/** lets a caller add to the error that ends the node */
	onFatal: (error: Error, itemIndex: number) => Error = (error) => error,
): Promise<BatchRun<P>> {
	const items = ctx.getInputData();
	const outputs: INodeExecutionData[][] = items.map(() => []);
	const continueOnFail = ctx.continueOnFail();

	const plans: P[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			plans.push(await plan(itemIndex));
		} catch (error) {
			if (!continueOnFail) throw asNodeError(ctx, error, itemIndex);
			outputs[itemIndex] = [errorItem(asNodeError(ctx, error, itemIndex), itemIndex)];
		}
	}
	if (plans.length === 0) return { outputs, plans };

	const abort = linkedAbort(cancelSignalOf(ctx));
	let runOne: ((planned: P) => Promise<ItemOutcome>) | undefined;
	try {
		runOne = start(plans, abort.signal);
	} finally {
		// a setting that concerns every item was refused: nothing was sent, nothing to follow
		if (runOne === undefined) abort.dispose();
	}
	const run = runOne;
	let fatal: { error: Error; itemIndex: number } | undefined;
	await Promise.all(
		plans.map(async (planned) => {
			let outcome: ItemOutcome;
			try {
				outcome = await run(planned);
			} catch (error) {
				outcome = { error: asNodeError(ctx, error, planned.itemIndex) };
			}
			if (Array.isArray(outcome)) {
				outputs[planned.itemIndex] = outcome;
			} else if (continueOnFail) {
				outputs[planned.itemIndex] = [errorItem(outcome.error, planned.itemIndex, outcome.context ?? {})];
			} else {
				fatal ??= { error: outcome.error, itemIndex: planned.itemIndex };
				abort.abort();
			}
		}),
	);
	abort.dispose();
	if (fatal) throw onFatal(fatal.error, fatal.itemIndex);
	return { outputs, plans };
}
