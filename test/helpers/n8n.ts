/**
 * Runs real n8n executions in-process (n8n-core's WorkflowExecute) over our node types, with
 * credentials applied exactly as n8n applies them, so requests reach a real HTTP server.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, NodeHelpers, Workflow } from 'n8n-workflow';

import { HiggsfieldApi } from '../../credentials/HiggsfieldApi.credentials';
import { ALL_NODE_TYPES } from './nodeTypes';

const START_TYPE = 'n8n-nodes-base.manualTrigger';

/** Stands in for the Manual Trigger and emits the items a test gives it. */
class StartNode implements INodeType {
	constructor(private readonly items: INodeExecutionData[]) {}

	description = {
		displayName: 'Start',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: '',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	execute = async function (this: IExecuteFunctions, items: INodeExecutionData[]) {
		return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
	}.bind(undefined as never, this.items) as unknown as INodeType['execute'];
}

export class NodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(type: string) {
		return this.types[type];
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return NodeHelpers.getVersionedNodeType(nodeType, version);
	}

	getKnownTypes() {
		return {};
	}
}

/** Applies a credential's authenticate as n8n's CredentialsHelper does. */
export class CredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
		/** shortens every request's timeout (fault tests: a timeout costs seconds, not a minute) */
		private readonly maxTimeoutMs?: number,
	) {
		super();
	}

	private readonly types: Record<string, ICredentialType> = { higgsfieldApi: new HiggsfieldApi() };

	getParentTypes() {
		return [];
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: IHttpRequestOptions) {
		const authenticate = this.types[typeName]?.authenticate;
		if (typeof authenticate !== 'function') throw new Error(`credential ${typeName} must authenticate with a function`);
		const options = await authenticate(credentials, requestOptions);
		if (this.maxTimeoutMs !== undefined) options.timeout = Math.min(options.timeout ?? Infinity, this.maxTimeoutMs);
		return options;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used');
	}

	async getDecrypted(_additionalData: unknown, _node: unknown, type: string) {
		const data = this.data[type];
		if (!data) throw new Error(`no test credentials of type ${type}`);
		return data;
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}
}

export interface SandboxCredentials {
	baseUrl: string;
	apiKey?: string;
	apiSecret?: string;
	headerScheme?: 'hfHeaders' | 'authorizationKey';
	webhookSecret?: string;
}

export interface RunOptions {
	/** the node's type without package prefix, e.g. higgsfieldSoulImage */
	type: string;
	parameters: IDataObject;
	credentials: SandboxCredentials;
	/** items fed into the node (default: one empty item) */
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** aborts the execution, like the Stop button */
	cancelSignal?: AbortSignal;
	/** further node types (e.g. a second node connected after the first) */
	then?: { type: string; parameters: IDataObject; name?: string };
	/** n8n's execution id (default 'test-execution'); the request API derives idempotency keys from it */
	executionId?: string;
	/** node settings such as n8n's Retry On Fail: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } */
	nodeSettings?: Pick<INode, 'retryOnFail' | 'maxTries' | 'waitBetweenTries'>;
	/** caps the timeout of every HTTP request the node makes (the node's own is 60 s) */
	maxRequestTimeoutMs?: number;
}

export interface RunResult {
	run: IRun;
	/** output items of the Higgsfield node (empty when it failed) */
	output: INodeExecutionData[];
	/** output items of the `then` node, when given */
	next: INodeExecutionData[];
	/** the node error, when the execution failed */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
}

export const NODE_NAME = 'Higgsfield';
const NEXT_NAME = 'Next';

