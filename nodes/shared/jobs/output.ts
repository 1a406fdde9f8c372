/** Turns a finished job set into n8n items: one per job set, or one per result, with files. */
import type { IBinaryKeyData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { binaryPropertyName, downloadJobSetResults, type DownloadContext, type DownloadedResult } from '../binary/download';
import type { DownloadChoice, OutputMode } from '../descriptions/completion';
import { describeJobSet, type Job, type JobSet } from './jobSet';

export interface OutputSettings {
	download: DownloadChoice;
	outputMode: OutputMode;
	binaryPropertyName: string;
}

function resultJson(jobSet: JobSet, job: Job, jobIndex: number): IDataObject {
	return {
		job_set_id: jobSet.id,
		job_set_type: jobSet.type ?? job.job_set_type ?? null,
		job_id: job.id,
		job_index: jobIndex,
		status: job.status,
		url: job.results?.raw?.url ?? null,
		preview_url: job.results?.min?.url ?? null,
		...(job.error ? { error: job.error } : {}),
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
	if (settings.outputMode === 'result') {
		return jobSet.jobs
			.map((job, jobIndex) => ({ job, jobIndex }))
			.filter(({ job }) => job.status === 'completed')
			.map(({ job, jobIndex }) => {
				const file = downloads.find((download) => download.jobIndex === jobIndex);
				const item: INodeExecutionData = { json: resultJson(jobSet, job, jobIndex), pairedItem: { item: itemIndex } };
				if (file) item.binary = { [settings.binaryPropertyName]: file.binary };
				return item;
			});
	}
	const item: INodeExecutionData = { json: describeJobSet(jobSet), pairedItem: { item: itemIndex } };
	if (downloads.length > 0) {
		const binary: IBinaryKeyData = {};
		downloads.forEach((download, position) => {
			binary[binaryPropertyName(settings.binaryPropertyName, position)] = download.binary;
		});
		item.binary = binary;
	}
	return [item];
}
