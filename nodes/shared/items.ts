/** Per-item execution with Continue On Fail, and error output items. Every item gets pairedItem. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { nodeOperationError, safeError } from './transport/errors';

export function errorItem(error: Error, itemIndex: number, extra: IDataObject = {}): INodeExecutionData {
	const description = (error as { description?: string | null }).description;
	return {
		json: { ...extra, error: error.message, ...(description ? { error_description: description } : {}) },
		pairedItem: { item: itemIndex },
	};
}

export function jsonItems(values: IDataObject | IDataObject[], itemIndex: number): INodeExecutionData[] {
	return (Array.isArray(values) ? values : [values]).map((json) => ({ json, pairedItem: { item: itemIndex } }));
}

/**
 * Every error on its way out of a node passes here: n8n's own errors keep their text and get the
 * node they carry masked (a literal Webhook Secret must not reach the execution data); others
 * become a NodeOperationError naming the item.
 */
export function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex?: number): Error {
	if (error instanceof Error && 'node' in error) return safeError(error);
	return nodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** Runs an operation item by item, in order, honouring Continue On Fail. */
export async function forEachItem(
	ctx: IExecuteFunctions,
	run: (itemIndex: number) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const count = ctx.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			output.push(...(await run(itemIndex)));
		} catch (error) {
			const nodeError = asNodeError(ctx, error, itemIndex);
			if (!ctx.continueOnFail()) throw nodeError;
			output.push(errorItem(nodeError, itemIndex));
		}
	}
	return output;
}
