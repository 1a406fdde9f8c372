/**
 * A v1 generation operation (Soul, DoP, Speak) over all input items: the shared job runner
 * (jobs/runJobs.ts) with job sets as its jobs. Each item is read and checked first, its media
 * uploaded, then POSTed to the operation's endpoint; with Wait for Webhook the execution then
 * waits for Higgsfield's callbacks (waitForWebhook.ts).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { resolveMediaUrl, type MediaInput } from '../binary/input';
import { asJobSet, describeJobSet, type JobSet } from '../jobs/jobSet';
import { jobSetToItems } from '../jobs/output';
import { longestWait, runJobs, type JobAdapter, type JobPlan } from '../jobs/runJobs';
import { readCompletion, readWaitSettings, type CompletionSettings } from '../jobs/settings';
import { higgsfieldApiRequest, DEFAULT_RETRY_POLICY } from '../transport';
import { jobSetJobs } from './jobSetJobs';
import { waitForWebhooks } from './waitForWebhook';

export interface MediaSlot {
	input: MediaInput;
	/** puts the resolved URL into the params */
	assign(url: string): void;
}

export interface PreparedGeneration {
	params: IDataObject;
	media: MediaSlot[];
}

export interface GenerationOperation {
	/** e.g. /v1/text2image/soul */
	endpoint: string;
	/** reads and checks one item's fields; makes no request */
	prepare(ctx: IExecuteFunctions, itemIndex: number): PreparedGeneration;
}

interface GenerationPlan extends JobPlan {
	generation: PreparedGeneration;
	completion: CompletionSettings;
}

async function submit(ctx: IExecuteFunctions, operation: GenerationOperation, plan: GenerationPlan, signal: AbortSignal): Promise<JobSet> {
	const { generation, completion, itemIndex } = plan;
	for (const slot of generation.media) slot.assign(await resolveMediaUrl(ctx, itemIndex, slot.input));
	const body: IDataObject = { params: generation.params };
	if (completion.webhook) body.webhook = completion.webhook;
	const answer = await higgsfieldApiRequest(ctx, {
		method: 'POST',
		path: operation.endpoint,
		body,
		kind: 'submit',
		itemIndex,
		secrets: completion.webhook ? [completion.webhook.secret] : [],
		// waiting for a free slot under the service's cap may take as long as waiting for a job
		policy: { ...DEFAULT_RETRY_POLICY, busyBudgetMs: plan.settings.polling.timeoutMs },
		signal,
	});
	return asJobSet(answer, ctx.getNode(), itemIndex);
}

function generationJobs(ctx: IExecuteFunctions, operation: GenerationOperation): JobAdapter<GenerationPlan, JobSet> {
	return {
		...jobSetJobs<GenerationPlan>(ctx),
		submit: async (plan, signal) => await submit(ctx, operation, plan, signal),
		toItems: async (jobSet, plan) =>
			plan.wait ? await jobSetToItems(ctx, plan.itemIndex, jobSet, plan.settings) : [{ json: describeJobSet(jobSet), pairedItem: { item: plan.itemIndex } }],
		paidSubmissions: { lookupHint: 'fetch them with Get Job Set' },
	};
}

export async function runGenerations(ctx: IExecuteFunctions, operation: GenerationOperation): Promise<INodeExecutionData[]> {
	const { outputs, plans } = await runJobs<GenerationPlan, JobSet>(
		ctx,
		// every item is read and checked before anything is sent
		async (itemIndex) => {
			const generation = operation.prepare(ctx, itemIndex);
			const completion = await readCompletion(ctx, itemIndex);
			return { itemIndex, generation, completion, wait: completion.mode === 'poll', settings: readWaitSettings(ctx, itemIndex) };
		},
		generationJobs(ctx, operation),
	);
	// the execution waits once for all items: as long as the item with the longest Timeout
	if (plans[0]?.completion.mode === 'waitForWebhook') return await waitForWebhooks(ctx, outputs, longestWait(plans));
	return outputs.flat();
}
