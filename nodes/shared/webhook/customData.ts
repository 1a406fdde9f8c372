/**
 * The execution's custom data, in n8n 2.x and 1.x alike (Completion "Wait for Webhook" keeps its
 * state there, see waitState.ts).
 *
 * n8n 2.x gives every node context `customData`. n8n 1.x has no such property: its node contexts
 * hold the same store (the execution's metadata) only among the keys they give expressions, as
 * `$execution.customData`. It is taken from there directly, not by evaluating an expression: n8n
 * 1.123.75+ evaluates expressions in an isolate ("vm" engine) that cannot call its functions.
 */
import type { IExecuteFunctions, IWebhookFunctions, IWorkflowExecutionCustomData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

type CustomDataContext = IExecuteFunctions | IWebhookFunctions;

/** What an n8n 1.x node context (n8n-core's NodeExecutionContext) carries for expressions. */
interface ExpressionKeys {
	additionalKeys?: { $execution?: { customData?: IWorkflowExecutionCustomData } };
}

/** `ctx.customData` (n8n 2.x), else the context's `$execution.customData` (n8n 1.x). */
export function executionCustomData(ctx: CustomDataContext): IWorkflowExecutionCustomData {
	const own = (ctx as Partial<Pick<CustomDataContext, 'customData'>>).customData;
	if (own !== undefined) return own;
	const fromExpressionKeys = (ctx as unknown as ExpressionKeys).additionalKeys?.$execution?.customData;
	if (fromExpressionKeys !== undefined) return fromExpressionKeys;
	throw new NodeOperationError(ctx.getNode(), "Wait for Webhook needs the execution's custom data, which this n8n version does not give to nodes", {
		description: 'Nothing was submitted. Use Wait by Polling, or update n8n.',
	});
}
