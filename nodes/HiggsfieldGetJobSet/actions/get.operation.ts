import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadProperty, waitOptionsProperty } from '../../shared/descriptions/completion';
import { jobSetJobs } from '../../shared/generation/jobSetJobs';
import type { JobSet } from '../../shared/jobs/jobSet';
import { jobSetToItems } from '../../shared/jobs/output';
import { runJobs, type JobPlan } from '../../shared/jobs/runJobs';
import { readWaitSettings } from '../../shared/jobs/settings';
import type { Operation } from '../../shared/router';
import { InputChecks } from '../../shared/validation';

/** The shared wait options that apply to reading a job set (no submissions here). */
const OUTPUT_OPTIONS = ['binaryPropertyName', 'outputMode'];
const POLLING_OPTIONS = ['maxPollInterval', 'pollInterval', 'timeoutMinutes'];

const properties: INodeProperties[] = [
	{
		displayName: 'Job Set ID',
		name: 'jobSetId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 5185f35b-6849-492d-9343-61dadcc9f97f',
		description: 'The "ID" a Higgsfield generation node output (or the one named in its timeout error)',
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until every job of the set is done (a set in which no job completed then stops the node with an error; completed results of a partly failed batch are kept); otherwise the job set is output at once as it is now',
	},
	downloadProperty,
	{
		...waitOptionsProperty,
		options: (waitOptionsProperty.options as INodeProperties[])
			.filter((option) => OUTPUT_OPTIONS.includes(option.name) || POLLING_OPTIONS.includes(option.name))
			.map((option) =>
				POLLING_OPTIONS.includes(option.name) ? { ...option, displayOptions: { show: { '/waitForCompletion': [true] } } } : option,
			),
	},
];

interface Plan extends JobPlan {
	id: string;
}

function readPlan(ctx: IExecuteFunctions, itemIndex: number): Plan {
	const checks = new InputChecks(ctx.getNode(), itemIndex);
	const id = checks.uuid('Job Set ID', ctx.getNodeParameter('jobSetId', itemIndex, ''));
	const settings = readWaitSettings(ctx, itemIndex);
	// as a tool it answers at once with the job set as it is now
	const wait =
		settings.tool === undefined && checks.boolean('Wait for Completion', ctx.getNodeParameter('waitForCompletion', itemIndex, false));
	return { itemIndex, id, wait, settings };
}

/**
 * Reads every item's job set with the shared job runner: when waiting, follows all of them at
 * once, as the generation nodes do, and fails the same way on failed, NSFW and canceled jobs.
 */
async function execute(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const jobs = jobSetJobs<Plan>(ctx);
	const { outputs } = await runJobs<Plan, JobSet>(ctx, (itemIndex) => readPlan(ctx, itemIndex), {
		...jobs,
		submit: async (plan) => await jobs.source.fetch(plan.id, plan.itemIndex),
		toItems: async (jobSet, plan) => await jobSetToItems(ctx, plan.itemIndex, jobSet, plan.settings),
	});
	return outputs.flat();
}

export const get: Operation = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a job set',
		description: 'Get a job set by ID with its status and result URLs, optionally waiting for it and downloading the results',
	},
	properties,
	execute,
};
