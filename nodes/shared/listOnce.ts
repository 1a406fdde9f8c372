/**
 * List operations (List Motions, List Styles, Characters > Get Many) read the same thing for
 * every item unless their fields differ: the list is fetched once per distinct set of field
 * values, not once per input item, and output once, paired with the first item that asked for
 * it. 1,000 input items with the same fields make one request and one copy of the list.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, errorItem, jsonItems } from './items';

export async function listOncePerDistinctFields<F>(
	ctx: IExecuteFunctions,
	/** reads and checks an item's fields (no request); equal JSON means the same list */
	readFields: (itemIndex: number) => F,
	list: (fields: F, itemIndex: number) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const continueOnFail = ctx.continueOnFail();
	const outputs: INodeExecutionData[][] = [];
	const listed = new Set<string>();
	const count = ctx.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			const fields = readFields(itemIndex);
			const key = JSON.stringify(fields ?? null);
			if (listed.has(key)) continue;
			listed.add(key);
			outputs.push(jsonItems(await list(fields, itemIndex), itemIndex));
		} catch (error) {
			const nodeError = asNodeError(ctx, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			outputs.push([errorItem(nodeError, itemIndex)]);
		}
	}
	return outputs.flat();
}
