/**
 * Completion "Wait for Webhook": no second workflow needed. Every job set (v1 nodes) or request
 * (the Higgsfield node, sent as ?hf_webhook=) is submitted with the execution's own resume URL as
 * its webhook, the execution is put to wait the way n8n's Wait node does it, and Higgsfield's
 * callback resumes it with the results.
 *
 * How n8n drives this (2.x and 1.x):
 * - `$execution.resumeUrl` is `<WEBHOOK_URL>/webhook-waiting/<execution id>?signature=<token>`;
 *   n8n refuses a call without the token (401) before the node sees it.
 * - On a call, n8n loads the waiting execution and runs the node's `webhook` method (the
 *   `restartWebhook` description below). Returning `workflowData` resumes the execution with those
 *   items as this node's output; returning without it leaves the execution waiting, untouched.
 *   Throwing there would replace the execution's data with the error, so the resume never throws.
 * - When the wait time runs out, n8n resumes the execution WITHOUT running this node again: the
 *   node is treated as disabled and its input items pass through. So, before waiting, the node
 *   replaces its saved input with copies of the items marked `wait_timed_out: true` (plus the id
 *   and a message): that is what comes out on a timeout, and downstream nodes can test it.
 *
 * Callbacks are verified by the one webhook module (webhook/verify.ts, webhook/waitApis.ts). With
 * several items, every callback checks the other job sets / requests once; the execution resumes
 * on the callback that finds every one finished, so all items come out together, in input order.
 * A check that fails (outage) does not count as finished: the callback is answered 503, the
 * execution keeps waiting, and Higgsfield may deliver again.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorItem } from '../items';
import type { WaitSettings } from '../jobs/settings';
import { Semaphore } from '../jobs/semaphore';
import { isJobSet } from '../jobs/jobSet';
import { isRequestState } from '../requestApi/request';
import { executionCustomData } from '../webhook/customData';
import { withoutEchoedSecrets } from '../webhook/echo';
import { webhookOutputSettings } from '../webhook/outputSettings';
import { REPLAY_MEMORY_MS, forgetInMemory, seenInMemory } from '../webhook/replay';
import { acknowledge, reply } from '../webhook/reply';
import { credentialSigningSecret, executionSecret } from '../webhook/secret';
import { waitApiOf, type WaitApi } from '../webhook/waitApis';
import { verifyDelivery } from '../webhook/verify';
import { loadWaitState, saveWaitState, waitCapacityProblem, type WaitKind, type WaitSlot } from '../webhook/waitState';

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

/** Set to true on the items that come out when the wait ran out without every callback. */
export const WAIT_TIMED_OUT_FIELD = 'wait_timed_out';

/** How many other job sets / requests one callback checks at once. */
const CHECKS_AT_ONCE = 4;

/** This execution's resume URL, after the checks every item of a waiting node must pass. */
function resumeUrl(ctx: IExecuteFunctions, itemIndex: number): string {
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
	return url;
}

/**
 * v1 nodes: the webhook one item sends in Wait for Webhook mode, the resume URL of this execution
 * and a secret of this execution. Checked for every item before anything is submitted.
 */
export async function resumeWebhookTarget(ctx: IExecuteFunctions, itemIndex: number): Promise<{ url: string; secret: string }> {
	return { url: resumeUrl(ctx, itemIndex), secret: await executionSecret(ctx) };
}

/**
 * The Higgsfield node (request API): the URL to send as ?hf_webhook= in Wait for Webhook mode.
 * Request-API deliveries are signed with the account's signing secret and carry nothing else to
 * check, so the credential must have its Webhook Signing Secret: without it, every callback would
 * be refused and the execution would wait in vain, so the item is refused before any request.
 */
export async function requestResumeWebhookUrl(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const url = resumeUrl(ctx, itemIndex);
	if ((await credentialSigningSecret(ctx)) === '') {
		throw new NodeOperationError(ctx.getNode(), `Wait for Webhook needs the Webhook Signing Secret of the Higgsfield credential [item ${itemIndex}]`, {
			itemIndex,
			description:
				"Nothing was submitted. Higgsfield signs request callbacks with your account's signing secret (whsec_..., in the Higgsfield console): add it to the credential, or use Wait by Polling.",
		});
	}
	return url;
}

