/**
 * Turns a job set into n8n items: one per job set, or one per result, with files.
 *
 * A batch keeps what it produced: the completed jobs' files are downloaded even when other jobs
 * of the set failed, were flagged NSFW or canceled. Binary properties follow the job's position
 * (data for jobs[0], data_1 for jobs[1], ...), so a job without a result leaves its gap; with
 * One Item per Result every job is an item, the ones without a result marked by their status
 * and error (no binary). A set with no result at all is one item, the set.
 */
import type { IBinaryKeyData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { binaryPropertyName, downloadJobSetResults, type DownloadContext, type DownloadedResult } from '../binary/download';
import type { DownloadChoice, OutputMode } from '../descriptions/completion';
import { describeJobSet, type Job, type JobSet } from './jobSet';

export interface OutputSettings {
	download: DownloadChoice;
	outputMode: OutputMode;
	binaryPropertyName: string;
}

/** What a job that ended without a result says when the service gave no reason. */
const UNSUCCESSFUL: Record<string, string> = {
	nsfw: 'Flagged as NSFW: no result (not charged)',
	failed: 'The generation failed: no result (not charged)',
	canceled: 'Canceled: no result (not charged)',
};

function resultJson(jobSet: JobSet, job: Job, jobIndex: number): IDataObject {
	const error = job.error ?? UNSUCCESSFUL[job.status];
	return {
		job_set_id: jobSet.id,
		job_set_type: jobSet.type ?? job.job_set_type ?? null,
		job_id: job.id,
		job_index: jobIndex,
		status: job.status,
		url: job.results?.raw?.url ?? null,
		preview_url: job.results?.min?.url ?? null,
		...(error ? { error } : {}),
		input_params: jobSet.input_params ?? {},
	};
}

export async function jobSetToItems(
	ctx: DownloadContext,
	itemIndex: number,
	jobSet: JobSet,
	settings: OutputSettings,
): Promise<INodeExecutionData[]> {
	const downloads: DownloadedResult[] =
		settings.download === 'none' ? [] : await downloadJobSetResults(ctx, itemIndex, jobSet, settings.download);
	if (settings.outputMode === 'result' && jobSet.jobs.some((job) => job.status === 'completed')) {
		return jobSet.jobs.map((job, jobIndex) => {
			const file = downloads.find((download) => download.jobIndex === jobIndex);
			const item: INodeExecutionData = { json: resultJson(jobSet, job, jobIndex), pairedItem: { item: itemIndex } };
			if (file) item.binary = { [settings.binaryPropertyName]: file.binary };
			return item;
		});
	}
	const item: INodeExecutionData = { json: describeJobSet(jobSet), pairedItem: { item: itemIndex } };
	if (downloads.length > 0) {
		const binary: IBinaryKeyData = {};
		for (const download of downloads) binary[binaryPropertyName(settings.binaryPropertyName, download.jobIndex)] = download.binary;
		item.binary = binary;
	}
	return [item];
}
