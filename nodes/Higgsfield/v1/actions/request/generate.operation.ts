import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { uploadBinary } from '../../../../shared/binary/upload';
import { waitForWebhooks } from '../../../../shared/generation/waitForWebhook';
import { longestWait, runJobs, type JobAdapter, type JobPlan } from '../../../../shared/jobs/runJobs';
import { readWaitSettings } from '../../../../shared/jobs/settings';
import { IDEMPOTENCY_HEADER, WEBHOOK_QUERY, submitPath } from '../../../../shared/requestApi/contract';
import { DEFAULT_MAX_CONCURRENT_REQUESTS, requestJobs } from '../../../../shared/requestApi/jobs';
import { requestToItems } from '../../../../shared/requestApi/outputs';
import { asRequestState, describeRequest, type RequestState } from '../../../../shared/requestApi/request';
import { DEFAULT_RETRY_POLICY, failureOf, higgsfieldApiRequest, safeNode } from '../../../../shared/transport';
import type { Operation } from '../../../../shared/router';
import { prepareRequest, type PreparedRequest } from '../../helpers/prepare';
import { generateCompletionProperties } from './completion.description';

const properties: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The model to run. From List: the models this node knows (their arguments are checked before sending). By ID: any model ID of Higgsfield, sent as given.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchModels', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. kling-video/v2.1/pro/image-to-video',
				hint: 'Any Higgsfield model ID, e.g. nano-banana, veo3.1 or higgsfield-ai/soul/standard',
			},
		],
	},
	{
		displayName: 'Arguments',
		name: 'modelArguments',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['model.value'],
			resourceMapper: {
				resourceMapperMethod: 'getModelArguments',
				mode: 'add',
				valuesLabel: 'Arguments',
				fieldWords: { singular: 'argument', plural: 'arguments' },
				addAllFields: false,
				multiKeyMatch: false,
				supportAutoMap: false,
				noFieldsError: 'This model is not in the catalogue: give its arguments in Extra Arguments (JSON)',
			},
		},
		description:
			"The model's arguments (prompt, aspect_ratio, duration, image_url, ...). Required ones are marked; add optional ones with Add Argument. Media arguments take public https:// URLs.",
	},
	{
		displayName: 'Files From Binary Data',
		name: 'binaryInputs',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add File',
		default: {},
		description: 'Files of the incoming item to upload to Higgsfield and pass to a media argument (instead of a URL)',
		options: [
			{
				name: 'files',
				displayName: 'File',
				values: [
					{
						displayName: 'Argument Name or ID',
						name: 'argument',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getMediaArguments', loadOptionsDependsOn: ['model.value'] },
						default: '',
						description:
							'The media argument the file fills (e.g. image_url; several files for a list such as input_images). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Binary Property',
						name: 'binaryProperty',
						type: 'string',
						default: 'data',
						description: 'Name of the binary property of the incoming item that holds the file',
					},
				],
			},
		],
	},
	{
		displayName: 'Extra Arguments (JSON)',
		name: 'extraArguments',
		type: 'json',
		default: '{}',
		description:
			'More arguments as a JSON object, merged into the request body (they win over the fields above). For models or arguments the catalogue does not describe, e.g. {"seed": 7}.',
	},
	{
		displayName: 'Idempotency Key',
		name: 'idempotencyKey',
		type: 'string',
		default: '',
		placeholder: 'e.g. row-42',
		description:
			'Leave empty: a key made from this execution, node, item and request, so retries never charge twice. Set it (e.g. to a row ID) to make re-runs of the whole workflow return the original requests instead of paying again. Sent as the Idempotency-Key header.',
	},
	...generateCompletionProperties,
];

interface GeneratePlan extends JobPlan {
	request: PreparedRequest;
}

/** Uploads the item's binary files and puts their public URLs into the body. */
async function bodyWithFiles(ctx: IExecuteFunctions, plan: GeneratePlan): Promise<IDataObject> {
	const { request, itemIndex } = plan;
	const body: IDataObject = { ...request.body };
	for (const file of request.files) {
		const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, file.property);
		const url = await uploadBinary(ctx, itemIndex, bytes, file.mimeType);
		if (file.list) {
			const before = body[file.argument];
			body[file.argument] = [...(Array.isArray(before) ? (before as string[]) : []), url];
		} else {
			body[file.argument] = url;
		}
	}
	return body;
}