export async function runNode(options: RunOptions): Promise<RunResult> {
	const extraNodes: INode[] = [];
	const extraConnections: IConnections = {};
	if (options.then) {
		extraNodes.push({
			id: 'next',
			name: NEXT_NAME,
			type: `n8n-nodes-higgsfield.${options.then.type}`,
			typeVersion: 1,
			position: [400, 0],
			parameters: options.then.parameters as INode['parameters'],
			credentials: { higgsfieldApi: { id: 'cred-1', name: 'Higgsfield sandbox' } },
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		});
		extraConnections[NODE_NAME] = { main: [[{ node: NEXT_NAME, type: 'main', index: 0 }]] };
	}
	const result = await runWorkflow({
		node: {
			name: NODE_NAME,
			type: `n8n-nodes-higgsfield.${options.type}`,
			parameters: options.parameters,
			continueOnFail: options.continueOnFail,
			settings: options.nodeSettings,
		},
		items: options.items,
		credentials: options.credentials,
		cancelSignal: options.cancelSignal,
		executionId: options.executionId,
		maxRequestTimeoutMs: options.maxRequestTimeoutMs,
		extraNodes,
		extraConnections,
	});
	const next = result.run.data.resultData.runData[NEXT_NAME]?.[0]?.data?.main?.[0] ?? [];
	return { ...result, next };
}

export interface WorkflowOptions {
	/** the node under test, fed by the Start node (type with its package prefix) */
	node: { name: string; type: string; parameters: IDataObject; continueOnFail?: boolean; settings?: RunOptions['nodeSettings'] };
	items?: INodeExecutionData[];
	credentials: SandboxCredentials;
	cancelSignal?: AbortSignal;
	executionId?: string;
	maxRequestTimeoutMs?: number;
	/** further nodes and their connections (e.g. tools attached by ai_tool) */
	extraNodes?: INode[];
	extraConnections?: IConnections;
	/** further node types (the package's are always there) */
	nodeTypes?: Record<string, INodeType>;
}

/** Runs Start -> the node (plus any extra nodes) in-process; the node's output and error. */
export async function runWorkflow(options: WorkflowOptions): Promise<Omit<RunResult, 'next'>> {
	const items = options.items ?? [{ json: {} }];
	const nodes: INode[] = [
		{ id: 'start', name: 'Start', type: START_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'node',
			name: options.node.name,
			type: options.node.type,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.node.parameters as INode['parameters'],
			credentials: { higgsfieldApi: { id: 'cred-1', name: 'Higgsfield sandbox' } },
			...(options.node.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			...options.node.settings,
		},
		...(options.extraNodes ?? []),
	];
	const connections: IConnections = { Start: { main: [[{ node: options.node.name, type: 'main', index: 0 }]] }, ...options.extraConnections };
	const nodeTypes = new NodeTypes({ [START_TYPE]: new StartNode(items), ...ALL_NODE_TYPES, ...options.nodeTypes });
	const workflow = new Workflow({ id: 'test', nodes, connections, nodeTypes, active: false, settings: { executionOrder: 'v1' } });

	const executionId = options.executionId ?? 'test-execution';
	const hooks = new ExecutionLifecycleHooks('manual', executionId, { id: 'test', name: 'test', nodes, connections, active: false, settings: {} } as never);
	let finish!: (run: IRun) => void;
	const finished = new Promise<IRun>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finish(run));

	const credentials = {
		apiKey: 'hf-sandbox-key',
		apiSecret: 'hf-sandbox-secret',
		headerScheme: 'hfHeaders',
		...options.credentials,
	};
	// A plain object: a deep mock would answer optional fields and derail n8n-core.
	const additionalData = {
		executionId,
		hooks,
		credentialsHelper: new CredentialsHelper({ higgsfieldApi: credentials }, options.maxRequestTimeoutMs),
		currentNodeParameters: undefined,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		variables: {},
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;

	const start = workflow.getNode('Start')!;
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: start, data: { main: [[{ json: {} }]] }, source: null }] },
	});
	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	if (options.cancelSignal) {
		options.cancelSignal.addEventListener('abort', () => execution.cancel(), { once: true });
	}
	const run = await finished;
	const runData = run.data.resultData.runData;
	const output = runData[options.node.name]?.[0]?.data?.main?.[0] ?? [];
	const error = (runData[options.node.name]?.[0]?.error ?? run.data.resultData.error) as RunResult['error'];
	return { run, output, error };
}

/** The bytes of a binary property of an output item (tests keep binary data in memory). */
export function binaryBytes(item: INodeExecutionData, property = 'data'): Buffer {
	const binary = item.binary?.[property];
	if (!binary) throw new Error(`item has no binary property ${property}`);
	return Buffer.from(binary.data, 'base64');
}
