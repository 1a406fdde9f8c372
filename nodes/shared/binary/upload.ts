/** n8n binary data in: uploads a file through Higgsfield's presigned URLs and returns its public URL. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { cancelSignalOf, cancelledError, pause } from '../cancellation';
import {
	DEFAULT_RETRY_POLICY,
	failureOf,
	hasAttemptsLeft,
	higgsfieldApiRequest,
	isRetryable,
	nodeOperationError,
	publicUrlRequest,
	retryDelayMs,
} from '../transport';
import { normaliseUploadMime } from './mime';

interface UploadTicket {
	upload_url: string;
	public_url: string;
	upload_headers?: Record<string, string>;
}

/** One PUT per ticket: a retry asks for a fresh presigned URL (they expire). */
const SINGLE_ATTEMPT = { ...DEFAULT_RETRY_POLICY, maxReadAttempts: 1 };

/**
 * Asks for an upload URL (a free request that creates nothing billable, retried like a read) and
 * PUTs the bytes there with exactly the headers the service signed and no Higgsfield auth. A PUT
 * that fails for a passing reason (network, 5xx, 429) is tried again with a new URL, after the
 * same backoff and up to the same number of attempts as any read.
 */
export async function uploadBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	bytes: Buffer,
	mimeType: string,
): Promise<string> {
	const contentType = normaliseUploadMime(mimeType);
	const policy = DEFAULT_RETRY_POLICY;
	for (let attempt = 1; ; attempt++) {
		const ticket = await higgsfieldApiRequest<UploadTicket>(ctx, {
			method: 'POST',
			path: '/files/generate-upload-url',
			body: { content_type: contentType },
			kind: 'read',
			itemIndex,
		});
		if (!ticket?.upload_url || !ticket.public_url) {
			throw nodeOperationError(ctx.getNode(), `Higgsfield did not return an upload URL [item ${itemIndex}]`, {
				itemIndex,
				description: 'Expected "upload_url" and "public_url" from POST /files/generate-upload-url. Check the Base URL of the credential.',
			});
		}
		const headers = ticket.upload_headers ?? { 'Content-Type': contentType };
		let failure: Error;
		try {
			await publicUrlRequest(ctx, { method: 'PUT', url: ticket.upload_url, headers, body: bytes, itemIndex, policy: SINGLE_ATTEMPT });
			return ticket.public_url;
		} catch (error) {
			// already a NodeApiError of the transport, without secrets
			failure = error as Error;
		}
		const outcome = failureOf(failure);
		if (!outcome || !isRetryable('read', outcome) || !hasAttemptsLeft('read', attempt, outcome, Date.now(), policy)) throw failure;
		if (!(await pause(retryDelayMs(attempt, outcome, policy), cancelSignalOf(ctx)))) {
			throw cancelledError(ctx.getNode(), itemIndex);
		}
	}
}
