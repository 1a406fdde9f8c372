/**
 * The download and output settings as read inside a webhook call (the trigger, and the resume
 * of Wait for Webhook), where parameters are read without an item index.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { DownloadChoice, OutputMode } from '../descriptions/completion';
import type { OutputSettings } from '../jobs/output';
import { InputChecks } from '../validation';

export function webhookOutputSettings(ctx: IWebhookFunctions, defaultDownload: DownloadChoice): OutputSettings {
	const checks = new InputChecks(ctx.getNode(), 0);
	const options = (ctx.getNodeParameter('options', {}) ?? {}) as IDataObject;
	return {
		download: checks.oneOf<DownloadChoice>('Download Results', ctx.getNodeParameter('download', defaultDownload), ['raw', 'min', 'none']),
		outputMode: checks.oneOf<OutputMode>('Output', options.outputMode ?? 'jobSet', ['jobSet', 'result']),
		binaryPropertyName: checks.text('Binary Property', options.binaryPropertyName ?? 'data'),
	};
}
