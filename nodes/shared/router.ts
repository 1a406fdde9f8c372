/** Operation routing shared by every action node: one module per operation. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { asNodeError } from './items';
import { isToolCall, runAsTool } from './tool';
import { nodeOperationError } from './transport/errors';

export interface Operation {
	/** the option shown in the Operation dropdown */
	option: INodePropertyOptions & { value: string; action: string };
	/** the operation's own fields, shown only when it is selected */
	properties: INodeProperties[];
	execute(ctx: IExecuteFunctions): Promise<INodeExecutionData[]>;
}

export function operationProperties(operations: Operation[], defaultOperation: string): INodeProperties[] {
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			default: defaultOperation,
			options: operations.map((operation) => operation.option),
		},
		...operations.flatMap((operation) =>
			updateDisplayOptions({ show: { operation: [operation.option.value] } }, operation.properties),
		),
	];
}

/** Runs the chosen operation; whatever it throws leaves through asNodeError (no secret in its node). */
export async function routeOperation(ctx: IExecuteFunctions, operations: Operation[]): Promise<INodeExecutionData[][]> {
	const name = ctx.getNodeParameter('operation', 0) as string;
	const operation = operations.find((candidate) => candidate.option.value === name);
	if (!operation) throw nodeOperationError(ctx.getNode(), `The operation "${name}" is not supported`);
	return [await runOperation(ctx, operation)];
}

/** Runs one operation; called by an AI agent or an MCP client, as a tool (bounded waits, no downloads, answers for a model). */
export async function runOperation(ctx: IExecuteFunctions, operation: Operation): Promise<INodeExecutionData[]> {
	if (isToolCall(ctx)) return await runAsTool(ctx, operation, async () => await operation.execute(ctx));
	try {
		return await operation.execute(ctx);
	} catch (error) {
		throw asNodeError(ctx, error);
	}
}
