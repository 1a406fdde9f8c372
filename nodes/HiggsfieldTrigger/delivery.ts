/**
 * One call to the Higgsfield Trigger's production URL, from the check of its origin to the items
 * that start the workflow:
 * 1. verify it (webhook/verify.ts): a refused call is answered 401 and starts nothing;
 * 2. read the body: a v1 job set or a request-API status body, its echoed webhook secret removed;
 * 3. filter: unfinished, or with no completed job while Start On is "Completed" -> 200, nothing started;
 * 4. drop repeats: a webhook-id seen before, or the same job set / request in the same status
 *    within DUPLICATE_WINDOW_MS -> 200, nothing started;
 * 5. without downloads, hand the items to n8n, which answers 200 once the execution is started;
 *    with downloads, answer 200 FIRST (Higgsfield gives up after 10 s), then download, then start
 *    the execution. A file that cannot be fetched is named in the items: the event is never lost.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { hasResult } from '../shared/generation/jobSetJobs';
import { describeJobSet, isJobSet, isJobSetDone, jobSetStatus, type JobSet } from '../shared/jobs/jobSet';
import type { OutputSettings } from '../shared/jobs/output';
import { requestToItems, type FailedOutputDownload } from '../shared/requestApi/outputs';
import { describeRequest, isRequestDone, isRequestState, type RequestState } from '../shared/requestApi/request';
import { DUPLICATE_WINDOW_MS, deliveryKey, forget, isRepeat } from '../shared/webhook/dedupe';
import { withoutEchoedSecrets } from '../shared/webhook/echo';
import { jobSetEventItems } from '../shared/webhook/jobSetEvent';
import { webhookOutputSettings } from '../shared/webhook/outputSettings';
import { forgetId, forgetInMemory, seenBefore, seenInMemory } from '../shared/webhook/replay';
import { NOT_A_DELIVERY, acknowledge, reply } from '../shared/webhook/reply';
import { credentialSigningSecret, credentialWebhookSecret } from '../shared/webhook/secret';
import { NOT_CONFIGURED, verifyDelivery, type ExpectedSecrets } from '../shared/webhook/verify';

/** What a delivery reports, whichever API sent it. */
interface DeliveredEvent {
	/** "job set" or "request", for answers */
	kind: string;
	/** "job set <id>" or "request <id>", for answers */
	label: string;
	id: string;
	status: string;
	done: boolean;
	/** whether it brought a paid, usable result (a batch where some jobs completed counts) */
	hasResult: boolean;
	describe(): IDataObject;
	items(ctx: IWebhookFunctions, settings: OutputSettings): Promise<INodeExecutionData[]>;
}

function jobSetEvent(jobSet: JobSet): DeliveredEvent {
	return {
		kind: 'job set',
		label: `job set ${jobSet.id}`,
		id: jobSet.id,
		status: jobSetStatus(jobSet),
		done: isJobSetDone(jobSet),
		hasResult: hasResult(jobSet),
		describe: () => describeJobSet(jobSet),
		items: async (ctx, settings) => await jobSetEventItems(ctx, jobSet, settings),
	};
}

/** The request node's items; a file that cannot be fetched is named instead of failing them. */
async function requestEventItems(ctx: IWebhookFunctions, state: RequestState, settings: OutputSettings): Promise<INodeExecutionData[]> {
	const failures: FailedOutputDownload[] = [];
	const items = await requestToItems(ctx, 0, state, settings, failures);
	if (failures.length === 0) return items;
	if (settings.outputMode === 'result') {
		for (const item of items) {
			const failure = failures.find((entry) => entry.output_index === item.json.output_index);
			if (failure) item.json.download_error = `Could not download ${failure.url}: ${failure.error}`;
		}
	} else {
		items[0].json.download_errors = failures as unknown as IDataObject[];
	}
	return items;
}

