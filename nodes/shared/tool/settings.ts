/**
 * The one tool-mode setting: how long a tool call may wait for its job. Read here only, and
 * applied to the shared waiting settings by the settings reader (jobs/settings.ts).
 *
 * The default stays well under the time limits around a tool call: n8n's queue mode gives a
 * tool call 120 s, and the MCP TypeScript SDK (Claude Desktop, Cursor and most clients) gives up
 * on a request after 60 s by default. A job not done by then is answered "still running" with
 * its id and the tool that checks it.
 */
import type { INode, INodeProperties } from 'n8n-workflow';

import { InputChecks } from '../validation';
import { isToolCall } from './mode';

export const DEFAULT_TOOL_WAIT_SECONDS = 45;
export const MAX_TOOL_WAIT_SECONDS = 600;

/** Shown only on the tool variant of a node (n8n's `@tool` display option). */
export const toolWaitProperty: INodeProperties = {
	displayName: 'Max Wait as a Tool (Seconds)',
	name: 'toolMaxWait',
	type: 'number',
	default: DEFAULT_TOOL_WAIT_SECONDS,
	typeOptions: { minValue: 0, maxValue: MAX_TOOL_WAIT_SECONDS },
	description:
		'How long a tool call waits for the job. If it is not done by then, the tool answers "still running" with the ID and the tool that checks it. Keep it under 60 s: MCP clients usually give up after 60 s, n8n queue mode after 120 s. 0 answers at once.',
	displayOptions: { show: { '@tool': [true] } },
};

export interface ToolSettings {
	/** the longest a tool call waits for its job, from its submission */
	maxWaitMs: number;
}

/** What tool mode changes in the waiting settings of an item (see jobs/settings.ts). */
interface WaitingSettings {
	download: string;
	outputMode: string;
	polling: { timeoutMs: number };
	tool?: ToolSettings;
}

/**
 * In tool mode: never download (tool answers carry no files; n8n would drop them after the
 * download), one answer per job, and wait at most the tool's bound (the node's Timeout if shorter).
 */
export function applyToolMode<S extends WaitingSettings>(tool: ToolSettings | undefined, settings: S): S {
	if (!tool) return settings;
	return {
		...settings,
		download: 'none',
		outputMode: 'jobSet',
		polling: { ...settings.polling, timeoutMs: Math.min(settings.polling.timeoutMs, tool.maxWaitMs) },
		tool,
	};
}

interface ParameterContext {
	getNode(): INode;
	getNodeParameter(name: string, itemIndex: number, fallback?: unknown): unknown;
}

/** The tool settings of an item when the node runs as a tool, else undefined. */
export function readToolSettings(ctx: ParameterContext, itemIndex: number): ToolSettings | undefined {
	if (!isToolCall(ctx)) return undefined;
	const checks = new InputChecks(ctx.getNode(), itemIndex);
	const seconds = checks.number(
		'Max Wait as a Tool (Seconds)',
		ctx.getNodeParameter('toolMaxWait', itemIndex, DEFAULT_TOOL_WAIT_SECONDS),
		0,
		MAX_TOOL_WAIT_SECONDS,
	);
	return { maxWaitMs: seconds * 1000 };
}

/** A tool call cannot pause its execution (Wait for Webhook): it waits by polling, within its bound. */
export function completionForTool<M extends string>(ctx: ParameterContext, itemIndex: number, mode: M): M | 'poll' {
	return mode === 'waitForWebhook' && isToolCall(ctx) ? 'poll' : mode;
}
