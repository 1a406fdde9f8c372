import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runPlannedItems } from '../../shared/batch';
import { downloadProperty, waitOptionsProperty } from '../../shared/descriptions/completion';
import { timeoutError, unsuccessfulJobSetError } from '../../shared/generation/jobSetErrors';
import { jobSetSource } from '../../shared/generation/jobSetSource';
import { readWaitSettings, type WaitSettings } from '../../shared/generation/settings';
import { asNodeError } from '../../shared/items';
import { describeJobSet, jobSetStatus } from '../../shared/jobs/jobSet';
import { jobSetToItems } from '../../shared/jobs/output';
import { Semaphore } from '../../shared/jobs/semaphore';
import { Watcher } from '../../shared/jobs/watcher';
import type { Operation } from '../../shared/router';
import { InputChecks } from '../../shared/validation';

/** The shared wait options that apply to reading a job set (no submissions here). */
const OUTPUT_OPTIONS = ['binaryPropertyName', 'outputMode'];
const POLLING_OPTIONS = ['maxPollInterval', 'pollInterval', 'timeoutMinutes'];

/** Result downloads in flight at once, across items. */
const MAX_PARALLEL_DOWNLOADS = 4;

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
			'Whether to wait until every job of the set is done (failed, NSFW or canceled jobs then stop the node with an error); otherwise the job set is output at once as it is now',
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

interface Plan {
	itemIndex: number;
	id: string;
	wait: boolean;
	settings: WaitSettings;
}

function readPlan(ctx: IExecuteFunctions, itemIndex: number): Plan {
	const checks = new InputChecks(ctx.getNode(), itemIndex);
	return {
		itemIndex,
		id: checks.uuid('Job Set ID', ctx.getNodeParameter('jobSetId', itemIndex, '')),
		wait: checks.boolean('Wait for Completion', ctx.getNodeParameter('waitForCompletion', itemIndex, false)),
		settings: readWaitSettings(ctx, itemIndex),
	};
}

/**
 * Reads every item's job set; when waiting, follows all of them at once with one Watcher, as
 * the generation nodes do, and fails the same way on failed, NSFW and canceled jobs.
 */
async function execute(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { outputs } = await runPlannedItems<Plan>(
		ctx,
		(itemIndex) => readPlan(ctx, itemIndex),
		(plans, signal) => {
			// one Watcher for the run, with the first item's timing (as the generation nodes do)
			const { polling } = plans[0].settings;
			const source = jobSetSource(ctx);
			const watcher = new Watcher(source, polling, signal);
			const downloads = new Semaphore(MAX_PARALLEL_DOWNLOADS);
			return async (plan) => {
				let jobSet = await source.fetch(plan.id, plan.itemIndex);
				if (plan.wait) {
					const outcome = await watcher.watch(jobSet.id, plan.itemIndex, jobSet);
					jobSet = outcome.value;
					if (outcome.status === 'timeout') return { error: timeoutError(ctx, jobSet, plan.itemIndex, { polling }), context: describeJobSet(jobSet) };
					if (jobSetStatus(jobSet) !== 'completed') {
						return { error: unsuccessfulJobSetError(ctx, jobSet, plan.itemIndex), context: describeJobSet(jobSet) };
					}
				}
				const release = await downloads.acquire();
				try {
					return await jobSetToItems(ctx, plan.itemIndex, jobSet, plan.settings);
				} catch (error) {
					return { error: asNodeError(ctx, error, plan.itemIndex), context: describeJobSet(jobSet) };
				} finally {
					release();
				}
			};
		},
	);
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
