/**
 * Finds the tool that checks a job: another Higgsfield tool attached to the same AI Agent or
 * MCP Server Trigger, named as the model sees it, with the argument it fills by $fromAI.
 *
 * The parent (agent or MCP trigger) is what the tool was called from: in a LangChain tool call
 * (MCP, 1.x agents) the execute data is the parent's; in 2.x's AI Agent the tool runs as its own
 * node and its input comes from the agent. The parent's ai_tool inputs are its tools.
 */
import type { IDataObject, IExecuteData, INode, NodeParameterValueType, NodeTypeAndVersion } from 'n8n-workflow';

import { isToolType } from './mode';

/** How n8n names a tool after its node (n8n-workflow's nodeNameToToolName, 1.x and 2.x). */
export function toolNameOf(nodeName: string): string {
	let name = nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');
	if (name.length > 64) name = name.slice(0, 64).replace(/[_-]+$/, '');
	return name;
}

export interface ToolRef {
	/** the tool's name as the model sees it */
	tool: string;
	/** the argument (its $fromAI key) that takes the id, when the tool has one */
	argument?: string;
}

export interface StatusToolWanted {
	/** node type name without package and without the Tool suffix, e.g. higgsfieldGetJobSet */
	nodeType: string;
	/** the parameter that takes the id */
	idParameter: string;
	/** operation the node must be set to, when it has several */
	operation?: string;
}

interface SiblingContext {
	getNode(): INode;
	getExecuteData?: () => IExecuteData;
	getParentNodes(
		nodeName: string,
		options?: {
			includeNodeParameters?: boolean;
			connectionType?: 'ai_tool';
			depth?: number;
		},
	): NodeTypeAndVersion[];
}

const FROM_AI_KEY = /\$fromAI\(\s*(['"`])([A-Za-z0-9_-]{1,64})\1/;

/** The $fromAI key of a parameter value, when the model fills it. */
export function fromAiKey(value: NodeParameterValueType | undefined): string | undefined {
	if (typeof value !== 'string') return undefined;
	return FROM_AI_KEY.exec(value)?.[2];
}

function parentsOf(ctx: SiblingContext): string[] {
	const self = ctx.getNode().name;
	let data: IExecuteData | undefined;
	try {
		data = ctx.getExecuteData?.();
	} catch {
		data = undefined;
	}
	const names = [data?.node?.name, ...(data?.source?.main ?? []).map((source) => source?.previousNode)];
	return [...new Set(names.filter((name): name is string => typeof name === 'string' && name !== '' && name !== self))];
}

function matches(node: NodeTypeAndVersion, wanted: StatusToolWanted): boolean {
	if (node.disabled || !isToolType(node.type)) return false;
	const [, typeName = node.type] = node.type.split(/\.(?=[^.]+$)/);
	if (typeName !== `${wanted.nodeType}Tool`) return false;
	const operation = (node.parameters as IDataObject | undefined)?.operation;
	return wanted.operation === undefined || operation === undefined || operation === wanted.operation;
}

/** The status tool beside this one, or undefined when none is attached (or n8n does not tell). */
export function findStatusTool(ctx: SiblingContext, wanted: StatusToolWanted): ToolRef | undefined {
	const self = ctx.getNode();
	const candidates: NodeTypeAndVersion[] = [];
	// the node itself may be the status tool (Get Job Set answering "still running")
	candidates.push({
		name: self.name,
		type: self.type,
		typeVersion: self.typeVersion,
		disabled: false,
		parameters: self.parameters,
	});
	for (const parent of parentsOf(ctx)) {
		try {
			candidates.push(
				...ctx.getParentNodes(parent, {
					connectionType: 'ai_tool',
					depth: 1,
					includeNodeParameters: true,
				}),
			);
		} catch {
			// an n8n that cannot tell: the answer then names the node type instead
		}
	}
	const found = candidates.find((node) => matches(node, wanted));
	if (!found) return undefined;
	const argument = fromAiKey((found.parameters as IDataObject | undefined)?.[wanted.idParameter] as NodeParameterValueType);
	return { tool: toolNameOf(found.name), ...(argument ? { argument } : {}) };
}
