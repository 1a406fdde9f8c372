/**
 * Turns a finished request into n8n items: one item per request (outputs as data, data_1, ...) or
 * one item per result; each output file streamed into n8n's binary store by the shared download.
 */
import type { IBinaryData, IBinaryKeyData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { binaryPropertyName, downloadOne, type DownloadContext } from '../binary/download';
import { extensionForMime, extensionOfUrl } from '../binary/mime';
import type { OutputSettings } from '../jobs/output';
import { describeRequest, outputUrls, type RequestState } from './request';

function fileName(state: RequestState, index: number, count: number, url: string, mimeType?: string): string {
	const extension = extensionOfUrl(url) ?? extensionForMime(mimeType) ?? 'bin';
	const position = count > 1 ? `-${index + 1}` : '';
	return `higgsfield-${state.request_id.slice(0, 8)}${position}.${extension}`;
}

/** A file that could not be downloaded (when the caller asked to be told rather than fail). */
export interface FailedOutputDownload {
	output_index: number;
	url: string;
	error: string;
}

/**
 * With `failures` (the trigger: an event must never be lost), a file that cannot be downloaded is
 * left out and recorded there instead of failing the whole request.
 */
export async function requestToItems(
	ctx: DownloadContext,
	itemIndex: number,
	state: RequestState,
	settings: OutputSettings,
	failures?: FailedOutputDownload[],
): Promise<INodeExecutionData[]> {
	const urls = outputUrls(state);
	const download = settings.download !== 'none' && state.status === 'completed';
	const files: Array<IBinaryData | undefined> = [];
	if (download) {
		for (const [index, url] of urls.entries()) {
			const file = downloadOne(ctx, itemIndex, url, (mimeType) => fileName(state, index, urls.length, url, mimeType));
			if (!failures) {
				files.push(await file);
				continue;
			}
			try {
				files.push(await file);
			} catch (error) {
				failures.push({ output_index: index, url, error: (error as Error).message });
				files.push(undefined);
			}
		}
	}
	const json = describeRequest(state);
	if (settings.outputMode === 'result' && state.status === 'completed') {
		return urls.map((url, index) => {
			const item: INodeExecutionData = { json: { ...json, output_index: index, url } as IDataObject, pairedItem: { item: itemIndex } };
			if (files[index]) item.binary = { [settings.binaryPropertyName]: files[index] };
			return item;
		});
	}
	const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	const downloaded = files.filter((file): file is IBinaryData => file !== undefined);
	if (downloaded.length > 0) {
		const binary: IBinaryKeyData = {};
		downloaded.forEach((file, index) => (binary[binaryPropertyName(settings.binaryPropertyName, index)] = file));
		item.binary = binary;
	}
	return [item];
}
