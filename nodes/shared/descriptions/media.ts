/** The URL-or-binary trio of fields for one image or audio input, written once for every node. */
import type { INodeProperties } from 'n8n-workflow';

import type { MediaFieldNames, MediaKind } from '../binary/input';

export interface MediaInputDefinition {
	/** base parameter name, e.g. startImage (stored in workflows: never rename) */
	name: string;
	displayName: string;
	kind: MediaKind;
	required: boolean;
	description: string;
}

export function mediaFieldNames(definition: Pick<MediaInputDefinition, 'name' | 'displayName'>): MediaFieldNames {
	return {
		source: `${definition.name}Source`,
		url: `${definition.name}Url`,
		binaryProperty: `${definition.name}BinaryProperty`,
		label: definition.displayName,
	};
}

export function mediaInputProperties(definition: MediaInputDefinition): INodeProperties[] {
	const names = mediaFieldNames(definition);
	const example = definition.kind === 'audio' ? 'https://example.com/voice.wav' : 'https://example.com/image.png';
	const sources = [
		{ name: 'URL', value: 'url', description: 'A public https:// URL' },
		{ name: 'Binary File', value: 'binary', description: 'A file in the binary data of the incoming item' },
	];
	const source: INodeProperties = definition.required
		? {
				displayName: `${definition.displayName} Source`,
				name: names.source,
				type: 'options',
				default: 'url',
				options: sources,
				description: definition.description,
			}
		: {
				displayName: `${definition.displayName} Source`,
				name: names.source,
				type: 'options',
				default: 'none',
				options: [{ name: 'None', value: 'none' }, ...sources],
				description: definition.description,
			};
	return [
		source,
		{
			displayName: `${definition.displayName} URL`,
			name: names.url,
			type: 'string',
			default: '',
			required: true,
			placeholder: `e.g. ${example}`,
			description: `Public https:// URL of the ${definition.kind === 'audio' ? 'WAV audio' : 'image'}`,
			displayOptions: { show: { [names.source]: ['url'] } },
		},
		{
			displayName: `${definition.displayName} Binary Property`,
			name: names.binaryProperty,
			type: 'string',
			default: 'data',
			required: true,
			description: `Name of the binary property of the incoming item that holds the ${definition.kind === 'audio' ? 'WAV audio' : 'image'}; it is uploaded to Higgsfield first`,
			displayOptions: { show: { [names.source]: ['binary'] } },
		},
	];
}