/** A 404 on submission means the model id; a 422 naming the key means it was used for another request. */
function explained(ctx: IExecuteFunctions, error: unknown, plan: GeneratePlan): unknown {
	const { request, itemIndex } = plan;
	const failure = failureOf(error);
	if (failure?.status === 404) {
		return new NodeOperationError(safeNode(ctx.getNode()), `Higgsfield does not know the model "${request.modelId}" (404${failure.detail ? `: ${failure.detail}` : ''}) [item ${itemIndex}]`, {
			itemIndex,
			description: request.model
				? `The model is in this node's catalogue, but this host answered 404 (model_not_found). Some models answer on only one of the Higgsfield hosts: try the Base URL https://api.higgsfield.ai or https://platform.higgsfield.ai in the credential. Nothing was charged.`
				: `The model ID was sent as given (POST /${request.modelId}) because it is not in this node's catalogue. Check its spelling against the model page on docs.higgsfield.ai (IDs are paths such as kling-video/v2.1/pro/image-to-video), or pick a model From List. Nothing was charged.`,
		});
	}
	if (failure?.status === 422 && /idempoten/i.test(failure.detail ?? '')) {
		return new NodeOperationError(safeNode(ctx.getNode()), `The Idempotency Key of item ${itemIndex} was already used for a different request (422) [item ${itemIndex}]`, {
			itemIndex,
			description: `Higgsfield returns the original request only for the same model, arguments and webhook. Key: ${request.idempotencyKey}. Use a new key for a new request (e.g. add the prompt's version to it). Files from binary data are uploaded anew each run and so change the request: give them as URLs to re-run with the same key. Nothing was charged.`,
		});
	}
	return error;
}

async function submit(ctx: IExecuteFunctions, plan: GeneratePlan, signal: AbortSignal): Promise<RequestState> {
	const { request, itemIndex } = plan;
	try {
		const answer = await higgsfieldApiRequest(ctx, {
			method: 'POST',
			path: submitPath(request.modelId),
			body: await bodyWithFiles(ctx, plan),
			qs: request.webhook ? { [WEBHOOK_QUERY]: request.webhook } : undefined,
			headers: { [IDEMPOTENCY_HEADER]: request.idempotencyKey },
			// retried with the same key on timeouts, dropped connections and 5xx: never charged twice
			kind: 'idempotentSubmit',
			itemIndex,
			// the service queues what is over the account's limit; a full queue (429) is waited out
			policy: { ...DEFAULT_RETRY_POLICY, busyBudgetMs: plan.settings.polling.timeoutMs },
			signal,
		});
		return asRequestState(answer, ctx.getNode(), itemIndex, request.modelId);
	} catch (error) {
		throw explained(ctx, error, plan);
	}
}

function generateJobs(ctx: IExecuteFunctions): JobAdapter<GeneratePlan, RequestState> {
	const base = requestJobs<GeneratePlan>(ctx);
	return {
		...base,
		submit: async (plan, signal) => base.source.track(await submit(ctx, plan, signal)),
		toItems: async (state, plan) =>
			plan.wait ? await requestToItems(ctx, plan.itemIndex, state, plan.settings) : [{ json: describeRequest(state), pairedItem: { item: plan.itemIndex } }],
		paidSubmissions: { lookupHint: "get them with the Higgsfield node's Get Status operation" },
	};
}

async function execute(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { outputs, plans } = await runJobs<GeneratePlan, RequestState>(
		ctx,
		// every item is read and checked before anything is sent
		async (itemIndex) => {
			const request = await prepareRequest(ctx, itemIndex);
			return { itemIndex, request, wait: request.completion === 'poll', settings: readWaitSettings(ctx, itemIndex, DEFAULT_MAX_CONCURRENT_REQUESTS) };
		},
		generateJobs(ctx),
	);
	// the execution waits once for all items: as long as the item with the longest Timeout
	if (plans[0]?.request.completion === 'waitForWebhook') return await waitForWebhooks(ctx, outputs, longestWait(plans));
	return outputs.flat();
}

export const generate: Operation = {
	option: {
		name: 'Generate',
		value: 'generate',
		action: 'Generate with a model',
		description: 'Run any Higgsfield model (image, video or audio) and get its results',
	},
	properties,
	execute,
};
