/**
 * Reads and checks one Generate item, before any request: the model, its arguments (typed fields,
 * Extra Arguments (JSON), files from binary data), the completion and the Idempotency-Key.
 */
import type { IDataObject, IExecuteFunctions, ResourceMapperValue } from 'n8n-workflow';

import { ACCEPTED_MEDIA, ANY_UPLOADABLE, checkedBinaryType } from '../../../shared/binary/input';
import type { CompletionMode } from '../../../shared/descriptions/completion';
import { requestResumeWebhookUrl } from '../../../shared/generation/waitForWebhook';
import { checkArguments, isEmptyValue } from '../../../shared/requestApi/arguments';
import { findModel, type CatalogueModel } from '../../../shared/requestApi/catalogue';
import { checkIdempotencyKey, derivedIdempotencyKey, fingerprint } from '../../../shared/requestApi/idempotency';
import { MODEL_ID_PATTERN, selectedModelId } from '../../../shared/requestApi/model';
import { completionForTool } from '../../../shared/tool/settings';
import { InputChecks } from '../../../shared/validation';

export interface BinaryArgument {
	argument: string;
	property: string;
	mimeType: string;
	/** a list argument (image_urls, input_images): the uploaded URL is appended */
	list: boolean;
}

export interface PreparedRequest {
	modelId: string;
	/** the catalogue entry, when the model is known (its arguments were checked) */
	model?: CatalogueModel;
	/** the flat body, without the files still to upload */
	body: IDataObject;
	files: BinaryArgument[];
	completion: CompletionMode;
	/** the URL sent as ?hf_webhook= */
	webhook?: string;
	idempotencyKey: string;
}

function readModel(ctx: IExecuteFunctions, checks: InputChecks, itemIndex: number): string {
	const modelId = selectedModelId(ctx.getNodeParameter('model', itemIndex, '', { extractValue: true }));
	if (modelId === '') checks.fail('Model', modelId, 'Choose a model from the list, or give its ID (e.g. nano-banana or kling-video/v2.1/pro/image-to-video).');
	if (!MODEL_ID_PATTERN.test(modelId)) {
		checks.fail('Model', modelId, 'A model ID is a path of letters, digits, dots, dashes and underscores, e.g. bytedance/seedance/v1/pro/image-to-video.');
	}
	return modelId;
}

/** The typed fields of the resource mapper: only those with a value. */
function readMappedArguments(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const mapped = ctx.getNodeParameter('modelArguments', itemIndex, {}) as Partial<ResourceMapperValue> | IDataObject;
	const values = ((mapped as Partial<ResourceMapperValue>).value ?? {}) as IDataObject;
	return Object.fromEntries(Object.entries(values).filter(([, value]) => !isEmptyValue(value)));
}

function readExtraArguments(ctx: IExecuteFunctions, checks: InputChecks, itemIndex: number): IDataObject {
	const raw = ctx.getNodeParameter('extraArguments', itemIndex, '{}') as unknown;
	let parsed: unknown = raw;
	if (typeof raw === 'string') {
		if (raw.trim() === '') return {};
		try {
			parsed = JSON.parse(raw);
		} catch {
			checks.fail('Extra Arguments (JSON)', raw, 'Give a JSON object, e.g. {"aspect_ratio": "16:9", "seed": 7}.');
		}
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		checks.fail('Extra Arguments (JSON)', raw, 'Give a JSON object (the model arguments by name), e.g. {"aspect_ratio": "16:9"}.');
	}
	return parsed as IDataObject;
}

