/**
 * A delivered v1 job set as the trigger's items: the same items as the action nodes (jobs/output.ts),
 * except that a file that cannot be downloaded does not lose the event: the items still come out,
 * without that file, and say which one could not be fetched (`download_errors` on the job set item,
 * `download_error` on a result item).
 */
import type { IDataObject, IWebhookFunctions, INodeExecutionData } from 'n8n-workflow';

import { binaryPropertyName, downloadJobSetResults, type DownloadedResult } from '../binary/download';
import type { JobSet, ResultVariant } from '../jobs/jobSet';
import { jobSetToItems, type OutputSettings } from '../jobs/output';

export interface FailedDownload {
	job_index: number;
	url: string;
	error: string;
}

/** The job set with only job `jobIndex` left to download (the others marked as not downloadable). */
function onlyJob(jobSet: JobSet, jobIndex: number): JobSet {
	return { ...jobSet, jobs: jobSet.jobs.map((job, index) => (index === jobIndex ? job : { ...job, status: 'not-downloaded' })) };
}

async function downloadEach(
	ctx: IWebhookFunctions,
	jobSet: JobSet,
	variant: ResultVariant,
): Promise<{ files: DownloadedResult[]; failures: FailedDownload[] }> {
	const files: DownloadedResult[] = [];
	const failures: FailedDownload[] = [];
	for (const [jobIndex, job] of jobSet.jobs.entries()) {
		const url = job.results?.[variant]?.url;
		if (job.status !== 'completed' || !url) continue;
		try {
			files.push(...(await downloadJobSetResults(ctx, 0, onlyJob(jobSet, jobIndex), variant)));
		} catch (error) {
			failures.push({ job_index: jobIndex, url, error: (error as Error).message });
		}
	}
	return { files, failures };
}

/** The items of a delivered job set, its files downloaded (a failed download is reported, not thrown). */
export async function jobSetEventItems(ctx: IWebhookFunctions, jobSet: JobSet, settings: OutputSettings): Promise<INodeExecutionData[]> {
	const items = await jobSetToItems(ctx, 0, jobSet, { ...settings, download: 'none' });
	if (settings.download === 'none') return items;
	const { files, failures } = await downloadEach(ctx, jobSet, settings.download);
	if (settings.outputMode === 'result') {
		for (const item of items) {
			const jobIndex = item.json.job_index;
			const file = files.find((entry) => entry.jobIndex === jobIndex);
			const failure = failures.find((entry) => entry.job_index === jobIndex);
			if (file) item.binary = { [settings.binaryPropertyName]: file.binary };
			if (failure) item.json.download_error = `Could not download ${failure.url}: ${failure.error}`;
		}
		return items;
	}
	const [item] = items;
	if (files.length > 0) {
		item.binary = Object.fromEntries(files.map((file, position) => [binaryPropertyName(settings.binaryPropertyName, position), file.binary]));
	}
	if (failures.length > 0) item.json.download_errors = failures as unknown as IDataObject[];
	return items;
}
