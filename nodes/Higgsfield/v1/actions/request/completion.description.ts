/**
 * The completion, webhook, download and option fields of the v1 nodes (descriptions/completion.ts),
 * with the same parameter names and choices, worded for requests. A request-API webhook is
 * ?hf_webhook=<url>; its deliveries are signed per account, so there is no per-request secret field.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { DEFAULT_MAX_CONCURRENT_REQUESTS } from '../../../../shared/requestApi/jobs';
import { completionProperty, downloadProperty, waitOptionsProperty, webhookProperties } from '../../../../shared/descriptions/completion';

const COMPLETION_DESCRIPTIONS: Record<string, string> = {
	poll: 'Check the request until it is done, then output its results',
	none: 'Output the submitted request at once; get it later with Get Status',
	webhook: 'Output the submitted request at once; Higgsfield calls a Higgsfield Trigger workflow when it is done',
};

const OPTION_OVERRIDES: Record<string, Partial<INodeProperties>> = {
	maxConcurrentJobs: {
		displayName: 'Max Concurrent Requests',
		default: DEFAULT_MAX_CONCURRENT_REQUESTS,
		description:
			'How many items are submitted and waited for at the same time. Higgsfield queues requests over your account limit itself, so this may exceed it; a full queue (429) is waited out.',
	},
	outputMode: {
		options: [
			{ name: 'One Item per Request', value: 'jobSet' },
			{ name: 'One Item per Result', value: 'result', description: 'E.g. four items for a request that made four images.' },
		],
	},
	timeoutMinutes: {
		description: 'How long to wait for a request before giving up; the error names the request so you can get it later with Get Status',
	},
	binaryPropertyName: {
		description: 'Name of the binary property for the first output file; further files get _1, _2, ... appended',
	},
};

export const requestCompletionProperty: INodeProperties = {
	...completionProperty,
	description: 'What the node does after submitting the request',
	options: (completionProperty.options as INodePropertyOptions[]).map((option) => ({
		...option,
		description: COMPLETION_DESCRIPTIONS[String(option.value)] ?? option.description,
	})),
};

export const requestDownloadProperty: INodeProperties = {
	...downloadProperty,
	options: (downloadProperty.options as INodePropertyOptions[]).filter((option) => option.value !== 'min'),
	description:
		'Whether to put each output file into the binary data of the output item (data, data_1, ...). Higgsfield keeps outputs for a limited time (7 days by default), so downloading is the durable option.',
};

export const requestWaitOptionsProperty: INodeProperties = {
	...waitOptionsProperty,
	options: (waitOptionsProperty.options as INodeProperties[]).map((option) => ({ ...option, ...OPTION_OVERRIDES[option.name] }) as INodeProperties),
};

const webhookUrlProperty = webhookProperties.find((property) => property.name === 'webhookUrl') as INodeProperties;

export const generateCompletionProperties: INodeProperties[] = [
	requestCompletionProperty,
	{
		...webhookUrlProperty,
		description:
			"The Production URL of a Higgsfield Trigger node (open the trigger and copy it); sent as ?hf_webhook=. Higgsfield signs its deliveries with your account's signing secret. The workflow must be published.",
	},
	{ ...requestDownloadProperty, displayOptions: { show: { completion: ['poll', 'waitForWebhook'] } } },
	requestWaitOptionsProperty,
];
