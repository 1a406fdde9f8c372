/** Fields that several operations share, written once. */
import type { INodeProperties } from 'n8n-workflow';

export const promptProperty: INodeProperties = {
	displayName: 'Prompt',
	name: 'prompt',
	type: 'string',
	default: '',
	required: true,
	typeOptions: { rows: 3 },
	placeholder: 'e.g. a red fox in fresh snow, cinematic light',
	description: 'What to generate, in plain words',
};

export function seedOption(min: number): INodeProperties {
	return {
		displayName: 'Seed',
		name: 'seed',
		type: 'number',
		default: min,
		typeOptions: { minValue: min, maxValue: 1_000_000 },
		description: `Fixed seed (${min} to 1000000) to make results repeatable; leave unset for a random one`,
	};
}

export const enhancePromptOption: INodeProperties = {
	displayName: 'Enhance Prompt',
	name: 'enhancePrompt',
	type: 'boolean',
	default: true,
	description: 'Whether Higgsfield rewrites the prompt to add detail before generating',
};

export function strengthOption(name: string, displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'number',
		default: 1,
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		description,
	};
}