function requestEvent(state: RequestState): DeliveredEvent {
	return {
		kind: 'request',
		label: `request ${state.request_id}`,
		id: state.request_id,
		status: state.status,
		done: isRequestDone(state),
		hasResult: state.status === 'completed',
		describe: () => describeRequest(state),
		items: async (ctx, settings) => await requestEventItems(ctx, state, settings),
	};
}

function readEvent(body: unknown): DeliveredEvent | undefined {
	if (isJobSet(body)) return jobSetEvent(body);
	if (isRequestState(body)) return requestEvent(body);
	return undefined;
}

async function expectedSecrets(ctx: IWebhookFunctions): Promise<ExpectedSecrets> {
	try {
		return { signingSecret: await credentialSigningSecret(ctx), legacySecret: await credentialWebhookSecret(ctx) };
	} catch (error) {
		ctx.logger.warn(`Higgsfield Trigger could not read its credential: ${(error as Error).message}`);
		return { signingSecret: '', legacySecret: '' };
	}
}

/** "one item per result" has nothing to show for a job set without results: show the event itself */
function atLeastOne(items: INodeExecutionData[], event: DeliveredEvent): INodeExecutionData[] {
	return items.length > 0 ? items : [{ json: event.describe(), pairedItem: { item: 0 } }];
}

export async function handleDelivery(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const verdict = await verifyDelivery(ctx, await expectedSecrets(ctx));
	if (!verdict.ok) {
		if (verdict.reason === NOT_CONFIGURED) ctx.logger.warn('Higgsfield Trigger refused a call: its Higgsfield credential has no Webhook Signing Secret and no Webhook Secret');
		return reply(ctx, 401, verdict.reason);
	}

	const event = readEvent(withoutEchoedSecrets(ctx.getBodyData()));
	if (!event) return reply(ctx, 400, NOT_A_DELIVERY);
	const { label, status } = event;
	if (!event.done) return reply(ctx, 200, `Ignored: ${label} is not finished yet (${status})`);
	// as in the action nodes, a batch in which some jobs completed is a result (the others are marked)
	if (ctx.getNodeParameter('startOn', 'completed') !== 'anyTerminal' && !event.hasResult) {
		return reply(ctx, 200, `Ignored: ${label} ended as ${status}; this trigger starts on completed ${event.kind}s only`);
	}
	const settings = webhookOutputSettings(ctx, 'none');

	const staticData = ctx.getWorkflowStaticData('node');
	const scope = `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;
	if (verdict.scheme === 'signature' && seenBefore(scope, verdict.webhookId, staticData)) {
		return reply(ctx, 200, `Ignored: delivery ${verdict.webhookId} was received before`);
	}
	const key = deliveryKey(event.id, status);
	const memoryKey = `${scope}\nevent\n${key}`;
	// both are consulted (and so both remember it): memory sees a repeat while this call still runs
	const inMemory = seenInMemory(memoryKey, DUPLICATE_WINDOW_MS);
	const saved = isRepeat(staticData, key);
	if (inMemory || saved) return reply(ctx, 200, `Ignored: ${label} (${status}) was delivered before and already started this workflow`);

	if (settings.download === 'none') {
		try {
			return { workflowData: [atLeastOne(await event.items(ctx, settings), event)] };
		} catch (error) {
			// nothing was started: let a repeated delivery try again
			forget(staticData, key);
			forgetInMemory(memoryKey);
			if (verdict.scheme === 'signature') forgetId(scope, verdict.webhookId, staticData);
			throw new NodeOperationError(ctx.getNode(), error as Error);
		}
	}

	// Higgsfield waits at most 10 s for an answer: acknowledge now, download after
	acknowledge(ctx);
	let items: INodeExecutionData[];
	try {
		items = atLeastOne(await event.items(ctx, settings), event);
	} catch (error) {
		// the event must still start the workflow: without files, saying why
		items = [{ json: { ...event.describe(), download_errors: [{ error: (error as Error).message }] }, pairedItem: { item: 0 } }];
	}
	return { workflowData: [items], noWebhookResponse: true };
}
