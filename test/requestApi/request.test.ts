// The request shape: statuses (canceled terminal, unknown not), outputs in the contract's order, errors.
import type { INode } from 'n8n-workflow';

import { DEFAULT_POLLING } from '../../nodes/shared/jobs/watcher';
import { TERMINAL_STATUSES, submitPath } from '../../nodes/shared/requestApi/contract';
import { requestTimeoutError, unsuccessfulRequestError } from '../../nodes/shared/requestApi/errors';
import { asRequestState, describeRequest, isRequestDone, outputUrls } from '../../nodes/shared/requestApi/request';

const node: INode = { id: 'n', name: 'Higgsfield', type: 'n8n-nodes-higgsfield.higgsfield', typeVersion: 1, position: [0, 0], parameters: {} };
const ctx = { getNode: () => node };

test('terminal statuses: completed, failed, nsfw, canceled; queued, in_progress and unknown ones are not', () => {
	expect(TERMINAL_STATUSES).toEqual(['completed', 'failed', 'nsfw', 'canceled']);
	for (const status of TERMINAL_STATUSES) expect(isRequestDone({ request_id: 'r', status })).toBe(true);
	for (const status of ['queued', 'in_progress', 'cancelled', 'processing', '']) expect(isRequestDone({ request_id: 'r', status })).toBe(false);
});

test('outputs: images, video, audio, audios in that order; the output item names model, outputs and expires_at', () => {
	const state = asRequestState(
		{
			request_id: 'r1',
			status: 'completed',
			images: [{ url: 'https://x/1.png' }, { url: '' }, {}],
			video: { url: 'https://x/v.mp4' },
			audio: { url: 'https://x/a.wav' },
			audios: [{ url: 'https://x/b.wav' }],
			expires_at: '2026-12-07T10:00:00Z',
		},
		node,
		0,
		'some/model',
	);
	expect(outputUrls(state)).toEqual(['https://x/1.png', 'https://x/v.mp4', 'https://x/a.wav', 'https://x/b.wav']);
	expect(describeRequest(state)).toEqual({
		request_id: 'r1',
		status: 'completed',
		model: 'some/model',
		outputs: ['https://x/1.png', 'https://x/v.mp4', 'https://x/a.wav', 'https://x/b.wav'],
		expires_at: '2026-12-07T10:00:00Z',
	});
	expect(describeRequest(asRequestState({ request_id: 'r2', status: 'failed', error: 'GPU fell over' }, node))).toEqual({
		request_id: 'r2',
		status: 'failed',
		model: null,
		outputs: [],
		expires_at: null,
		error: 'GPU fell over',
	});
	expect(() => asRequestState({ id: 'job-set' }, node, 2)).toThrow('Higgsfield answered with something that is not a request [item 2]');
});

test('errors: the reason of a failed request; a timeout names an unknown status as such', () => {
	const failed = unsuccessfulRequestError(ctx, { request_id: 'r3', status: 'failed', error: 'bad seed' }, 1);
	expect(failed.message).toBe('Request r3 ended as failed [item 1]');
	expect(failed.description).toBe('The generation failed on Higgsfield. Reason: bad seed. Failed, NSFW and canceled requests are refunded.');
	const timeout = requestTimeoutError(ctx, { request_id: 'r4', status: 'warming_up' }, 0, { polling: { ...DEFAULT_POLLING, timeoutMs: 90_000 } });
	expect(timeout.message).toBe('Request r4 was not done after 1.5 minutes (still warming_up) [item 0]');
	expect(timeout.description).toMatch(/status "warming_up" is not one the node knows, so it was treated as not finished/);
});

test('model ids are sent as paths, segment by segment', () => {
	expect(submitPath('kling-video/v2.1/pro/image-to-video')).toBe('/kling-video/v2.1/pro/image-to-video');
	expect(submitPath('/veo3.1/')).toBe('/veo3.1');
});
