/**
 * Runs Higgsfield nodes as AI tools in-process, the way n8n does: each node type also exists as
 * `<name>Tool` (n8n's convertNodeToAiTool: same class, suffixed name, ai_tool output), tools are
 * attached to an agent by ai_tool connections, and n8n-core's own getInputConnectionData wraps
 * them into LangChain tools (createNodeAsTool: the $fromAI schema, the tool name, the tool
 * description) whose invocation runs the node with a SupplyDataContext, as the MCP Server Trigger
 * and the 1.x agents call them. A scripted agent node calls them and reports each answer.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import { ALL_NODE_TYPES } from './nodeTypes';
import { runWorkflow, type SandboxCredentials } from './n8n';

/** What n8n's convertNodeToAiTool does to a node's description (and the type that results). */
export function toolVariant(node: INodeType): INodeType {
	const description = deepCopy(node.description) as INodeTypeDescription;
	description.name += 'Tool';
	description.displayName += ' Tool';
	description.inputs = [];
	description.outputs = ['ai_tool'];
	delete description.usableAsTool;
	if (!description.properties.some((property) => property.name === 'toolDescription')) {
		const descriptionProperty: INodeProperties = {
			displayName: 'Description',
			name: 'toolDescription',
			type: 'string',
			default: node.description.description,
		};
		description.properties = [descriptionProperty, ...description.properties];
	}
	return Object.create(node, { description: { value: description } }) as INodeType;
}

/** Every node of the package and its tool variant, keyed as n8n names them. */
export const TOOL_NODE_TYPES: Record<string, INodeType> = Object.fromEntries(
	Object.entries(ALL_NODE_TYPES)
		.filter(([, node]) => node.description.usableAsTool)
		.map(([type, node]) => [`${type}Tool`, toolVariant(node)]),
);

export interface ToolNode {
	/** node name: the tool name the model sees is derived from it */
	name: string;
	/** node type without package prefix and without "Tool", e.g. higgsfieldSoulImage */
	type: string;
	parameters: IDataObject;
}

export interface ToolCall {
	tool: string;
	args: IDataObject;
}

export interface ToolAnswer {
	tool: string;
	/** the text the tool answered (JSON for a result) */
	text?: string;
	/** as an MCP server shows a thrown error: `${name}: ${message}` */
	error?: string;
	ms: number;
}

export interface ListedTool {
	name: string;
	description: string;
	/** argument name -> its description for the model */
	arguments: Record<string, string | undefined>;
}

interface LangChainTool {
	name: string;
	description: string;
	schema: { shape?: Record<string, { description?: string }> };
	invoke(args: IDataObject): Promise<unknown>;
}

const AGENT_TYPE = 'test.scriptedAgent';
const AGENT_NAME = 'Agent';

/** An agent node with a script instead of a model: lists its tools, then makes the calls in order. */
function scriptedAgent(calls: ToolCall[]): INodeType {
	return {
		description: {
			displayName: 'Scripted Agent',
			name: 'scriptedAgent',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: AGENT_NAME },
			inputs: ['main', { type: 'ai_tool', displayName: 'Tools' }],
			outputs: ['main'],
			properties: [],
		} as unknown as INodeTypeDescription,
		async execute(this: IExecuteFunctions) {
			const connected = ((await this.getInputConnectionData('ai_tool', 0)) ?? []) as LangChainTool[];
			const tools = connected.flat();
			const listed: ListedTool[] = tools.map((tool) => ({
				name: tool.name,
				description: tool.description,
				arguments: Object.fromEntries(Object.entries(tool.schema.shape ?? {}).map(([key, field]) => [key, field.description])),
			}));
			const answers: ToolAnswer[] = [];
			for (const call of calls) {
				const tool = tools.find((candidate) => candidate.name === call.tool);
				if (!tool) throw new Error(`no tool named ${call.tool}: ${tools.map((candidate) => candidate.name).join(', ')}`);
				const started = Date.now();
				try {
					const text = await tool.invoke(call.args);
					answers.push({ tool: call.tool, text: String(text), ms: Date.now() - started });
				} catch (error) {
					const { name, message } = error as Error;
					answers.push({ tool: call.tool, error: `${name}: ${message}`, ms: Date.now() - started });
				}
			}
			return [[{ json: { listed, answers } as unknown as IDataObject, pairedItem: { item: 0 } }]];
		},
	};
}

export interface AgentRun {
	listed: ListedTool[];
	answers: ToolAnswer[];
	/** the parsed JSON of each answer's text (undefined for errors) */
	results: unknown[];
	error?: Error;
}

/** Runs the scripted agent with these tools attached; each tool node uses the sandbox credential. */
export async function runAgent(options: { tools: ToolNode[]; calls: ToolCall[]; credentials: SandboxCredentials }): Promise<AgentRun> {
	const toolNodes: INode[] = options.tools.map((tool, index) => ({
		id: `tool-${index}`,
		name: tool.name,
		type: `n8n-nodes-higgsfield.${tool.type}Tool`,
		typeVersion: 1,
		position: [200, 200 + index * 100],
		parameters: tool.parameters as INode['parameters'],
		credentials: { higgsfieldApi: { id: 'cred-1', name: 'Higgsfield sandbox' } },
	}));
	const { output, error } = await runWorkflow({
		node: { name: AGENT_NAME, type: AGENT_TYPE, parameters: {} },
		extraNodes: toolNodes,
		extraConnections: Object.fromEntries(
			toolNodes.map((node) => [node.name, { ai_tool: [[{ node: AGENT_NAME, type: 'ai_tool', index: 0 }]] }]),
		),
		nodeTypes: { [AGENT_TYPE]: scriptedAgent(options.calls), ...TOOL_NODE_TYPES },
		credentials: options.credentials,
	});
	const json = (output[0]?.json ?? {}) as { listed?: ListedTool[]; answers?: ToolAnswer[] };
	const answers = json.answers ?? [];
	return {
		listed: json.listed ?? [],
		answers,
		results: answers.map((answer) => (answer.text === undefined ? undefined : JSON.parse(answer.text))),
		error,
	};
}
