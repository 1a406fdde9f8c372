/** Dropdown sources: the free catalogue endpoints and the account's trained characters. */
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { higgsfieldApiRequest, type HiggsfieldContext } from '../transport';

interface CatalogueEntry {
	id: string;
	name?: string;
	description?: string;
	start_end_frame?: boolean;
}

interface CharacterPage {
	items?: Array<{ id: string; name?: string; status?: string }>;
	total_pages?: number;
}

/** The page size the list endpoint allows at most. */
export const CHARACTER_PAGE_SIZE = 100;

function toOptions(entries: CatalogueEntry[], describe?: (entry: CatalogueEntry) => string | undefined): INodePropertyOptions[] {
	return entries
		.map((entry) => ({ name: entry.name ?? entry.id, value: entry.id, description: describe?.(entry) ?? entry.description }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export async function listMotions(ctx: HiggsfieldContext, itemIndex?: number): Promise<IDataObject[]> {
	return await higgsfieldApiRequest<IDataObject[]>(ctx, { method: 'GET', path: '/v1/motions', itemIndex });
}

export async function listStyles(ctx: HiggsfieldContext, itemIndex?: number): Promise<IDataObject[]> {
	return await higgsfieldApiRequest<IDataObject[]>(ctx, { method: 'GET', path: '/v1/text2image/soul-styles', itemIndex });
}

/** Walks the pages of the character list until `limit` characters are read. */
export async function listAllCharacters(ctx: HiggsfieldContext, limit = Infinity, itemIndex?: number): Promise<IDataObject[]> {
	const characters: IDataObject[] = [];
	// a small limit is one small page; otherwise the largest pages, fewest requests
	const pageSize = Math.min(CHARACTER_PAGE_SIZE, Math.max(1, limit));
	for (let page = 1; characters.length < limit; page++) {
		const answer = await higgsfieldApiRequest<CharacterPage>(ctx, {
			method: 'GET',
			path: '/v1/custom-references/list',
			qs: { page, page_size: pageSize },
			itemIndex,
		});
		characters.push(...((answer.items ?? []) as unknown as IDataObject[]));
		if (!answer.items?.length || page >= (answer.total_pages ?? page)) break;
	}
	return characters.slice(0, limit);
}

export async function getMotions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const motions = (await listMotions(this)) as unknown as CatalogueEntry[];
	return toOptions(motions, (motion) =>
		[motion.description, motion.start_end_frame ? 'Supports an end frame.' : undefined].filter(Boolean).join(' ') || undefined,
	);
}

export async function getStyles(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return toOptions((await listStyles(this)) as unknown as CatalogueEntry[]);
}

/** Only trained characters can be used by Soul. */
export async function getCompletedCharacters(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const characters = (await listAllCharacters(this)) as unknown as Array<CatalogueEntry & { status?: string }>;
	return toOptions(characters.filter((character) => character.status === 'completed'));
}
