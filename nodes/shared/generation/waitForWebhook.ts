/**
 * Completion "Wait for Webhook": no second workflow needed. Every job set is submitted with the
 * execution's own resume URL as its webhook, the execution is put to wait the way n8n's Wait node
 * does it, and Higgsfield's callback resumes it with the results.
 *
 * How n8n drives this (2.x):
 * - `$execution.resumeUrl` is `<WEBHOOK_URL>/webhook-waiting/<execution id>?signature=<token>`;
 *   n8n refuses a call without the token (401) before the node sees it.
 * - On a call, n8n loads the waiting execution and runs the node's `webhook` method (the
 *   `restartWebhook` description below). Returning `workflowData` resumes the execution with those
 *   items as this node's output; returning without it leaves the execution waiting, untouched.
 *   Throwing there would replace the execution's data with the error, so the resume never throws.
 * - When the wait time runs out, n8n resumes the execution WITHOUT running this node again: the
 *   node is skipped and its input items pass through (as with the Wait node). No status check can
 *   run at that point; the job set ids stay in the execution's custom data (see waitState.ts).
 *
 * With several items, every callback checks the other job sets once (GET /v1/job-sets/{id}); the
 * execution resumes on the callback that finds every job set finished, so all items come out
 * together, in input order. A job set that failed before anyone called back is found by that check.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorItem } from '../items';
import { asJobSet, describeJobSet, isJobSet, isJobSetDone, jobSetStatus, type JobSet } from '../jobs/jobSet';
import { jobSetToItems } from '../jobs/output';
import { higgsfieldApiRequest } from '../transport';
import { executionCustomData } from '../webhook/customData';
import { webhookOutputSettings } from '../webhook/outputSettings';
import { NOT_A_JOB_SET, UNAUTHORIZED, reply } from '../webhook/reply';
import { executionSecret, receivedSecret, secretMatches } from '../webhook/secret';
import { loadWaitState, saveWaitState, waitCapacityProblem, type WaitSlot } from '../webhook/waitState';
import { unsuccessfulJobSetError } from './jobSetErrors';
import type { WaitSettings } from '../jobs/settings';

/** The resume webhook of a waiting execution, as n8n's Wait node declares its own. */
export const RESUME_WEBHOOK: IWebhookDescription = {
	name: 'default',
	httpMethod: 'POST',
	path: '',
	restartWebhook: true,
	responseMode: 'onReceived',
	responseData: 'noData',
};

/**
 * `webhooks: RESUME_WEBHOOKS` in every generation node. A restart webhook is never registered
 * anywhere (n8n skips restart webhooks when it publishes a workflow), so these nodes have no
 * webhookMethods lifecycle, exactly like n8n's Wait node.
 */
export const RESUME_WEBHOOKS: IWebhookDescription[] = [RESUME_WEBHOOK];

/**
 * The webhook one item sends in Wait for Webhook mode: the resume URL of this execution and a
 * secret of this execution. Checked for every item before anything is submitted.
 */
export async function resumeWebhookTarget(ctx: IExecuteFunctions, itemIndex: number): Promise<{ url: string; secret: string }> {
	const node = ctx.getNode();
	const problem = waitCapacityProblem(executionCustomData(ctx), ctx.getInputData().length);
	if (problem) {
		throw new NodeOperationError(node, `${problem} [item ${itemIndex}]`, {
			itemIndex,
			description: 'Nothing was submitted. Use Wait by Polling for larger batches, or split the items with a Loop Over Items node.',
		});
	}
	const url = String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', itemIndex) ?? '');
	if (!/^https?:\/\/[^/]+\//.test(url)) {
		throw new NodeOperationError(node, `n8n gave no usable resume URL for this execution (got "${url}") [item ${itemIndex}]`, {
			itemIndex,
			description: 'Nothing was submitted. Use Wait by Polling, or check the WEBHOOK_URL setting of n8n.',
		});
	}
	return { url, secret: await executionSecret(ctx) };
}

function slotOf(items: INodeExecutionData[]): WaitSlot {
	const json = items[0]?.json;
	if (json === undefined) return { error: 'It produced no job set' };
	if (json.error !== undefined) return { error: String(json.error) };
	return isJobSet(json) ? { jobSetId: json.id } : { error: 'It produced no job set' };
}

/**
 * After every item was submitted (`outputs` holds, per input item, its job set or its error):
 * remembers the job sets and puts the execution to wait for at most the Timeout option.
 */
