/** Builds `params` from an item's fields: only what the user set, each value checked. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readMediaInput, type MediaKind } from '../binary/input';
import { mediaFieldNames } from '../descriptions/media';
import { InputChecks } from '../validation';
import type { MediaSlot } from './runGenerations';

export class ParamsBuilder {
	readonly params: IDataObject = {};

	readonly media: MediaSlot[] = [];

	readonly checks: InputChecks;

	private readonly additional: IDataObject;

	constructor(
		private readonly ctx: IExecuteFunctions,
		readonly itemIndex: number,
		additionalFieldsName = 'additionalFields',
	) {
		this.checks = new InputChecks(ctx.getNode(), itemIndex);
		this.additional = ctx.getNodeParameter(additionalFieldsName, itemIndex, {}) as IDataObject;
	}

	field(name: string): unknown {
		return this.ctx.getNodeParameter(name, this.itemIndex, undefined);
	}

	/** A value from Additional Fields, or undefined when the user did not add it (or left it empty). */
	optional(name: string): unknown {
		const value = this.additional[name];
		return value === undefined || value === null || value === '' ? undefined : value;
	}

	/** Sets `key` from an Additional Field, checked, only when the user added that field. */
	setOptional(key: string, name: string, check: (value: unknown) => unknown): this {
		const value = this.optional(name);
		return value === undefined ? this : this.set(key, check(value));
	}

	set(key: string, value: unknown): this {
		if (value !== undefined) this.params[key] = value as IDataObject[keyof IDataObject];
		return this;
	}

	/** Adds a media input; `place` turns its final URL into the API's value. */
	mediaInput(name: string, label: string, kind: MediaKind, place: (url: string) => void): boolean {
		const fields = mediaFieldNames({ name, displayName: label });
		const source = this.ctx.getNodeParameter(fields.source, this.itemIndex, 'none') as string;
		if (source === 'none') return false;
		const input = readMediaInput(this.ctx, this.itemIndex, fields, kind);
		this.media.push({ input, assign: place });
		return true;
	}

	/** The shared optional seed and enhance-prompt fields. */
	seedAndEnhance(seedMin: number): this {
		return this.setOptional('seed', 'seed', (seed) => this.checks.integer('Seed', seed, seedMin, 1_000_000)).setOptional(
			'enhance_prompt',
			'enhancePrompt',
			(enhance) => this.checks.boolean('Enhance Prompt', enhance),
		);
	}
}