/** What one item submitted: its job set or request, or why it has none. */
function slotOf(items: INodeExecutionData[]): WaitSlot & { kind?: WaitKind } {
	const json = items[0]?.json;
	if (json === undefined) return { error: 'It produced no job set or request' };
	if (json.error !== undefined) return { error: String(json.error) };
	if (isJobSet(json)) return { id: json.id, kind: 'jobSet' };
	if (isRequestState(json)) return { id: json.request_id, kind: 'request' };
	return { error: 'It produced no job set or request' };
}

/**
 * Replaces the node's saved input with the items n8n passes through when the wait runs out:
 * each input item marked `wait_timed_out: true`, with its id and what to do.
 */
function markForTimeout(ctx: IExecuteFunctions, slots: WaitSlot[], api: WaitApi<never>, settings: WaitSettings): void {
	const data = ctx.getExecuteData().data;
	const input = data.main?.[0];
	if (!input) return;
	const minutes = Math.round((settings.polling.timeoutMs / 60_000) * 100) / 100;
	data.main[0] = input.map((item, index) => {
		const slot = slots[index] ?? {};
		const message =
			slot.id !== undefined
				? `No callback from Higgsfield within the Timeout (${minutes} minutes): ${api.noun.toLowerCase()} ${slot.id} may still be running. ${api.lookupHint} and ID ${slot.id}.`
				: `It failed before the wait: ${slot.error ?? 'nothing was submitted'}`;
		const json: IDataObject = { ...item.json, [WAIT_TIMED_OUT_FIELD]: true, [api.idField]: slot.id ?? null, wait_message: message };
		return { ...item, json, pairedItem: item.pairedItem ?? { item: index } };
	});
}

/**
 * After every item was submitted (`outputs` holds, per input item, its job set / request or its
 * error): remembers the ids and puts the execution to wait for at most the Timeout option.
 */
export async function waitForWebhooks(ctx: IExecuteFunctions, outputs: INodeExecutionData[][], settings: WaitSettings): Promise<INodeExecutionData[]> {
	const found = outputs.map(slotOf);
	const kind = found.find((slot) => slot.kind !== undefined)?.kind;
	if (kind === undefined) return outputs.flat();
	const slots: WaitSlot[] = found.map(({ id, error }) => (id !== undefined ? { id } : { error }));
	const ids = slots.flatMap((slot) => (slot.id === undefined ? [] : [slot.id]));
	const api = waitApiOf(kind);
	if (!saveWaitState(executionCustomData(ctx), { nodeId: ctx.getNode().id, kind, slots })) {
		throw new NodeOperationError(ctx.getNode(), `The ${api.noun.toLowerCase()}s were submitted, but this execution cannot keep their ids to wait for them`, {
			description: `They keep running on Higgsfield (${ids.join(', ')}): ${api.lookupHint}, or use Wait by Polling.`,
		});
	}
	markForTimeout(ctx, slots, api as WaitApi<never>, settings);
	await ctx.putExecutionToWait(new Date(Date.now() + settings.polling.timeoutMs));
	// shown while the execution waits; n8n replaces it with the output of the resume
	return outputs.flat();
}

/**
 * Marks the one resume of a wait. The ids are part of it: the same node of the same execution can
 * wait again (e.g. inside a loop), for other job sets / requests.
 */
function resumingKey(ctx: IWebhookFunctions, slots: WaitSlot[]): string {
	return `resuming\n${ctx.getExecutionId()}\n${ctx.getNode().id}\n${slots.map((slot) => slot.id ?? '').join(',')}`;
}

function loadWaitStateSafely(ctx: IWebhookFunctions) {
	try {
		return loadWaitState(executionCustomData(ctx));
	} catch {
		return undefined;
	}
}

type Checked<J> = { job: J } | { error: Error } | undefined;

async function checkOthers<J>(ctx: IWebhookFunctions, api: WaitApi<J>, slots: WaitSlot[], position: number, delivered: J): Promise<Array<Checked<J>>> {
	const bound = new Semaphore(CHECKS_AT_ONCE);
	return await Promise.all(
		slots.map(async (slot, index): Promise<Checked<J>> => {
			if (slot.id === undefined) return undefined;
			if (index === position) return { job: delivered };
			const release = await bound.acquire();
			try {
				return { job: await api.fetch(ctx, slot.id, index) };
			} catch (error) {
				return { error: error as Error };
			} finally {
				release();
			}
		}),
	);
}

