/**
 * In-process stand-ins for the two parts of n8n that call a node's `webhook` method, built on
 * n8n-core's real WebhookContext and WorkflowExecute:
 * - TriggerHost: a published workflow that starts with the Higgsfield Trigger (n8n's LiveWebhooks
 *   + executeWebhook for responseMode onReceived / responseData noData, static data kept between
 *   calls as n8n saves it after each call);
 * - WaitHost: a workflow whose Higgsfield node waits for its webhook (n8n's WaitingWebhooks: the
 *   signature token check, the waiting execution reloaded from its saved copy for every call, the
 *   node disabled and fed with the webhook's items; and WaitTracker's resume when the wait ends).
 * What n8n does is quoted from n8n 2.41.1 (packages/cli/src/webhooks, packages/core).
 */
import { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IRunExecutionData,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { CredentialsHelper, NodeTypes } from './n8n';
import { ALL_NODE_TYPES } from './nodeTypes';

const PACKAGE = 'n8n-nodes-higgsfield';

/** Passes its items on: stands in for the Manual Trigger (with given items) and for a NoOp node. */
class PassThrough implements INodeType {
	constructor(
		private readonly name: string,
		private readonly items?: INodeExecutionData[],
	) {}

	get description(): INodeType['description'] {
		return {
			displayName: this.name,
			name: this.name,
			group: this.items ? ['trigger'] : ['transform'],
			version: 1,
			description: '',
			defaults: { name: this.name },
			inputs: this.items ? [] : ['main'],
			outputs: ['main'],
			properties: [],
		} as unknown as INodeType['description'];
	}

	execute = (() => {
		const items = this.items;
		return async function (this: IExecuteFunctions) {
			const output = items ?? this.getInputData();
			return [output.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
		};
	})();
}

export interface HarnessCredentials {
	baseUrl: string;
	apiKey?: string;
	apiSecret?: string;
	headerScheme?: 'hfHeaders' | 'authorizationKey';
	webhookSecret?: string;
	webhookSigningSecret?: string;
}

/** What a request handler gets from test/helpers/webhook-receiver.js. */
export interface ReceivedRequest {
	body?: unknown;
	headers: Record<string, string | string[] | undefined>;
	query: Record<string, string>;
	path: string;
}
export interface ServerResponse {
	headersSent: boolean;
	writableEnded: boolean;
	writeHead(status: number, headers?: Record<string, string>): unknown;
	end(chunk?: string): unknown;
}

function credentialData(credentials: HarnessCredentials): ICredentialDataDecryptedObject {
	return { apiKey: 'hf-sandbox-key', apiSecret: 'hf-sandbox-secret', headerScheme: 'hfHeaders', ...credentials };
}

function additionalDataFor(options: {
	credentials: HarnessCredentials;
	executionId?: string;
	waitingBaseUrl?: string;
	hooks?: ExecutionLifecycleHooks;
	request?: ReceivedRequest;
	response?: ServerResponse;
}): IWorkflowExecuteAdditionalData {
	// A plain object: a deep mock would answer optional fields and derail n8n-core.
	return {
		executionId: options.executionId,
		hooks: options.hooks,
		credentialsHelper: new CredentialsHelper({ higgsfieldApi: credentialData(options.credentials) }),
		currentNodeParameters: undefined,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: options.waitingBaseUrl ?? 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		variables: {},
		httpRequest: options.request,
		httpResponse: options.response,
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** Runs (or continues) an execution to its end or its wait, like n8n's WorkflowRunner. */
async function execute(
	workflow: Workflow,
	data: IRunExecutionData,
	mode: WorkflowExecuteMode,
	executionId: string,
	options: { credentials: HarnessCredentials; waitingBaseUrl?: string },
): Promise<IRun> {
	const hooks = new ExecutionLifecycleHooks(mode, executionId, { id: workflow.id, name: 'test', nodes: [], connections: {}, active: false, settings: {} } as never);
	let finish!: (run: IRun) => void;
	const finished = new Promise<IRun>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finish(run));
	const additionalData = additionalDataFor({ ...options, executionId, hooks });
	void new WorkflowExecute(additionalData, mode, data).processRunExecutionData(workflow);
	return await finished;
}

function copy<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

function makeWorkflow(id: string, nodes: INode[], connections: IConnections, types: Record<string, INodeType>, staticData?: IDataObject): Workflow {
	return new Workflow({
		id,
		nodes: structuredClone(nodes),
		connections,
		nodeTypes: new NodeTypes({ ...ALL_NODE_TYPES, ...types }),
		active: true,
		staticData,
		settings: { executionOrder: 'v1' },
	});
}

function webhookDataFor(workflow: Workflow, node: INode, path: string, additionalData: IWorkflowExecuteAdditionalData): IWebhookData {
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const description = nodeType.description.webhooks?.[0];
	if (!description) throw new Error(`${node.type} has no webhook`);
	return {
		httpMethod: 'POST',
		node: node.name,
		path,
		webhookDescription: description,
		workflowId: String(workflow.id),
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
	};
}

/** Calls the node's webhook method as n8n does; a throw is answered 500 (n8n's "could not be started"). */
async function callWebhook(ctx: WebhookContext, nodeType: INodeType, response: ServerResponse): Promise<IWebhookResponseData | Error> {
	try {
		if (!nodeType.webhook) throw new Error('node has no webhook method');
		return await nodeType.webhook.call(ctx);
	} catch (error) {
		if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
		response.end(JSON.stringify({ message: 'Workflow Webhook Error: Workflow could not be started!' }));
		return error as Error;
	}
}

export const TRIGGER_NAME = 'Higgsfield Trigger';
export const WEBHOOK_ID = '3f1c0000-0000-4000-8000-00000000a001';
export const TRIGGER_PATH = `/webhook/${WEBHOOK_ID}/higgsfield`;

/** A published workflow: Higgsfield Trigger -> NoOp. */
export class TriggerHost {
	readonly runs: IRun[] = [];
	readonly webhookErrors: Error[] = [];
	/** the workflow's static data as n8n keeps it in its database */
	staticData: IDataObject = {};
	private readonly nodes: INode[];
	private readonly connections: IConnections;
	private executions = 0;

	constructor(
		private readonly credentials: HarnessCredentials,
		parameters: IDataObject,
	) {
		this.nodes = [
			{
				id: 'trigger',
				name: TRIGGER_NAME,
				type: `${PACKAGE}.higgsfieldTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				parameters: parameters as INode['parameters'],
				credentials: { higgsfieldApi: { id: 'cred-1', name: 'Higgsfield sandbox' } },
			},
			{ id: 'next', name: 'Next', type: 'test.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
		];
		this.connections = { [TRIGGER_NAME]: { main: [[{ node: 'Next', type: 'main', index: 0 }]] } };
	}

	/** The items the trigger emitted in each execution started so far. */
	get triggered(): INodeExecutionData[][] {
		return this.runs.map((run) => run.data.resultData.runData[TRIGGER_NAME]?.[0]?.data?.main?.[0] ?? []);
	}

	/** Handles one call to the production URL (register with the receiver). */
	handle = async (request: ReceivedRequest, response: ServerResponse): Promise<void> => {
		if (request.path !== TRIGGER_PATH) {
			response.writeHead(404, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify({ message: 'webhook not registered' }));
			return;
		}
		// n8n builds the workflow from the database for every call, with the saved static data
		const workflow = makeWorkflow('trigger-workflow', this.nodes, this.connections, { 'test.noOp': new PassThrough('noOp') }, copy(this.staticData));
		const node = workflow.getNode(TRIGGER_NAME) as INode;
		const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const additionalData = additionalDataFor({ credentials: this.credentials, request, response });
		const ctx = new WebhookContext(workflow, node, additionalData, 'webhook', webhookDataFor(workflow, node, 'higgsfield', additionalData), [], null);
		const result = await callWebhook(ctx, nodeType, response);
		if (result instanceof Error) {
			this.webhookErrors.push(result);
			return;
		}
		// LiveWebhooks saves the static data after every call (workflow-static-data.service)
		this.staticData = copy(workflow.staticData);
		delete this.staticData.__dataChanged;
		if (result.workflowData === undefined) return;
		// onReceived + noData: an empty 200 once the execution is started
		if (!result.noWebhookResponse) {
			response.writeHead(200);
			response.end();
		}
		const data = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: result.workflowData }, source: null }] },
		});
		this.runs.push(await execute(workflow, data, 'webhook', `trigger-execution-${++this.executions}`, { credentials: this.credentials }));
	};
}

export const NODE_NAME = 'Higgsfield';
export const EXECUTION_ID = 'wait-execution-1';

/** Start -> Higgsfield <type> -> Next (NoOp), run as a manual execution that may wait. */
export class WaitHost {
	/** the execution as n8n keeps it in its database: replaced by every run that saves it */
	saved?: IRun;
	readonly resumes: IRun[] = [];
	readonly webhookErrors: Error[] = [];
	private readonly nodes: INode[];
	private readonly connections: IConnections;
	private readonly types: Record<string, INodeType>;

	constructor(
		private readonly options: {
			type: string;
			parameters: IDataObject;
			credentials: HarnessCredentials;
			/** the receiver's URL: resume URLs become <url>/webhook-waiting/<id> */
			receiverUrl: string;
			items?: INodeExecutionData[];
			continueOnFail?: boolean;
		},
	) {
		this.nodes = [
			{ id: 'start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: '5b2f0c6e-1d2a-4c3b-9e8f-000000000001',
				name: NODE_NAME,
				type: `${PACKAGE}.${options.type}`,
				typeVersion: 1,
				position: [200, 0],
				parameters: options.parameters as INode['parameters'],
				credentials: { higgsfieldApi: { id: 'cred-1', name: 'Higgsfield sandbox' } },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
			{ id: 'next', name: 'Next', type: 'test.noOp', typeVersion: 1, position: [400, 0], parameters: {} },
		];
		this.connections = {
			Start: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] },
			[NODE_NAME]: { main: [[{ node: 'Next', type: 'main', index: 0 }]] },
		};
		this.types = { 'test.start': new PassThrough('start', options.items ?? [{ json: {} }]), 'test.noOp': new PassThrough('noOp') };
	}

	private workflow(): Workflow {
		return makeWorkflow('wait-workflow', this.nodes, this.connections, this.types);
	}

	private get waitingBaseUrl(): string {
		return `${this.options.receiverUrl}/webhook-waiting`;
	}

	/** Runs the workflow until it ends or waits. */
	async start(): Promise<IRun> {
		const workflow = this.workflow();
		const start = workflow.getNode('Start') as INode;
		const data = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node: start, data: { main: [[{ json: {} }]] }, source: null }] },
		});
		this.saved = await execute(workflow, data, 'manual', EXECUTION_ID, { credentials: this.options.credentials, waitingBaseUrl: this.waitingBaseUrl });
		return this.saved;
	}

	/** A fresh copy of the saved execution data, as n8n reads it back from its database. */
	private reload(): IRunExecutionData {
		if (!this.saved) throw new Error('nothing ran yet');
		return copy(this.saved.data);
	}

	/** POST <receiver>/webhook-waiting/<execution id>?signature=...: n8n's WaitingWebhooks. */
	resume = async (request: ReceivedRequest, response: ServerResponse): Promise<void> => {
		const answer = (status: number, body: object) => {
			response.writeHead(status, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify(body));
		};
		const executionId = request.path.replace(/^\/webhook-waiting\//, '');
		if (executionId !== EXECUTION_ID || !this.saved) return answer(404, { message: `The execution "${executionId}" does not exist.` });
		const data = this.reload();
		if (request.query.signature !== data.resumeToken) return answer(401, { error: 'Invalid token' });
		if (this.saved.status !== 'waiting') return answer(409, { message: `The execution "${executionId} has finished already.` });

		// getWebhookExecutionData: disable the waiting node, drop waitTill and its waiting run
		const stack = data.executionData?.nodeExecutionStack ?? [];
		stack[0].node.disabled = true;
		data.waitTill = undefined;
		const lastNode = data.resultData.lastNodeExecuted as string;
		data.resultData.runData[lastNode].pop();

		const workflow = this.workflow();
		const node = workflow.getNode(lastNode) as INode;
		const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const additionalData = additionalDataFor({
			credentials: this.options.credentials,
			executionId,
			waitingBaseUrl: this.waitingBaseUrl,
			request,
			response,
		});
		const ctx = new WebhookContext(workflow, node, additionalData, 'manual', webhookDataFor(workflow, node, '', additionalData), [], data);
		const result = await callWebhook(ctx, nodeType, response);
		if (result instanceof Error) {
			this.webhookErrors.push(result);
			return;
		}
		// nothing to resume with: the saved execution stays as it was, still waiting
		if (result.workflowData === undefined) return;
		// prepareExecutionData: the webhook's items become the waiting node's data
		stack[0].data.main = result.workflowData;
		stack[0].metadata = { ...stack[0].metadata, forwardAllOutputs: true };
		if (!result.noWebhookResponse) {
			response.writeHead(200);
			response.end();
		}
		this.saved = await execute(workflow, data, 'manual', executionId, { credentials: this.options.credentials, waitingBaseUrl: this.waitingBaseUrl });
		this.resumes.push(this.saved);
	};

	/** The wait time ran out: n8n's WaitTracker runs the saved execution again. */
	async timeOut(): Promise<IRun> {
		if (!this.saved?.waitTill) throw new Error('the execution is not waiting');
		this.saved = await execute(this.workflow(), this.reload(), 'manual', EXECUTION_ID, {
			credentials: this.options.credentials,
			waitingBaseUrl: this.waitingBaseUrl,
		});
		return this.saved;
	}

	/** Output items of a node in the saved execution. */
	output(name = NODE_NAME): INodeExecutionData[] {
		const runs = this.saved?.data.resultData.runData[name] ?? [];
		return runs[runs.length - 1]?.data?.main?.[0] ?? [];
	}

	/** The execution's custom data. */
	customData(): Record<string, string> {
		return (this.saved?.data.resultData.metadata ?? {}) as Record<string, string>;
	}
}
