/**
 * The one place where the package talks HTTP: the Higgsfield API (authenticated through the
 * credential) and public URLs (presigned uploads, result downloads). Every request goes through
 * the retry policy and every failure becomes a NodeApiError without secrets.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { cancelSignalOf, cancelledError, pause } from '../cancellation';
import { detailText, httpStatusError, maybeCreatedError, networkError, type FailedExchange } from './errors';
import {
	DEFAULT_RETRY_POLICY,
	hasAttemptsLeft,
	isAmbiguousSubmission,
	isRetryable,
	retryDelayMs,
	type RequestKind,
	type RetryPolicy,
} from './retryPolicy';

export { DEFAULT_RETRY_POLICY, type RequestKind, type RetryPolicy } from './retryPolicy';
export { redact } from './errors';

export type HiggsfieldContext = IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions | IHookFunctions;

export const CREDENTIAL_NAME = 'higgsfieldApi';

/** Documented in the README: API calls time out after a minute, file transfers after ten. */
export const API_TIMEOUT_MS = 60_000;
export const TRANSFER_TIMEOUT_MS = 10 * 60_000;

interface HiggsfieldCredentials {
	baseUrl: string;
	secrets: string[];
}

const credentialsCache = new WeakMap<object, Promise<HiggsfieldCredentials>>();

async function loadCredentials(ctx: HiggsfieldContext): Promise<HiggsfieldCredentials> {
	let cached = credentialsCache.get(ctx);
	if (!cached) {
		cached = ctx.getCredentials(CREDENTIAL_NAME).then((data) => ({
			baseUrl: String(data.baseUrl || 'https://platform.higgsfield.ai').replace(/\/+$/, ''),
			secrets: [data.apiSecret, data.apiKey].map((value) => String(value ?? '')).filter(Boolean),
		}));
		credentialsCache.set(ctx, cached);
	}
	return await cached;
}

/** The credential's secrets, for code that must scrub text it did not build (e.g. outputs). */
export async function credentialSecrets(ctx: HiggsfieldContext): Promise<string[]> {
	return (await loadCredentials(ctx)).secrets;
}

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** path below the base URL, e.g. /v1/job-sets/{id} */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	itemIndex?: number;
	/** reads are retried freely; submissions only when surely not accepted (default by method) */
	kind?: RequestKind;
	/** more texts to keep out of errors, e.g. a webhook secret sent in the body */
	secrets?: string[];
	policy?: RetryPolicy;
	/** stops retry waits early; defaults to the execution's cancel signal */
	signal?: AbortSignal;
}

export interface PublicRequest {
	method: IHttpRequestMethods;
	url: string;
	headers?: Record<string, string>;
	body?: Buffer | IDataObject;
	encoding?: IHttpRequestOptions['encoding'];
	itemIndex?: number;
	kind?: RequestKind;
	secrets?: string[];
	policy?: RetryPolicy;
}

type Attempt =
	| { ok: true; response: IN8nHttpFullResponse }
	| { ok: false; exchange: FailedExchange };

function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const value = headers[name] ?? headers[name.toLowerCase()];
	return value === undefined || value === null ? undefined : String(value);
}

function networkCodeOf(error: unknown): string {
	const candidate = error as { code?: unknown; cause?: { code?: unknown }; name?: string };
	const code = candidate.cause?.code ?? candidate.code;
	if (typeof code === 'string' && code !== '') return code;
	return candidate.name === 'AbortError' ? 'ERR_CANCELED' : 'EUNKNOWN';
}

async function attempt(
	send: () => Promise<IN8nHttpFullResponse>,
	method: string,
	path: string,
): Promise<Attempt> {
	try {
		const response = await send();
		if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true, response };
		const headers = response.headers as IDataObject;
		return {
			ok: false,
			exchange: {
				method,
				path,
				status: response.statusCode,
				body: response.body,
				detail: detailText(response.body),
				retryAfter: headerValue(headers, 'retry-after'),
				correlationId: headerValue(headers, 'x-correlation-id') ?? headerValue(headers, 'x-request-id'),
			},
		};
	} catch (error) {
		return { ok: false, exchange: { method, path, networkCode: networkCodeOf(error) } };
	}
}

