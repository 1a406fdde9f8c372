/**
 * The errors for a job set that was waited for and did not end well: one wording for every
 * node that waits (generation nodes, Get Job Set).
 */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { jobSetStatus, type JobSet } from '../jobs/jobSet';
import type { PollingSettings } from '../jobs/watcher';

interface NodeContext {
	getNode(): INode;
}

export function unsuccessfulJobSetError(ctx: NodeContext, jobSet: JobSet, itemIndex: number): NodeOperationError {
	const status = jobSetStatus(jobSet);
	const bad = jobSet.jobs.filter((job) => job.status !== 'completed');
	const reasons = [...new Set(bad.map((job) => job.error).filter(Boolean))];
	const hints: Record<string, string> = {
		nsfw: 'The content was flagged as NSFW; change the prompt or input image.',
		failed: 'The generation failed on Higgsfield.',
		canceled: 'The job was canceled on Higgsfield.',
	};
	return new NodeOperationError(
		ctx.getNode(),
		`Job set ${jobSet.id} ended as ${status} (${bad.length} of ${jobSet.jobs.length} jobs) [item ${itemIndex}]`,
		{
			itemIndex,
			description: `${hints[status] ?? ''}${reasons.length ? ` Reason: ${reasons.join('; ')}.` : ''} Failed, NSFW and canceled jobs are not charged.`.trim(),
		},
	);
}

export function timeoutError(
	ctx: NodeContext,
	jobSet: JobSet,
	itemIndex: number,
	settings: { polling: PollingSettings },
): NodeOperationError {
	const minutes = Math.round((settings.polling.timeoutMs / 60_000) * 100) / 100;
	return new NodeOperationError(
		ctx.getNode(),
		`Job set ${jobSet.id} was not done after ${minutes} minutes (still ${jobSetStatus(jobSet)}) [item ${itemIndex}]`,
		{
			itemIndex,
			description: `It keeps running on Higgsfield. Fetch it later with the Get Job Set node and ID ${jobSet.id}, or raise Options > Timeout.`,
		},
	);
}