export async function waitForWebhooks(
	ctx: IExecuteFunctions,
	outputs: INodeExecutionData[][],
	settings: WaitSettings,
): Promise<INodeExecutionData[]> {
	const slots = outputs.map(slotOf);
	const ids = slots.flatMap((slot) => (slot.jobSetId === undefined ? [] : [slot.jobSetId]));
	if (ids.length === 0) return outputs.flat();
	if (!saveWaitState(executionCustomData(ctx), { nodeId: ctx.getNode().id, slots })) {
		throw new NodeOperationError(ctx.getNode(), 'The job sets were submitted, but this execution cannot keep their ids to wait for them', {
			description: `They keep running on Higgsfield: fetch them with the Get Job Set node (${ids.join(', ')}), or use Wait by Polling.`,
		});
	}
	await ctx.putExecutionToWait(new Date(Date.now() + settings.polling.timeoutMs));
	// shown while the execution waits; n8n replaces it with the output of the resume
	return outputs.flat();
}

type Checked = { jobSet: JobSet } | { error: Error } | undefined;

async function checkJobSet(ctx: IWebhookFunctions, id: string, itemIndex: number): Promise<Checked> {
	try {
		const answer = await higgsfieldApiRequest(ctx, { method: 'GET', path: `/v1/job-sets/${encodeURIComponent(id)}`, itemIndex });
		return { jobSet: asJobSet(answer, ctx.getNode(), itemIndex) };
	} catch (error) {
		return { error: error as Error };
	}
}

async function itemsOf(ctx: IWebhookFunctions, slot: WaitSlot, checked: Checked, itemIndex: number): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	if (slot.jobSetId === undefined || checked === undefined) {
		return [errorItem(new NodeOperationError(node, `Item ${itemIndex} failed before the wait: ${slot.error ?? 'no job set'}`), itemIndex)];
	}
	if ('error' in checked) {
		const error = new NodeOperationError(node, `Job set ${slot.jobSetId} could not be checked: ${checked.error.message}`, {
			itemIndex,
			description: `It may still be running on Higgsfield. Fetch it later with the Get Job Set node and ID ${slot.jobSetId}.`,
		});
		return [errorItem(error, itemIndex, { id: slot.jobSetId })];
	}
	const { jobSet } = checked;
	if (jobSetStatus(jobSet) !== 'completed') return [errorItem(unsuccessfulJobSetError(ctx, jobSet, itemIndex), itemIndex, describeJobSet(jobSet))];
	try {
		return await jobSetToItems(ctx, itemIndex, jobSet, webhookOutputSettings(ctx, 'raw'));
	} catch (error) {
		const nodeError = error instanceof Error && 'node' in error ? error : new NodeOperationError(node, error as Error, { itemIndex });
		return [errorItem(nodeError, itemIndex, describeJobSet(jobSet))];
	}
}

async function resume(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	if (!secretMatches(receivedSecret(ctx), await executionSecret(ctx))) return reply(ctx, 401, UNAUTHORIZED);
	const body: unknown = ctx.getBodyData();
	if (!isJobSet(body)) return reply(ctx, 400, NOT_A_JOB_SET);
	const state = loadWaitState(executionCustomData(ctx));
	if (state === undefined || state.nodeId !== ctx.getNode().id) {
		return reply(ctx, 409, 'This execution is not waiting for Higgsfield job sets at this node');
	}
	const position = state.slots.findIndex((slot) => slot.jobSetId === body.id);
	if (position === -1) return reply(ctx, 400, `Job set ${body.id} is not one this execution waits for`);
	if (!isJobSetDone(body)) return reply(ctx, 200, `Job set ${body.id} is not finished yet (${jobSetStatus(body)}); still waiting`);

	// one status check of every other job set: resume only when all are finished
	const checked: Checked[] = await Promise.all(
		state.slots.map(async (slot, index) => {
			if (slot.jobSetId === undefined) return undefined;
			if (index === position) return { jobSet: body };
			return await checkJobSet(ctx, slot.jobSetId, index);
		}),
	);
	const running = checked.filter((entry) => entry !== undefined && 'jobSet' in entry && !isJobSetDone(entry.jobSet)).length;
	if (running > 0) return reply(ctx, 200, `Job set ${body.id} is finished; still waiting for ${running} more`);

	const output: INodeExecutionData[] = [];
	for (const [index, slot] of state.slots.entries()) output.push(...(await itemsOf(ctx, slot, checked[index], index)));
	return { workflowData: [output] };
}

/** The `webhook` method of every generation node: handles the callback of a waiting execution. */
export async function resumeFromWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	try {
		return await resume(this);
	} catch (error) {
		// never rethrow: n8n would overwrite the waiting execution's data with the error
		this.logger.error(`Higgsfield: a callback for a waiting execution could not be handled: ${(error as Error).message}`);
		return reply(this, 500, 'The callback could not be handled; the execution keeps waiting');
	}
}
