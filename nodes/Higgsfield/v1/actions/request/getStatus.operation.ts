import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runJobs, type JobPlan } from '../../../../shared/jobs/runJobs';
import { readWaitSettings } from '../../../../shared/jobs/settings';
import { DEFAULT_MAX_CONCURRENT_REQUESTS, requestJobs } from '../../../../shared/requestApi/jobs';
import { requestToItems } from '../../../../shared/requestApi/outputs';
import type { RequestState } from '../../../../shared/requestApi/request';
import type { Operation } from '../../../../shared/router';
import { InputChecks } from '../../../../shared/validation';
import { readRequestId, requestIdProperty } from '../../helpers/requestId';
import { requestDownloadProperty, requestWaitOptionsProperty } from './completion.description';

/** The shared wait options that apply to reading a request (no submissions here). */
const OUTPUT_OPTIONS = ['binaryPropertyName', 'outputMode'];
const POLLING_OPTIONS = ['maxPollInterval', 'pollInterval', 'timeoutMinutes'];

const properties: INodeProperties[] = [
	requestIdProperty,
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the request is done (failed, NSFW or canceled requests then stop the node with an error); otherwise its status is output at once',
	},
	{ ...requestDownloadProperty, default: 'none' },
	{
		...requestWaitOptionsProperty,
		options: (requestWaitOptionsProperty.options as INodeProperties[])
			.filter((option) => OUTPUT_OPTIONS.includes(option.name) || POLLING_OPTIONS.includes(option.name))
			.map((option) => (POLLING_OPTIONS.includes(option.name) ? { ...option, displayOptions: { show: { '/waitForCompletion': [true] } } } : option)),
	},
];

interface Plan extends JobPlan {
	id: string;
}

function readPlan(ctx: IExecuteFunctions, itemIndex: number): Plan {
	const checks = new InputChecks(ctx.getNode(), itemIndex);
	const id = readRequestId(ctx, itemIndex);
	const settings = readWaitSettings(ctx, itemIndex, DEFAULT_MAX_CONCURRENT_REQUESTS);
	// as a tool it answers at once with the request as it is now
	const wait = settings.tool === undefined && checks.boolean('Wait for Completion', ctx.getNodeParameter('waitForCompletion', itemIndex, false));
	return { itemIndex, id, wait, settings };
}

/** Reads every item's request with the shared job runner; when waiting, follows all of them at once. */
async function execute(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const jobs = requestJobs<Plan>(ctx);
	const { outputs } = await runJobs<Plan, RequestState>(ctx, (itemIndex) => readPlan(ctx, itemIndex), {
		...jobs,
		submit: async (plan) => await jobs.source.fetch(plan.id, plan.itemIndex),
		toItems: async (state, plan) => await requestToItems(ctx, plan.itemIndex, state, plan.settings),
	});
	return outputs.flat();
}

export const getStatus: Operation = {
	option: {
		name: 'Get Status',
		value: 'getStatus',
		action: 'Get the status of a request',
		description: 'Get a request by ID with its status and output URLs, optionally waiting until it is done and downloading its files',
	},
	properties,
	execute,
};
