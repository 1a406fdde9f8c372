/** The request shape of the contract (submit and status answers), and how the nodes output it. */
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { KNOWN_STATUSES, isTerminalStatus, type RequestStatus } from './contract';

interface OutputFile {
	url?: unknown;
}

export interface RequestState {
	request_id: string;
	status: RequestStatus | string;
	status_url?: string;
	cancel_url?: string;
	error?: unknown;
	images?: OutputFile[];
	video?: OutputFile;
	audio?: OutputFile;
	audios?: OutputFile[];
	expires_at?: string | number | null;
	/** the model id the request was submitted to, when this node knows it */
	model?: string;
}

export function isRequestState(value: unknown): value is RequestState {
	if (value === null || typeof value !== 'object') return false;
	const candidate = value as Partial<RequestState>;
	return typeof candidate.request_id === 'string' && candidate.request_id !== '' && typeof candidate.status === 'string';
}

/** Checks an answer (or a webhook body) before anything relies on it; remembers the model when known. */
export function asRequestState(value: unknown, node: INode, itemIndex?: number, model?: string): RequestState {
	if (!isRequestState(value)) {
		throw new NodeOperationError(node, `Higgsfield answered with something that is not a request${itemIndex === undefined ? '' : ` [item ${itemIndex}]`}`, {
			itemIndex,
			description: 'Expected an object with "request_id" and "status". Check the Base URL of the credential.',
		});
	}
	return model === undefined || value.model !== undefined ? value : { ...value, model };
}

export const isRequestDone = (state: RequestState): boolean => isTerminalStatus(state.status);

export const isKnownStatus = (status: string): boolean => (KNOWN_STATUSES as readonly string[]).includes(status);

function urlOf(file: OutputFile | undefined): string[] {
	return file !== null && typeof file === 'object' && typeof file.url === 'string' && file.url !== '' ? [file.url] : [];
}

function urlsOf(files: OutputFile[] | undefined): string[] {
	return Array.isArray(files) ? files.flatMap(urlOf) : [];
}

/** The output URLs in the contract's order: images, video, audio, audios. */
export function outputUrls(state: RequestState): string[] {
	return [...urlsOf(state.images), ...urlOf(state.video), ...urlOf(state.audio), ...urlsOf(state.audios)];
}

function errorText(error: unknown): string | undefined {
	if (error === undefined || error === null || error === '') return undefined;
	return typeof error === 'string' ? error : JSON.stringify(error);
}

/** The output item's json: request_id, status, model, outputs, expires_at (+ error, status_url, cancel_url). */
export function describeRequest(state: RequestState): IDataObject {
	const error = errorText(state.error);
	return {
		request_id: state.request_id,
		status: state.status,
		model: state.model ?? null,
		outputs: outputUrls(state),
		expires_at: state.expires_at ?? null,
		...(error !== undefined ? { error } : {}),
		...(state.status_url ? { status_url: state.status_url } : {}),
		...(state.cancel_url ? { cancel_url: state.cancel_url } : {}),
	};
}
