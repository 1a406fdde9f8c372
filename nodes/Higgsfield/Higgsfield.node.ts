import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { RESUME_WEBHOOKS, resumeFromWebhook } from '../shared/generation/waitForWebhook';
import { toolProperties } from '../shared/tool/descriptions';
import { router } from './v1/actions/router';
import { versionProperties } from './v1/actions/versionDescription';
import { getMediaArguments, getModelArguments, searchModels } from './v1/methods';

/** The Higgsfield node: every model of the request API. Its fields and operations live in v1/. */
export class Higgsfield implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Higgsfield',
		name: 'higgsfield',
		icon: { light: 'file:../../icons/higgsfield.svg', dark: 'file:../../icons/higgsfield.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "generate" ? "Generate: " + ($parameter["model"] || "") : { getStatus: "Get status", cancel: "Cancel request", deleteData: "Delete request data" }[$parameter["operation"]] }}',
		description:
			'Run any Higgsfield model (Soul, DoP, Speak, Kling, Seedance, Veo, Sora, nano-banana, FLUX, ...) through the request API: images, videos and audio, with submissions that are safe to retry',
		defaults: { name: 'Higgsfield' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'higgsfieldApi', required: true }],
		// Completion "Wait for Webhook": the execution's resume URL is sent as hf_webhook
		webhooks: RESUME_WEBHOOKS,
		properties: [...toolProperties('higgsfield'), ...versionProperties],
	};

	methods = {
		listSearch: { searchModels },
		loadOptions: { getMediaArguments },
		resourceMapping: { getModelArguments },
	};

	webhook = resumeFromWebhook;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
