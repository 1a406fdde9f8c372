// The Higgsfield API credential: authenticate sends exactly one scheme, and its test request
// (run as n8n's credential tester runs it, through n8n-core's RoutingNode) passes with good keys
// and fails with bad ones against the sandbox.
import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INode,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { HiggsfieldApi } from '../credentials/HiggsfieldApi.credentials';
import { startSandbox } from './sandbox';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type Scheme = 'hfHeaders' | 'authorizationKey';

const credential = new HiggsfieldApi();
const GOOD = { apiKey: 'hf-sandbox-key', apiSecret: 'hf-sandbox-secret' };
const AUTH_HEADERS = ['hf-api-key', 'hf-secret', 'authorization'];

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => sb.clearLog());

async function authenticate(data: ICredentialDataDecryptedObject, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	if (typeof credential.authenticate !== 'function') throw new Error('the credential must authenticate with a function');
	return await credential.authenticate(data, options);
}

describe('authenticate', () => {
	test('hf-api-key and hf-secret: exactly these two headers, other headers kept', async () => {
		const request: IHttpRequestOptions = { url: '/v1/motions', method: 'GET', headers: { Accept: 'application/json' } };
		const signed = await authenticate({ ...GOOD, headerScheme: 'hfHeaders' }, request);
		expect(signed).toEqual({
			url: '/v1/motions',
			method: 'GET',
			headers: { Accept: 'application/json', 'hf-api-key': 'hf-sandbox-key', 'hf-secret': 'hf-sandbox-secret' },
		});
		// the caller's options are not changed in place
		expect(request.headers).toEqual({ Accept: 'application/json' });
	});

	test('Authorization: Key id:secret, and nothing else', async () => {
		const signed = await authenticate({ ...GOOD, headerScheme: 'authorizationKey' }, { url: '/x', headers: {} });
		expect(signed.headers).toEqual({ Authorization: 'Key hf-sandbox-key:hf-sandbox-secret' });
	});

	test('the default scheme is hf headers, and pasted keys are trimmed', async () => {
		const signed = await authenticate({ apiKey: ' hf-sandbox-key\n', apiSecret: '\thf-sandbox-secret ' }, { url: '/x' });
		expect(signed.headers).toEqual({ 'hf-api-key': 'hf-sandbox-key', 'hf-secret': 'hf-sandbox-secret' });
	});
});

const CREDENTIAL_REF = { id: 'credential-1', name: 'Higgsfield' };

/** Applies the credential's authenticate, as n8n's CredentialsHelper does. */
class CredentialsHelper extends ICredentialsHelper {
	getParentTypes(): string[] {
		return [];
	}

	async authenticate(data: ICredentialDataDecryptedObject, _type: string, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return await authenticate(data, options);
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('the test passes decrypted credentials');
	}

	async getDecrypted(): Promise<never> {
		throw new Error('the test passes decrypted credentials');
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties() {
		return credential.properties;
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}
}

/**
 * Runs the credential's test request the way n8n's credential tester does: a temporary
 * declarative node whose one property routes the test request, run by n8n-core's RoutingNode
 * with the decrypted credential (expressions see $credentials, authenticate signs the request).
 */
async function runCredentialTest(data: ICredentialDataDecryptedObject): Promise<void> {
	const nodeType: INodeType = {
		description: {
			displayName: 'Temp-Node',
			name: 'Temp-Node',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credential.name, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: credential.test.request } }],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'Temp-Node',
		typeVersion: 1,
		position: [0, 0],
		parameters: { temp: '' },
		credentials: { [credential.name]: CREDENTIAL_REF },
	};
	const workflow = new Workflow({ id: 'credential-test', nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = {
		credentialsHelper: new CredentialsHelper(),
		variables: {},
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
	} as unknown as IWorkflowExecuteAdditionalData;
	const inputData = { main: [[{ json: {} }]] };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData({ resultData: { runData: {} } }),
		0,
		[],
		inputData,
		{ node, data: inputData, source: null },
		[],
	);
	await new RoutingNode(context, nodeType, { ...CREDENTIAL_REF, type: credential.name, data }).runNode();
}

describe('test request', () => {
	test('is a free GET of the motion catalogue below the base URL (a trailing slash is dropped)', async () => {
		expect(credential.test.request).toMatchObject({ method: 'GET', url: '/v1/motions' });
		await runCredentialTest({ ...GOOD, baseUrl: `${sb.url}/`, headerScheme: 'hfHeaders' });
		expect(sb.log.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', '/v1/motions', 200]]);
	});

	test.each<Scheme>(['hfHeaders', 'authorizationKey'])('succeeds with good keys, sending only the %s scheme', async (scheme) => {
		await runCredentialTest({ ...GOOD, baseUrl: sb.url, headerScheme: scheme });
		expect(sb.log.map((entry) => [entry.method, entry.path, entry.status])).toEqual([['GET', '/v1/motions', 200]]);
		const sent = Object.fromEntries(AUTH_HEADERS.filter((name) => name in sb.log[0].headers).map((name) => [name, sb.log[0].headers[name]]));
		expect(sent).toEqual(
			scheme === 'hfHeaders'
				? { 'hf-api-key': 'hf-sandbox-key', 'hf-secret': 'hf-sandbox-secret' }
				: { authorization: 'Key hf-sandbox-key:hf-sandbox-secret' },
		);
	});

	test.each<[Scheme, Record<string, string>]>([
		['hfHeaders', { apiKey: 'hf-sandbox-key', apiSecret: 'not-the-secret' }],
		['hfHeaders', { apiKey: 'someone-else', apiSecret: 'hf-sandbox-secret' }],
		['authorizationKey', { apiKey: 'hf-sandbox-key', apiSecret: 'not-the-secret' }],
		['authorizationKey', { apiKey: 'someone-else', apiSecret: 'hf-sandbox-secret' }],
	])('fails with bad keys (%s, %j)', async (scheme, keys) => {
		// n8n shows the tester's error; a 401 is what tells the user the keys are wrong
		await expect(runCredentialTest({ ...keys, baseUrl: sb.url, headerScheme: scheme })).rejects.toMatchObject({
			httpCode: '401',
			message: 'Authorization failed - please check your credentials',
		});
		// n8n's httpRequestWithAuthentication tries a 401 once more before giving up
		expect(sb.log.map((entry) => [entry.path, entry.status])).toEqual([
			['/v1/motions', 401],
			['/v1/motions', 401],
		]);
		const sent = AUTH_HEADERS.filter((name) => name in sb.log[0].headers);
		expect(sent).toEqual(scheme === 'hfHeaders' ? ['hf-api-key', 'hf-secret'] : ['authorization']);
	});
});

describe('fields', () => {
	test('every field name of version 0.1 is kept; the Webhook Signing Secret is an optional password field', () => {
		const byName = Object.fromEntries(credential.properties.map((property) => [property.name, property]));
		expect(Object.keys(byName)).toEqual(['apiKey', 'apiSecret', 'baseUrl', 'headerScheme', 'webhookSecret', 'webhookSigningSecret']);
		expect(byName.webhookSigningSecret).toMatchObject({ displayName: 'Webhook Signing Secret', type: 'string', typeOptions: { password: true }, default: '' });
		expect(byName.webhookSigningSecret.required).toBeUndefined();
		expect(byName.webhookSecret.typeOptions).toEqual({ password: true });
	});
});