/** Sends once, then again as the retry policy allows; returns the successful response. */
async function withRetries(
	ctx: HiggsfieldContext,
	send: () => Promise<IN8nHttpFullResponse>,
	request: { method: string; path: string; kind: RequestKind; itemIndex?: number; policy: RetryPolicy; signal?: AbortSignal },
	secrets: string[],
): Promise<IN8nHttpFullResponse> {
	const signal = request.signal ?? cancelSignalOf(ctx);
	const startedAt = Date.now();
	for (let attemptNumber = 1; ; attemptNumber++) {
		const result = await attempt(send, request.method, request.path);
		if (result.ok) return result.response;
		const { exchange } = result;
		if (exchange.networkCode === 'ERR_CANCELED' || signal?.aborted) {
			throw cancelledError(ctx.getNode(), request.itemIndex);
		}
		const retry =
			isRetryable(request.kind, exchange) &&
			hasAttemptsLeft(request.kind, attemptNumber, exchange, startedAt, request.policy);
		if (!retry) {
			if (isAmbiguousSubmission(request.kind, exchange)) {
				throw maybeCreatedError(ctx.getNode(), exchange, request.itemIndex, secrets);
			}
			throw exchange.networkCode !== undefined
				? networkError(ctx.getNode(), exchange, request.itemIndex, secrets)
				: httpStatusError(ctx.getNode(), exchange, request.itemIndex, secrets);
		}
		if (!(await pause(retryDelayMs(attemptNumber, exchange, request.policy), signal))) {
			throw cancelledError(ctx.getNode(), request.itemIndex);
		}
	}
}

/** A JSON request to the Higgsfield API with the credential's authentication. */
export async function higgsfieldApiRequest<T = IDataObject>(
	ctx: HiggsfieldContext,
	request: ApiRequest,
): Promise<T> {
	const { baseUrl, secrets } = await loadCredentials(ctx);
	const kind = request.kind ?? (request.method === 'POST' ? 'submit' : 'read');
	const options: IHttpRequestOptions = {
		method: request.method,
		baseURL: baseUrl,
		url: request.path,
		json: true,
		headers: { Accept: 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: API_TIMEOUT_MS,
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined) options.qs = request.qs;
	const response = await withRetries(
		ctx,
		async () =>
			(await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				CREDENTIAL_NAME,
				{ ...options },
			)) as IN8nHttpFullResponse,
		{
			method: request.method,
			path: request.path,
			kind,
			itemIndex: request.itemIndex,
			policy: request.policy ?? DEFAULT_RETRY_POLICY,
			signal: request.signal,
		},
		[...secrets, ...(request.secrets ?? [])],
	);
	return response.body as T;
}

/** A request to a public or presigned URL: no Higgsfield authentication is sent. */
export async function publicUrlRequest(
	ctx: HiggsfieldContext,
	request: PublicRequest,
): Promise<IN8nHttpFullResponse> {
	const secrets = [...(await credentialSecrets(ctx).catch(() => [])), ...(request.secrets ?? [])];
	const path = new URL(request.url).pathname;
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		headers: request.headers,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: TRANSFER_TIMEOUT_MS,
		abortSignal: cancelSignalOf(ctx),
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.encoding !== undefined) options.encoding = request.encoding;
	return await withRetries(
		ctx,
		async () => (await ctx.helpers.httpRequest({ ...options })) as IN8nHttpFullResponse,
		{
			method: request.method,
			path,
			kind: request.kind ?? 'read',
			itemIndex: request.itemIndex,
			policy: request.policy ?? DEFAULT_RETRY_POLICY,
		},
		secrets,
	);
}