async function resumeWith<J>(ctx: IWebhookFunctions, api: WaitApi<J>, slots: WaitSlot[]): Promise<IWebhookResponseData> {
	const verdict = await verifyDelivery(ctx, await api.expectedSecrets(ctx));
	if (!verdict.ok) return reply(ctx, 401, verdict.reason);
	// a signed delivery seen before (a replay, or Higgsfield's redelivery of one already handled)
	const webhookId = verdict.scheme === 'signature' ? verdict.webhookId : undefined;
	const replayKey = webhookId !== undefined ? `wait\n${ctx.getExecutionId()}\n${ctx.getNode().id}\n${webhookId}` : undefined;
	if (replayKey !== undefined && seenInMemory(replayKey, REPLAY_MEMORY_MS)) return reply(ctx, 200, `Ignored: delivery ${webhookId} was received before`);
	const forgetDelivery = () => replayKey !== undefined && forgetInMemory(replayKey);

	const job = api.read(withoutEchoedSecrets(ctx.getBodyData()));
	if (job === undefined) {
		forgetDelivery();
		return reply(ctx, 400, api.notAPayload);
	}
	const id = api.id(job);
	const position = slots.findIndex((slot) => slot.id === id);
	if (position === -1) {
		forgetDelivery();
		return reply(ctx, 400, `${api.noun} ${id} is not one this execution waits for`);
	}
	if (!api.isDone(job)) return reply(ctx, 200, `${api.noun} ${id} is not finished yet (${api.status(job)}); still waiting`);

	// one status check of every other one: resume only when all are known to be finished
	const checked = await checkOthers(ctx, api, slots, position, job);
	const unchecked = checked.flatMap((entry, index) => (entry !== undefined && 'error' in entry ? [slots[index].id as string] : []));
	if (unchecked.length > 0) {
		// "could not check" is not "finished": keep waiting, and let Higgsfield deliver this again
		forgetDelivery();
		const first = checked.find((entry): entry is { error: Error } => entry !== undefined && 'error' in entry);
		return reply(
			ctx,
			503,
			`${api.noun} ${id} is finished, but ${unchecked.join(', ')} could not be checked (${first?.error.message ?? 'unknown error'}); still waiting`,
		);
	}
	const running = checked.filter((entry) => entry !== undefined && 'job' in entry && !api.isDone(entry.job)).length;
	if (running > 0) return reply(ctx, 200, `${api.noun} ${id} is finished; still waiting for ${running} more`);

	// one resume per execution: a callback arriving while this one downloads finds n8n's record
	// still "waiting", so this process remembers that it is resuming
	const settings = webhookOutputSettings(ctx, 'raw');
	if (seenInMemory(resumingKey(ctx, slots), REPLAY_MEMORY_MS)) {
		return reply(ctx, 200, 'Ignored: this execution is already resuming');
	}
	// downloads may take longer than Higgsfield waits for an answer (10 s): answer first
	const acknowledged = settings.download !== 'none';
	if (acknowledged) acknowledge(ctx);
	const output: INodeExecutionData[] = [];
	for (const [index, slot] of slots.entries()) {
		const entry = checked[index];
		if (slot.id === undefined || entry === undefined || !('job' in entry)) {
			output.push(errorItem(new NodeOperationError(ctx.getNode(), `Item ${index} failed before the wait: ${slot.error ?? 'no job set or request'}`), index));
		} else {
			output.push(...(await api.toItems(ctx, entry.job, index, settings)));
		}
	}
	return acknowledged ? { workflowData: [output], noWebhookResponse: true } : { workflowData: [output] };
}

async function resume(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const state = loadWaitState(executionCustomData(ctx));
	if (state === undefined || state.nodeId !== ctx.getNode().id) {
		return reply(ctx, 409, 'This execution is not waiting for Higgsfield job sets or requests at this node');
	}
	const api = waitApiOf(state.kind);
	return await resumeWith(ctx, api as WaitApi<unknown>, state.slots);
}

/** The `webhook` method of every generation node: handles the callback of a waiting execution. */
export async function resumeFromWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	try {
		return await resume(this);
	} catch (error) {
		// never rethrow: n8n would overwrite the waiting execution's data with the error
		this.logger.error(`Higgsfield: a callback for a waiting execution could not be handled: ${(error as Error).message}`);
		// let a later callback try again
		const state = loadWaitStateSafely(this);
		if (state) forgetInMemory(resumingKey(this, state.slots));
		if (this.getResponseObject().headersSent) return { noWebhookResponse: true };
		return reply(this, 500, 'The callback could not be handled; the execution keeps waiting');
	}
}
