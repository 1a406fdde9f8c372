/**
 * Tool mode: how every Higgsfield action node behaves when an AI agent or an MCP client calls it
 * as a tool. Decided here (mode.ts), read here (settings.ts), shaped here (results.ts, errors.ts):
 * - results are never downloaded (n8n drops binary data from tool results anyway);
 * - a job is waited for at most "Max Wait as a Tool", then answered "still running" with its id
 *   and the tool that checks it; reading tools (Get Job Set, Get Status) answer at once;
 * - the answer is compact JSON for a model, errors are plain sentences.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { toolErrorAnswer } from './errors';
import { toolResult, type StatusTools } from './results';
import { findStatusTool, type StatusToolWanted } from './siblings';

export { isToolCall } from './mode';
export { readToolSettings, toolWaitProperty, type ToolSettings } from './settings';
export { STILL_RUNNING } from './results';

/** The tools that check each kind of job (their node type, the id field, the operation). */
export const STATUS_TOOLS: Record<keyof StatusTools, StatusToolWanted> = {
	jobSet: { nodeType: 'higgsfieldGetJobSet', idParameter: 'jobSetId' },
	request: {
		nodeType: 'higgsfield',
		idParameter: 'requestId',
		operation: 'getStatus',
	},
	character: {
		nodeType: 'higgsfieldCharacters',
		idParameter: 'characterId',
		operation: 'get',
	},
};

/** Operations that answer a list (the entries get no "check later"). */
const LIST_OPERATIONS = new Set(['getMany', 'listStyles', 'listMotions']);

function statusTools(ctx: IExecuteFunctions): StatusTools {
	const found: StatusTools = {};
	for (const [kind, wanted] of Object.entries(STATUS_TOOLS) as Array<[keyof StatusTools, StatusToolWanted]>) {
		const ref = findStatusTool(ctx, wanted);
		if (ref) found[kind] = ref;
	}
	return found;
}

/**
 * Runs an operation as a tool call and turns its output into the tool's answer. The operation's
 * fields name the argument a bad value came from.
 */
export async function runAsTool(
	ctx: IExecuteFunctions,
	operation: { option: { value: string }; properties: INodeProperties[] },
	execute: () => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const { properties } = operation;
	const node = ctx.getNode();
	let items: INodeExecutionData[];
	try {
		items = await execute();
	} catch (error) {
		return [{ json: toolErrorAnswer(error, node, properties), pairedItem: { item: 0 } }];
	}
	const tools = statusTools(ctx);
	// a list answers entries as they are; one job (a generation, a Get) also says how to check it later
	const single = !LIST_OPERATIONS.has(operation.option.value);
	return items.map((item) => {
		const json = item.json as IDataObject;
		// an item of Continue On Fail (a job that failed is shown as a job, with its status)
		const errorItem = typeof json.error === 'string' && !('request_id' in json) && !Array.isArray(json.jobs);
		const shaped = errorItem
			? toolErrorAnswer(Object.assign(new Error(String(json.error)), { description: json.error_description }), node, properties)
			: toolResult(json, tools, single);
		// never binary data: n8n drops it from tool answers and logs a warning
		return { json: shaped, pairedItem: item.pairedItem };
	});
}
