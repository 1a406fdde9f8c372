/** Per-item execution with Continue On Fail, and error output items. Every item gets pairedItem. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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

/** Errors that are not already n8n's become NodeOperationError naming the item. */
export function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof Error && 'node' in error) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
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
