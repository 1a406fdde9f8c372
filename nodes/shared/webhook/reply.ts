/** Answers a webhook call directly, for the calls that start or resume nothing. */
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/**
 * Sends `status` with a small JSON body and tells n8n that the answer is already sent, so no
 * execution starts (or resumes). The body never carries a secret or job data.
 */
export function reply(ctx: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
	res.end(JSON.stringify({ message }));
	return { noWebhookResponse: true };
}

/**
 * Answers 200 with an empty body now, before the node is done: for work that may take longer than
 * the sender waits (downloads). The node then returns `noWebhookResponse: true` with its items.
 */
export function acknowledge(ctx: IWebhookFunctions): void {
	const res = ctx.getResponseObject();
	res.writeHead(200);
	res.end();
}

export { LEGACY_UNAUTHORIZED as UNAUTHORIZED } from './verify';
export const NOT_A_DELIVERY =
	'The body is neither a Higgsfield job set (a JSON object with an "id" and a "jobs" list) nor a request status (a JSON object with "request_id" and "status")';
export const NOT_A_JOB_SET = 'The body is not a Higgsfield job set (a JSON object with an "id" and a "jobs" list)';
