import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export class HiggsfieldApi implements ICredentialType {
	name = 'higgsfieldApi';

	displayName = 'Higgsfield API';

	icon: Icon = {
		light: 'file:../icons/higgsfield.svg',
		dark: 'file:../icons/higgsfield.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-higgsfield/n8n-nodes-higgsfield#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The key ID from the API Keys page of your Higgsfield dashboard',
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The key secret, shown once when the key is created',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://platform.higgsfield.ai',
			description:
				'Change only to reach another Higgsfield host (e.g. https://api.higgsfield.ai) or the local sandbox (e.g. http://127.0.0.1:4010)',
		},
		{
			displayName: 'Header Scheme',
			name: 'headerScheme',
			type: 'options',
			default: 'hfHeaders',
			options: [
				{
					name: 'hf-api-key and hf-secret Headers',
					value: 'hfHeaders',
					description: 'The scheme of the v1 API documentation',
				},
				{
					name: 'Authorization: Key ID:Secret',
					value: 'authorizationKey',
					description: 'The newer canonical scheme of the Higgsfield SDKs',
				},
			],
			description: 'How the key is sent; both are accepted by the service',
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional, legacy scheme. The secret Higgsfield sends back in the X-Webhook-Secret-Key header of its v1 completion webhooks: the Higgsfield Trigger accepts calls that carry it while no Webhook Signing Secret is set, and the v1 Higgsfield nodes send it when Completion is Send Webhook. Use a long random text.',
		},
		{
			displayName: 'Webhook Signing Secret',
			name: 'webhookSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'e.g. whsec_...',
			description:
				"Optional. Your account's webhook signing secret (whsec_...) from the Higgsfield console. When set, the Higgsfield Trigger and Wait for Webhook accept only deliveries whose Standard Webhooks signature (webhook-signature header) it verifies; the legacy X-Webhook-Secret-Key header is then no longer accepted by the trigger.",
		},
	];

	// A function rather than a generic header map, so that exactly one scheme's headers are sent.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const apiKey = String(credentials.apiKey ?? '').trim();
		const apiSecret = String(credentials.apiSecret ?? '').trim();
		const authHeaders: Record<string, string> =
			credentials.headerScheme === 'authorizationKey'
				? { Authorization: `Key ${apiKey}:${apiSecret}` }
				: { 'hf-api-key': apiKey, 'hf-secret': apiSecret };
		return { ...requestOptions, headers: { ...requestOptions.headers, ...authHeaders } };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/motions',
			method: 'GET',
		},
	};
}
