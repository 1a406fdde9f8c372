/** Dropdown sources of the Generate form. */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { findModel } from '../../../shared/requestApi/catalogue';
import { selectedModelId } from '../../../shared/requestApi/model';

/** The media arguments of the chosen model, for "Files From Binary Data". */
export async function getMediaArguments(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const model = findModel(selectedModelId(this.getCurrentNodeParameter('model', { extractValue: true })));
	return (model?.arguments ?? [])
		.filter((argument) => argument.media !== undefined)
		.map((argument) => ({
			name: argument.name,
			value: argument.name,
			description: `${argument.description ?? ''}${argument.type === 'list' ? ' (several files: add one entry per file)' : ''}`.trim(),
		}));
}
