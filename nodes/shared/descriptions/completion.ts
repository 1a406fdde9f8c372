/**
 * The waiting, webhook and download fields every generation node shares, written once.
 * Parameter names are stored in users' workflows: never rename them.
 */
import type { INodeProperties } from 'n8n-workflow';

export type CompletionMode = 'poll' | 'none' | 'webhook' | 'waitForWebhook';
export type DownloadChoice = 'none' | 'raw' | 'min';
export type OutputMode = 'jobSet' | 'result';

export const downloadProperty: INodeProperties = {
	displayName: 'Download Results',
	name: 'download',
	type: 'options',
	default: 'raw',
	options: [
		{ name: 'Full File', value: 'raw', description: 'The full-quality result (PNG image, MP4 video)' },
		{ name: 'Preview', value: 'min', description: 'The smaller preview the service makes' },
		{ name: 'None', value: 'none', description: 'Only return the result URLs' },
	],
	description:
		'Whether to put each result file into the binary data of the output (data, data_1, ... for a batch). Higgsfield keeps result URLs for a limited time, so downloading is the durable option.',
};

export const completionProperty: INodeProperties = {
	displayName: 'Completion',
	name: 'completion',
	type: 'options',
	default: 'poll',
	noDataExpression: true,
	options: [
		{
			name: 'Wait by Polling',
			value: 'poll',
			description: 'Check the job until it is done, then output its results',
		},
		{
			name: "Don't Wait",
			value: 'none',
			description: 'Output the submitted job set at once; fetch it later with Get Job Set',
		},
		{
			name: 'Send Webhook',
			value: 'webhook',
			description:
				'Output the submitted job set at once; Higgsfield calls a Higgsfield Trigger workflow when it is done',
		},
		{
			name: 'Wait for Webhook',
			value: 'waitForWebhook',
			description:
				"Pause this execution until Higgsfield calls back, then continue with the results. Without a callback within Options > Timeout, n8n continues with this node's input items, marked wait_timed_out: true.",
		},
	],
	description: 'What the node does after submitting the job',
	hint: 'Wait for Webhook needs n8n to be reachable from the internet (set WEBHOOK_URL); otherwise use Wait by Polling',
};

export const webhookProperties: INodeProperties[] = [
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://n8n.example.com/webhook/3f1c.../higgsfield',
		description:
			'The Production URL of a Higgsfield Trigger node (open the trigger and copy it). The workflow must be published.',
		displayOptions: { show: { completion: ['webhook'] } },
	},
	{
		displayName: 'Webhook Secret',
		name: 'webhookSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description:
			'Leave empty to send the Webhook Secret of the credential, which is the one the Higgsfield Trigger checks. Higgsfield sends the secret back in the X-Webhook-Secret-Key header.',
		displayOptions: { show: { completion: ['webhook'] } },
	},
];

export const waitOptionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Binary Property',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			description:
				'Name of the binary property for the first result; further results of a batch get _1, _2, ... appended.',
		},
		{
			displayName: 'Max Concurrent Jobs',
			name: 'maxConcurrentJobs',
			type: 'number',
			default: 4,
			typeOptions: { minValue: 1, maxValue: 16 },
			description:
				'How many items are submitted and waited for (and their results downloaded) at the same time. One value for the whole node: an expression must give every item the same number. Higgsfield allows 4 per API key (2 for the first Soul 1080p generations).',
		},
		{
			displayName: 'Max Poll Interval (Seconds)',
			name: 'maxPollInterval',
			type: 'number',
			default: 10,
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			description: 'The longest time between two checks of a job',
		},
		{
			displayName: 'Output',
			name: 'outputMode',
			type: 'options',
			default: 'jobSet',
			options: [
				{ name: 'One Item per Job Set', value: 'jobSet' },
				{ name: 'One Item per Result', value: 'result', description: 'E.g. four items for a batch of four images.' },
			],
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			default: 2,
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			description: 'Time before the first check; later checks back off by 1.5x up to the max poll interval',
		},
		{
			displayName: 'Timeout (Minutes)',
			name: 'timeoutMinutes',
			type: 'number',
			default: 45,
			typeOptions: { minValue: 0.01, numberPrecision: 2 },
			description:
				'How long to wait for a job before giving up; the error names the job set so you can pick it up later with Get Job Set',
		},
	],
};

/** The completion, webhook, download and option fields, in order, at the end of every generate operation. */
export const generationCompletionProperties: INodeProperties[] = [
	completionProperty,
	...webhookProperties,
	{ ...downloadProperty, displayOptions: { show: { completion: ['poll', 'waitForWebhook'] } } },
	waitOptionsProperty,
];
