/** The Model list: the catalogue, searchable, each entry labelled with its output kind and a one-line description. */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { CATALOGUE, type OutputKind } from '../../../shared/requestApi/catalogue';

const KIND_LABEL: Record<OutputKind, string> = { image: 'Image', video: 'Video', audio: 'Audio' };
const KIND_ORDER: OutputKind[] = ['image', 'video', 'audio'];

export async function searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const words = (filter ?? '').toLowerCase().split(/\s+/).filter(Boolean);
	const results = CATALOGUE.filter((model) => {
		const text = `${model.id} ${model.output} ${model.description}`.toLowerCase();
		return words.every((word) => text.includes(word));
	})
		.slice()
		.sort((a, b) => KIND_ORDER.indexOf(a.output) - KIND_ORDER.indexOf(b.output) || a.id.localeCompare(b.id))
		.map((model) => ({
			name: `${KIND_LABEL[model.output]} · ${model.id} — ${model.description}`,
			value: model.id,
		}));
	return { results };
}
