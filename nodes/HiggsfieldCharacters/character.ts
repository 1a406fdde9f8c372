/** A Soul ID character ("custom reference"): its shape, its ID field, and how to wait for training. */
import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { JobSource } from '../shared/jobs/watcher';
import { higgsfieldApiRequest } from '../shared/transport';
import { InputChecks } from '../shared/validation';

export interface Character extends IDataObject {
	id: string;
	name?: string;
	/** not_ready, queued, in_progress, completed, failed */
	status: string;
	fail_reason?: string | null;
}

export const TRAINED_STATUSES = ['completed', 'failed'];

export function characterPath(id: string): string {
	return `/v1/custom-references/${encodeURIComponent(id)}`;
}

export const characterIdProperty: INodeProperties = {
	displayName: 'Character ID',
	name: 'characterId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6',
	description: 'The ID of the character, as output by Create or Get Many',
};

export function readCharacterId(ctx: IExecuteFunctions, itemIndex: number): string {
	return new InputChecks(ctx.getNode(), itemIndex).uuid('Character ID', ctx.getNodeParameter('characterId', itemIndex, ''));
}

export function asCharacter(value: unknown, node: INode, itemIndex?: number): Character {
	const candidate = value as Partial<Character> | null;
	if (candidate && typeof candidate === 'object' && typeof candidate.id === 'string' && typeof candidate.status === 'string') {
		return candidate as Character;
	}
	throw new NodeOperationError(node, 'Higgsfield answered with something that is not a character', {
		itemIndex,
		description: 'Expected an object with an "id" and a "status". Check the Base URL of the credential.',
	});
}

export async function fetchCharacter(ctx: IExecuteFunctions, id: string, itemIndex: number): Promise<Character> {
	return asCharacter(await higgsfieldApiRequest(ctx, { method: 'GET', path: characterPath(id), itemIndex }), ctx.getNode(), itemIndex);
}

/** How the shared JobWatcher follows training: GET /v1/custom-references/{id} until completed or failed. */
export function characterSource(ctx: IExecuteFunctions): JobSource<Character> {
	return {
		fetch: async (id, itemIndex) => await fetchCharacter(ctx, id, itemIndex),
		isDone: (character) => TRAINED_STATUSES.includes(character.status),
		cancelled: (itemIndex) =>
			new NodeOperationError(ctx.getNode(), 'The execution was cancelled while waiting for Higgsfield', {
				itemIndex,
				description: 'Characters already created keep training on Higgsfield; find them with the Get Many operation.',
			}),
	};
}

export function trainingFailedError(node: INode, character: Character, itemIndex: number): NodeOperationError {
	const reason = typeof character.fail_reason === 'string' && character.fail_reason !== '' ? character.fail_reason : 'no reason given';
	return new NodeOperationError(node, `Training of character ${character.id} failed: ${reason} [item ${itemIndex}]`, {
		itemIndex,
		description: 'Use clear photos of one person whose face is visible, then create the character again. Delete the failed one with the Delete operation.',
	});
}

export function trainingTimeoutError(node: INode, character: Character, timeoutMs: number, itemIndex: number): NodeOperationError {
	const minutes = Math.round((timeoutMs / 60_000) * 100) / 100;
	return new NodeOperationError(
		node,
		`Character ${character.id} was not trained after ${minutes} minutes (still ${character.status}) [item ${itemIndex}]`,
		{
			itemIndex,
			description: `It keeps training on Higgsfield. Check it later with the Get operation and ID ${character.id}, or raise Options > Timeout.`,
		},
	);
}