function readBinaryArguments(ctx: IExecuteFunctions, checks: InputChecks, itemIndex: number, model: CatalogueModel | undefined): BinaryArgument[] {
	const collection = ctx.getNodeParameter('binaryInputs', itemIndex, {}) as { files?: Array<{ argument?: unknown; binaryProperty?: unknown }> };
	const binaries = ctx.getInputData()[itemIndex]?.binary ?? {};
	return (collection.files ?? []).map((entry) => {
		const argumentName = checks.text('Files From Binary Data > Argument', entry.argument);
		const argument = model?.arguments.find((candidate) => candidate.name === argumentName);
		if (model && !argument?.media) {
			const media = model.arguments.filter((candidate) => candidate.media).map((candidate) => candidate.name);
			checks.fail(
				'Files From Binary Data > Argument',
				argumentName,
				media.length ? `${model.id} takes files in: ${media.join(', ')}.` : `${model.id} takes no files: remove this entry.`,
			);
		}
		const field = `Files From Binary Data > ${argumentName}`;
		const property = checks.text(field, entry.binaryProperty ?? 'data');
		const accepted = argument?.media ? ACCEPTED_MEDIA[argument.media] : ANY_UPLOADABLE;
		const mimeType = checkedBinaryType(checks, binaries, field, property, accepted, 'or give a URL under Arguments instead');
		const list = argument ? argument.type === 'list' : /s$/.test(argumentName);
		return { argument: argumentName, property, mimeType, list };
	});
}

async function readWebhook(ctx: IExecuteFunctions, checks: InputChecks, itemIndex: number, mode: CompletionMode): Promise<string | undefined> {
	if (mode === 'webhook') return checks.fetchableUrl('Webhook URL', ctx.getNodeParameter('webhookUrl', itemIndex, ''));
	// the resume URL of this execution; the resume itself is handled (and verified) by waitForWebhook.ts
	if (mode === 'waitForWebhook') return await requestResumeWebhookUrl(ctx, itemIndex);
	return undefined;
}

/** Identifies the bytes of a binary input: n8n's stored id, else the content itself. */
function binaryFingerprint(ctx: IExecuteFunctions, itemIndex: number, property: string): string {
	const binary = ctx.getInputData()[itemIndex]?.binary?.[property];
	return fingerprint(binary?.id ?? binary?.data ?? '');
}

function executionOrigin(ctx: IExecuteFunctions, itemIndex: number) {
	const runIndex = Number(ctx.evaluateExpression('{{ $runIndex }}', itemIndex) ?? 0);
	return {
		workflowId: String(ctx.getWorkflow().id ?? ''),
		executionId: String(ctx.getExecutionId() ?? ''),
		nodeId: ctx.getNode().id,
		runIndex: Number.isFinite(runIndex) ? runIndex : 0,
		itemIndex,
	};
}

export async function prepareRequest(ctx: IExecuteFunctions, itemIndex: number): Promise<PreparedRequest> {
	const checks = new InputChecks(ctx.getNode(), itemIndex);
	const modelId = readModel(ctx, checks, itemIndex);
	const model = findModel(modelId);
	const given = { ...readMappedArguments(ctx, itemIndex), ...readExtraArguments(ctx, checks, itemIndex) };
	const files = readBinaryArguments(ctx, checks, itemIndex, model);
	const filled: Record<string, number> = {};
	for (const file of files) filled[file.argument] = (filled[file.argument] ?? 0) + 1;
	const body = model ? checkArguments(checks, model, given, filled) : given;

	const completion = completionForTool(
		ctx,
		itemIndex,
		checks.oneOf<CompletionMode>('Completion', ctx.getNodeParameter('completion', itemIndex, 'poll'), ['poll', 'none', 'webhook', 'waitForWebhook']),
	);
	const webhook = await readWebhook(ctx, checks, itemIndex, completion);

	const idempotencyKey =
		checkIdempotencyKey(checks, ctx.getNodeParameter('idempotencyKey', itemIndex, '')) ??
		derivedIdempotencyKey(executionOrigin(ctx, itemIndex), {
			modelId,
			body,
			webhook,
			files: files.map((file) => ({ argument: file.argument, fingerprint: binaryFingerprint(ctx, itemIndex, file.property) })),
		});
	return { modelId, model, body, files, completion, webhook, idempotencyKey };
}
