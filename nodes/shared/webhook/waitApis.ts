/**
 * What Completion "Wait for Webhook" needs to know of each API: how its callbacks are verified,
 * what a delivered body is, how to check the others, and how a finished one becomes items.
 * - v1 job sets (Soul, DoP, Speak nodes): the job set is POSTed with X-Webhook-Secret-Key set to a
 *   secret of this execution (secret.ts executionSecret); if Higgsfield also signs it and the
 *   credential has a signing secret, a signature is accepted too.
 * - requests (the Higgsfield node): the status body is POSTed signed with the account's signing
 *   secret (Standard Webhooks) and nothing else; without the credential's signing secret a request
 *   node refuses Wait for Webhook before submitting (see waitForWebhook.ts).
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorItem } from '../items';
import { asJobSet, describeJobSet, isJobSet, isJobSetDone, jobSetStatus, type JobSet } from '../jobs/jobSet';
import { jobSetToItems, type OutputSettings } from '../jobs/output';
import { unsuccessfulRequestError } from '../requestApi/errors';
import { requestToItems } from '../requestApi/outputs';
import { describeRequest, isRequestDone, isRequestState, outputUrls, type RequestState } from '../requestApi/request';
import { fetchRequestStatus } from '../requestApi/source';
import { higgsfieldApiRequest } from '../transport';
import { unsuccessfulJobSetError } from '../generation/jobSetErrors';
import { hasResult } from '../generation/jobSetJobs';
import { credentialSigningSecret, executionSecret } from './secret';
import type { ExpectedSecrets } from './verify';
import type { WaitKind } from './waitState';

export interface WaitApi<J> {
	kind: WaitKind;
	/** "Job set" / "Request", at the start of answers */
	noun: string;
	/** the field that names the id in items passed through when the wait times out */
	idField: string;
	/** where a user looks it up later */
	lookupHint: string;
	notAPayload: string;
	expectedSecrets(ctx: IWebhookFunctions): Promise<ExpectedSecrets>;
	read(body: unknown): J | undefined;
	id(job: J): string;
	isDone(job: J): boolean;
	status(job: J): string;
	fetch(ctx: IWebhookFunctions, id: string, itemIndex: number): Promise<J>;
	describe(job: J): IDataObject;
	/** The items of one finished job: its results, or an error item when it gave nothing usable. */
	toItems(ctx: IWebhookFunctions, job: J, itemIndex: number, settings: OutputSettings): Promise<INodeExecutionData[]>;
}

/** An error while making items (a download) becomes an error item naming the job. */
async function itemsOrError(ctx: IWebhookFunctions, itemIndex: number, context: IDataObject, make: () => Promise<INodeExecutionData[]>): Promise<INodeExecutionData[]> {
	try {
		return await make();
	} catch (error) {
		const nodeError = error instanceof Error && 'node' in error ? error : new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
		return [errorItem(nodeError, itemIndex, context)];
	}
}

export const JOB_SET_WAIT: WaitApi<JobSet> = {
	kind: 'jobSet',
	noun: 'Job set',
	idField: 'job_set_id',
	lookupHint: 'Fetch it with the Get Job Set node',
	notAPayload: 'The body is not a Higgsfield job set (a JSON object with an "id" and a "jobs" list)',
	expectedSecrets: async (ctx) => ({ signingSecret: await credentialSigningSecret(ctx), legacySecret: await executionSecret(ctx), legacyAlongsideSignature: true }),
	read: (body) => (isJobSet(body) ? body : undefined),
	id: (jobSet) => jobSet.id,
	isDone: isJobSetDone,
	status: jobSetStatus,
	fetch: async (ctx, id, itemIndex) =>
		asJobSet(await higgsfieldApiRequest(ctx, { method: 'GET', path: `/v1/job-sets/${encodeURIComponent(id)}`, itemIndex }), ctx.getNode(), itemIndex),
	describe: describeJobSet,
	toItems: async (ctx, jobSet, itemIndex, settings) => {
		// a batch with at least one result keeps it (see jobs/output.ts)
		if (!hasResult(jobSet)) return [errorItem(unsuccessfulJobSetError(ctx, jobSet, itemIndex), itemIndex, describeJobSet(jobSet))];
		return await itemsOrError(ctx, itemIndex, describeJobSet(jobSet), async () => await jobSetToItems(ctx, itemIndex, jobSet, settings));
	},
};

export const REQUEST_WAIT: WaitApi<RequestState> = {
	kind: 'request',
	noun: 'Request',
	idField: 'request_id',
	lookupHint: "Get it with the Higgsfield node's Get Status operation",
	notAPayload: 'The body is not a Higgsfield request status (a JSON object with "request_id" and "status")',
	expectedSecrets: async (ctx) => ({ signingSecret: await credentialSigningSecret(ctx), legacySecret: '' }),
	read: (body) => (isRequestState(body) ? body : undefined),
	id: (state) => state.request_id,
	isDone: isRequestDone,
	status: (state) => state.status,
	fetch: async (ctx, id, itemIndex) => await fetchRequestStatus(ctx, id, itemIndex),
	describe: describeRequest,
	toItems: async (ctx, state, itemIndex, settings) => {
		if (state.status !== 'completed' || outputUrls(state).length === 0) {
			return [errorItem(unsuccessfulRequestError(ctx, state, itemIndex), itemIndex, describeRequest(state))];
		}
		return await itemsOrError(ctx, itemIndex, describeRequest(state), async () => await requestToItems(ctx, itemIndex, state, settings));
	},
};

export function waitApiOf(kind: WaitKind): WaitApi<JobSet> | WaitApi<RequestState> {
	return kind === 'request' ? REQUEST_WAIT : JOB_SET_WAIT;
}
