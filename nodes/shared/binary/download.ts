/**
 * n8n binary data out: streams each result file into n8n's binary store, so that a large video
 * never sits in memory when n8n keeps binary data on disk (the default of n8n 2.x).
 */
import type { IBinaryData, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { cancelledError, cancelSignalOf } from '../cancellation';
import { publicUrlRequest } from '../transport';
import type { Job, JobSet, ResultVariant } from '../jobs/jobSet';
import { baseMimeType, extensionForMime, extensionOfUrl, mimeTypeOfUrl } from './mime';

export type DownloadContext = IExecuteFunctions | IWebhookFunctions;

/** Attempts for a file whose body broke mid-way (the transport retries the request itself). */
const DOWNLOAD_ATTEMPTS = 3;

export interface DownloadedResult {
	job: Job;
	jobIndex: number;
	binary: IBinaryData;
}

/** Content types that say nothing about the file: storage often serves results with them. */
const GENERIC_MIME_TYPES = new Set(['application/octet-stream', 'binary/octet-stream', 'application/binary']);

/** The declared type of a result, or, when the server declared none or a generic one, the type its URL implies. */
export function resultMimeType(contentType: string | undefined, url: string): string | undefined {
	const declared = baseMimeType(contentType);
	if (declared !== undefined && !GENERIC_MIME_TYPES.has(declared)) return declared;
	return mimeTypeOfUrl(url) ?? declared;
}

/** Binary property names for the results of one item: data, data_1, data_2, ... */
export function binaryPropertyName(base: string, index: number): string {
	return index === 0 ? base : `${base}_${index}`;
}

function fileNameFor(jobSet: JobSet, job: Job, jobIndex: number, variant: ResultVariant, url: string, mimeType?: string): string {
	const extension = extensionOfUrl(url) ?? extensionForMime(mimeType) ?? 'bin';
	const suffix = variant === 'min' ? '-preview' : '';
	const position = jobSet.jobs.length > 1 ? `-${jobIndex + 1}` : '';
	return `higgsfield-${jobSet.id.slice(0, 8)}${position}${suffix}.${extension}`;
}

/** Streams one file into the binary store; a body that breaks mid-way is fetched again. */
export async function downloadOne(
	ctx: DownloadContext,
	itemIndex: number,
	url: string,
	fileName: (mimeType?: string) => string,
): Promise<IBinaryData> {
	let lastError: Error | undefined;
	for (let attempt = 1; attempt <= DOWNLOAD_ATTEMPTS; attempt++) {
		const response = await publicUrlRequest(ctx, { method: 'GET', url, encoding: 'stream', itemIndex });
		const headers = response.headers as Record<string, string | undefined>;
		const mimeType = resultMimeType(headers['content-type'], url);
		try {
			return await ctx.helpers.prepareBinaryData(response.body as Parameters<DownloadContext['helpers']['prepareBinaryData']>[0], fileName(mimeType), mimeType);
		} catch (error) {
			// a stop of the execution aborts the body too: that is not a reason to fetch again
			if (cancelSignalOf(ctx)?.aborted) throw cancelledError(ctx.getNode(), itemIndex);
			// the body broke after the answer began: fetch the whole file again
			lastError = error as Error;
		}
	}
	throw lastError as Error;
}

/** Downloads the chosen variant of every completed job of a job set, in job order. */
export async function downloadJobSetResults(
	ctx: DownloadContext,
	itemIndex: number,
	jobSet: JobSet,
	variant: ResultVariant,
): Promise<DownloadedResult[]> {
	const downloads: DownloadedResult[] = [];
	for (const [jobIndex, job] of jobSet.jobs.entries()) {
		const url = job.results?.[variant]?.url;
		if (job.status !== 'completed' || !url) continue;
		const binary = await downloadOne(ctx, itemIndex, url, (mimeType) =>
			fileNameFor(jobSet, job, jobIndex, variant, url, mimeType),
		);
		downloads.push({ job, jobIndex, binary });
	}
	return downloads;
}
