/** n8n binary data in: uploads a file through Higgsfield's presigned URLs and returns its public URL. */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { higgsfieldApiRequest, publicUrlRequest } from '../transport';
import { normaliseUploadMime } from './mime';

interface UploadTicket {
	upload_url: string;
	public_url: string;
	upload_headers?: Record<string, string>;
}

/** A presigned URL expires, so each attempt asks for a new one. */
const UPLOAD_ATTEMPTS = 3;

export async function uploadBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	bytes: Buffer,
	mimeType: string,
): Promise<string> {
	const contentType = normaliseUploadMime(mimeType);
	let lastError: Error | undefined;
	for (let attempt = 1; attempt <= UPLOAD_ATTEMPTS; attempt++) {
		const ticket = await higgsfieldApiRequest<UploadTicket>(ctx, {
			method: 'POST',
			path: '/files/generate-upload-url',
			body: { content_type: contentType },
			// asking for an upload URL is free and creates nothing billable
			kind: 'read',
			itemIndex,
		});
		if (!ticket?.upload_url || !ticket.public_url) {
			throw new NodeOperationError(ctx.getNode(), 'Higgsfield did not return an upload URL', { itemIndex });
		}
		// exactly the headers the service signed, and no Higgsfield auth on a storage URL
		const headers = ticket.upload_headers ?? { 'Content-Type': contentType };
		try {
			await publicUrlRequest(ctx, {
				method: 'PUT',
				url: ticket.upload_url,
				headers,
				body: bytes,
				itemIndex,
				policy: { maxReadAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, busyBudgetMs: 0 },
			});
			return ticket.public_url;
		} catch (error) {
			lastError = error as Error;
		}
	}
	throw lastError as Error;
}
