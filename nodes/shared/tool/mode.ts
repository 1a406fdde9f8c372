/**
 * Whether a node runs as an AI tool (called by n8n's AI Agent or exposed by its MCP Server Trigger).
 *
 * n8n (1.x and 2.x) makes a second node type of every `usableAsTool` node: the same class, its
 * type name suffixed with "Tool" (`n8n-nodes-higgsfield.higgsfieldSoulImageTool`), whose only
 * output is the ai_tool connection. Only an agent or an MCP server can run a node of that type,
 * and n8n itself keys its tool-only fields on this suffix (displayOptions `@tool`). That is
 * the signal that holds on every path:
 * - 1.x and 2.x, a tool called through LangChain (the MCP Server Trigger, the 1.x Tools Agent):
 *   n8n-core runs `execute` with a SupplyDataContext whose `isToolExecution()` is true;
 * - 2.x AI Agent (v3): the engine runs the tool node as a regular node (ExecuteContext, whose
 *   `isToolExecution()` answers false) with the model's arguments as its input item.
 * `isToolExecution()` is honoured as well where n8n offers it.
 */
import type { INode } from 'n8n-workflow';

export const TOOL_TYPE_SUFFIX = 'Tool';

interface NodeContext {
	getNode(): INode;
}

export function isToolType(type: string): boolean {
	return type.endsWith(TOOL_TYPE_SUFFIX);
}

export function isToolCall(ctx: NodeContext): boolean {
	if (isToolType(ctx.getNode().type)) return true;
	const probe = (ctx as { isToolExecution?: unknown }).isToolExecution;
	return typeof probe === 'function' && (probe as () => unknown).call(ctx) === true;
}
