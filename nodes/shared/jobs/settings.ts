/**
 * The one reader of the completion, waiting and output settings of an item, for every node that
 * waits for jobs (v1 job sets and request API requests alike), each value checked.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CompletionMode, DownloadChoice, OutputMode } from '../descriptions/completion';
import type { OutputSettings } from './output';
import { DEFAULT_POLLING, type PollingSettings } from './watcher';
import { InputChecks } from '../validation';
import { credentialWebhookSecret } from '../webhook/secret';
import { resumeWebhookTarget } from '../generation/waitForWebhook';
import { applyToolMode, completionForTool, readToolSettings, type ToolSettings } from '../tool/settings';

export interface WaitSettings extends OutputSettings {
	maxConcurrentJobs: number;
	polling: PollingSettings;
	/** set when the node runs as an AI tool: the wait is bounded, nothing is downloaded (see tool/) */
	tool?: ToolSettings;
}

export interface CompletionSettings {
	mode: CompletionMode;
	webhook?: { url: string; secret: string };
}

const SECONDS = 1000;

/** The poll interval, max poll interval and timeout from the "options" collection of an item. */
export function readPollingSettings(ctx: IExecuteFunctions, itemIndex: number): PollingSettings {
	const checks: InputChecks = new InputChecks(ctx.getNode(), itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const initial = checks.number('Poll Interval (Seconds)', options.pollInterval ?? DEFAULT_POLLING.initialIntervalMs / SECONDS, 0.1, 3600);
	const ceiling = checks.number('Max Poll Interval (Seconds)', options.maxPollInterval ?? DEFAULT_POLLING.maxIntervalMs / SECONDS, 0.1, 3600);
	const timeoutMinutes = checks.number('Timeout (Minutes)', options.timeoutMinutes ?? DEFAULT_POLLING.timeoutMs / 60_000, 0.01, 24 * 60);
	// as a tool, a wait never outlasts the tool's bound (see tool/settings.ts)
	const tool = readToolSettings(ctx, itemIndex);
	return {
		...DEFAULT_POLLING,
		initialIntervalMs: initial * SECONDS,
		maxIntervalMs: Math.max(initial, ceiling) * SECONDS,
		timeoutMs: Math.min(timeoutMinutes * 60_000, tool?.maxWaitMs ?? Infinity),
	};
}

/** `defaultMaxConcurrentJobs`: when the option is not set (the request API's node allows more than v1's 4). */
export function readWaitSettings(ctx: IExecuteFunctions, itemIndex: number, defaultMaxConcurrentJobs = 4): WaitSettings {
	const checks: InputChecks = new InputChecks(ctx.getNode(), itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const download = checks.oneOf<DownloadChoice>('Download Results', ctx.getNodeParameter('download', itemIndex, 'raw'), ['raw', 'min', 'none']);
	return applyToolMode(readToolSettings(ctx, itemIndex), {
		download,
		outputMode: checks.oneOf<OutputMode>('Output', options.outputMode ?? 'jobSet', ['jobSet', 'result']),
		binaryPropertyName: checks.text('Binary Property', options.binaryPropertyName ?? 'data'),
		maxConcurrentJobs: checks.integer('Max Concurrent Jobs', options.maxConcurrentJobs ?? defaultMaxConcurrentJobs, 1, 16),
		polling: readPollingSettings(ctx, itemIndex),
	});
}

/**
 * The Completion mode of an item and, for the two webhook modes, the webhook to send:
 * - Send Webhook: the URL given, and the Webhook Secret field or else the credential's;
 * - Wait for Webhook: this execution's resume URL and its own secret (see waitForWebhook.ts).
 * Makes no request; a missing secret is reported before anything is submitted.
 */
export async function readCompletion(ctx: IExecuteFunctions, itemIndex: number): Promise<CompletionSettings> {
	const checks: InputChecks = new InputChecks(ctx.getNode(), itemIndex);
	const chosen = checks.oneOf<CompletionMode>('Completion', ctx.getNodeParameter('completion', itemIndex, 'poll'), [
		'poll',
		'none',
		'webhook',
		'waitForWebhook',
	]);
	const mode = completionForTool(ctx, itemIndex, chosen);
	if (mode === 'waitForWebhook') return { mode, webhook: await resumeWebhookTarget(ctx, itemIndex) };
	if (mode !== 'webhook') return { mode };
	const url = checks.fetchableUrl('Webhook URL', ctx.getNodeParameter('webhookUrl', itemIndex, ''));
	const given = ctx.getNodeParameter('webhookSecret', itemIndex, '');
	const secret = (typeof given === 'string' || typeof given === 'number' ? String(given).trim() : '') || (await credentialWebhookSecret(ctx));
	if (secret === '') {
		// never show a secret in an error: only the empty case reaches this point
		checks.fail(
			'Webhook Secret',
			'',
			'Set a Webhook Secret in the Higgsfield credential (the Higgsfield Trigger checks that one), or enter one in this field.',
		);
	}
	return { mode, webhook: { url, secret } };
}
