/** The model's arguments as typed fields (a resource mapper), built from the catalogue. */
import type { FieldType, ILoadOptionsFunctions, INodePropertyOptions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { findModel, type ModelArgument } from '../../../shared/requestApi/catalogue';
import { selectedModelId } from '../../../shared/requestApi/model';

function fieldType(argument: ModelArgument): FieldType {
	if (argument.options) return 'options';
	if (argument.type === 'integer' || argument.type === 'number') return 'number';
	if (argument.type === 'boolean') return 'boolean';
	if (argument.type === 'list') return 'array';
	if (argument.type === 'json') return 'array';
	return 'string';
}

/** "aspect_ratio (1:1, 16:9) · required": the field's label says what the service accepts. */
function label(argument: ModelArgument): string {
	const limits: string[] = [];
	if (argument.min !== undefined || argument.max !== undefined) limits.push(`${argument.min ?? '…'} to ${argument.max ?? '…'}`);
	if (argument.media) limits.push(argument.type === 'list' ? `${argument.media} URLs` : `${argument.wav ? 'WAV ' : ''}${argument.media} URL`);
	if (argument.maxItems !== undefined) limits.push(`at most ${argument.maxItems}`);
	if (argument.maxLength !== undefined) limits.push(`at most ${argument.maxLength} characters`);
	return limits.length ? `${argument.name} (${limits.join(', ')})` : argument.name;
}

function options(argument: ModelArgument): INodePropertyOptions[] | undefined {
	return argument.options?.map((value) => ({ name: String(value), value }));
}

export function argumentFields(modelId: string): ResourceMapperField[] {
	const model = findModel(modelId);
	if (!model) return [];
	return model.arguments.map((argument) => ({
		id: argument.name,
		displayName: label(argument),
		required: argument.required === true,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: fieldType(argument),
		options: options(argument),
		// optional arguments are offered in "Add argument"; required ones are always shown
		removed: argument.required !== true,
	}));
}

export async function getModelArguments(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const modelId = selectedModelId(this.getNodeParameter('model', undefined, { extractValue: true }));
	const fields = argumentFields(modelId);
	return {
		fields,
		emptyFieldsNotice:
			modelId === ''
				? 'Choose a model first'
				: `"${modelId}" is not in the catalogue: give its arguments in Extra Arguments (JSON); they are sent as given`,
	};
}
