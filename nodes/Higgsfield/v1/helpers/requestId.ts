/** The Request ID field of Get Status, Cancel and Delete Request Data. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputChecks } from '../../../shared/validation';

export const requestIdProperty: INodeProperties = {
	displayName: 'Request ID',
	name: 'requestId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. d7e6c0f3-6699-4f6c-bb45-2ad7fd9158ff',
	description: 'The request_id that Generate output (or that an error or the Higgsfield Trigger named)',
};

export function readRequestId(ctx: IExecuteFunctions, itemIndex: number): string {
	const checks = new InputChecks(ctx.getNode(), itemIndex);
	const id = checks.text('Request ID', ctx.getNodeParameter('requestId', itemIndex, ''));
	if (!/^[A-Za-z0-9._-]{1,200}$/.test(id)) {
		checks.fail('Request ID', id, 'Give the request_id alone (e.g. d7e6c0f3-6699-4f6c-bb45-2ad7fd9158ff), not a URL or a list.');
	}
	return id;
}
