// Tool mode: the nodes called as AI tools through n8n-core's own tool wrapper (as the MCP Server
// Trigger and LangChain agents call them), and as 2.x's AI Agent runs them (a regular node of the
// Tool type), against the sandbox.
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { runWorkflow } from '../helpers/n8n';
import { runAgent, TOOL_NODE_TYPES, type ToolCall, type ToolNode } from '../helpers/tool';
import { startSandbox } from '../sandbox';
import { readJson } from '../ship/repo';
import type { Sandbox } from '../nodes/mediaGeneration';
import { isToolCall } from '../../nodes/shared/tool';
import { withoutItemIndexes } from '../../nodes/shared/tool/errors';

const FAST = { pollInterval: 0.1, maxPollInterval: 0.3 };
const fromAI = (key: string, description: string, type = 'string') => `={{ $fromAI('${key}', '${description}', '${type}') }}`;

const SOUL: ToolNode = {
	name: 'Soul Image',
	type: 'higgsfieldSoulImage',
	parameters: {
		operation: 'generate',
		prompt: fromAI('prompt', 'What the image shows'),
		widthAndHeight: '1536x1536',
		options: FAST,
	},
};
const GET_JOB_SET: ToolNode = {
	name: 'Get Job Set',
	type: 'higgsfieldGetJobSet',
	parameters: { operation: 'get', jobSetId: fromAI('job_set_id', 'The job_set_id a generation answered') },
};
const GENERATE: ToolNode = {
	name: 'Generate With Model',
	type: 'higgsfield',
	parameters: {
		resource: 'request',
		operation: 'generate',
		model: { __rl: true, mode: 'id', value: 'nano-banana' },
		modelArguments: { mappingMode: 'defineBelow', value: { prompt: fromAI('prompt', 'What the image shows') } },
		options: FAST,
	},
};
const GET_STATUS: ToolNode = {
	name: 'Get Status',
	type: 'higgsfield',
	parameters: { resource: 'request', operation: 'getStatus', requestId: fromAI('request_id', 'The request_id Generate answered') },
};
const CHARACTERS: ToolNode = {
	name: 'List Characters',
	type: 'higgsfieldCharacters',
	parameters: { operation: 'getMany', returnAll: true },
};

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ jobSeconds: 0.3, concurrency: 1000 });
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => sb.clearLog());

const agent = async (tools: ToolNode[], calls: ToolCall[]) => await runAgent({ tools, calls, credentials: { baseUrl: sb.url } });
const withWait = (tool: ToolNode, seconds: number): ToolNode => ({ ...tool, parameters: { ...tool.parameters, toolMaxWait: seconds } });

/** Requests for result files (what a download would fetch). */
const downloads = () => sb.log.filter((entry) => entry.method === 'GET' && entry.path.startsWith('/files/results/'));
const posts = () => sb.log.filter((entry) => entry.method === 'POST');
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('detection', () => {
	test('a node runs as a tool when its type is the Tool variant, or when n8n says so', () => {
		const node = (type: string) => ({ getNode: () => ({ type }) as never });
		expect(isToolCall(node('n8n-nodes-higgsfield.higgsfieldSoulImageTool'))).toBe(true);
		expect(isToolCall(node('n8n-nodes-higgsfield.higgsfieldSoulImage'))).toBe(false);
		expect(isToolCall({ ...node('n8n-nodes-higgsfield.higgsfieldSoulImage'), isToolExecution: () => true } as never)).toBe(true);
		expect(isToolCall({ ...node('n8n-nodes-higgsfield.higgsfieldSoulImage'), isToolExecution: () => false } as never)).toBe(false);
	});

	test('tool descriptions say what the tool makes, how long it takes and what it costs; $fromAI arguments carry their descriptions', async () => {
		const { listed } = await agent([SOUL, GET_JOB_SET, GENERATE, GET_STATUS, CHARACTERS], []);
		const byName = Object.fromEntries(listed.map((tool) => [tool.name, tool]));
		expect(Object.keys(byName).sort()).toEqual(['Generate_With_Model', 'Get_Job_Set', 'Get_Status', 'List_Characters', 'Soul_Image']);
		expect(byName.Soul_Image.description).toMatch(/Makes images from a text prompt.*10 to 40 seconds.*1\.5 credits per image/s);
		expect(byName.Generate_With_Model.description).toMatch(/Runs a Higgsfield model.*request_id.*Credits depend on the model/s);
		expect(byName.Get_Job_Set.description).toMatch(/answers at once.*Free/s);
		expect(byName.List_Characters.description).toMatch(/Lists the Soul ID characters.*Free/s);
		expect(byName.Soul_Image.arguments).toEqual({ prompt: 'What the image shows' });
		expect(byName.Get_Job_Set.arguments).toEqual({ job_set_id: 'The job_set_id a generation answered' });
		expect(byName.List_Characters.arguments).toEqual({});
	});
});

describe('generation tools', () => {
	test('Soul Image: a compact answer (status, id, each URL once, expiry) and no download, even with Download Results set', async () => {
		const soul = { ...SOUL, parameters: { ...SOUL.parameters, download: 'raw' } };
		const { answers, results } = await agent([soul, GET_JOB_SET], [{ tool: 'Soul_Image', args: { prompt: 'a lighthouse at dusk' } }]);
		expect(answers[0].error).toBeUndefined();
		const [answer] = results[0] as IDataObject[];
		expect(Object.keys(answer)).toEqual(['status', 'job_set_id', 'type', 'result_urls', 'urls_expire']);
		expect(answer).toMatchObject({ status: 'completed', type: 'text2image_soul' });
		const [url] = answer.result_urls as string[];
		expect(url).toMatch(/\/files\/results\/.+\/raw\.png$/);
		expect(occurrences(answers[0].text!, url)).toBe(1);
		expect(answers[0].text).not.toMatch(/lighthouse|input_params|preview|"jobs"/);
		expect(answer.urls_expire).toMatch(/^about \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(kept at least 7 days\)/);
		expect(downloads()).toEqual([]);
		// the URL works: the file is a PNG
		const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
		expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
	});

	test('a job longer than the bound: "still running" within the bound, naming the status tool and its argument; that tool answers at once, then with the result', async () => {
		const { answers, results } = await agent(
			[withWait(SOUL, 1), GET_JOB_SET],
			[{ tool: 'Soul_Image', args: { prompt: 'a slow one [sandbox:seconds=2.5]' } }],
		);
		expect(answers[0].ms).toBeGreaterThanOrEqual(900);
		expect(answers[0].ms).toBeLessThan(2400); // the job takes 2.5 s
		const [running] = results[0] as IDataObject[];
		expect(running).toMatchObject({ status: 'still running', job_set_id: expect.any(String), check_with: 'Get_Job_Set' });
		const id = String(running.job_set_id);
		expect(running.next).toBe(`Call the tool Get_Job_Set with {"job_set_id":"${id}"} in about 15 seconds to get the result.`);
		expect(posts()).toHaveLength(1);

		sb.clearLog();
		const early = await agent([GET_JOB_SET], [{ tool: 'Get_Job_Set', args: { job_set_id: id } }]);
		expect(early.answers[0].ms).toBeLessThan(1500);
		expect((early.results[0] as IDataObject[])[0]).toMatchObject({ status: 'still running', job_set_id: id, check_with: 'Get_Job_Set' });
		expect(sb.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual([`GET /v1/job-sets/${id}`]);

		await sleep(2000);
		const late = await agent([GET_JOB_SET], [{ tool: 'Get_Job_Set', args: { job_set_id: id } }]);
		const [done] = late.results[0] as IDataObject[];
		expect(done).toMatchObject({ status: 'completed', job_set_id: id, result_urls: [expect.stringMatching(/raw\.png$/)] });
		expect(downloads()).toEqual([]);
	});

	test('a bad argument: a plain error naming the argument and the fix, no class name, no item, nothing submitted', async () => {
		const { answers, results } = await agent([SOUL], [{ tool: 'Soul_Image', args: { prompt: '   ' } }]);
		expect(answers[0].error).toBeUndefined();
		expect(results[0]).toEqual([
			{
				status: 'error',
				error: 'The argument "prompt" (the field "Prompt") is invalid: got "   ". "Prompt" is required: enter a text. Nothing was submitted; call the tool again with a corrected argument.',
			},
		]);
		expect(answers[0].text).not.toMatch(/NodeOperationError|item 0|Details:/);
		expect(sb.log).toEqual([]);
	});

	test('a service error is a plain answer too, in its own words, without class name or item', async () => {
		sb.configure({ credits: 0 });
		try {
			const { results } = await agent([SOUL], [{ tool: 'Soul_Image', args: { prompt: 'a cat' } }]);
			const [answer] = results[0] as IDataObject[];
			expect(answer.status).toBe('error');
			expect(answer.error).toMatch(/credits/i);
			expect(String(answer.error)).not.toMatch(/NodeApiError|NodeOperationError|\[item \d\]|item 0/);
		} finally {
			sb.configure({ credits: Infinity });
		}
	});

	test('a failed job is an answer with its status and reason, not an error', async () => {
		const { answers, results } = await agent([SOUL], [{ tool: 'Soul_Image', args: { prompt: 'x [sandbox:nsfw]' } }]);
		expect(answers[0].error).toBeUndefined();
		const [answer] = results[0] as IDataObject[];
		expect(answer).toMatchObject({ status: 'nsfw', message: expect.stringMatching(/NSFW.*not charged/) });
		expect(answer).not.toHaveProperty('result_urls');
	});

	test('Wait for Webhook cannot pause a tool call: it polls within the bound', async () => {
		const soul = { ...SOUL, parameters: { ...SOUL.parameters, completion: 'waitForWebhook' } };
		const { results } = await agent([soul], [{ tool: 'Soul_Image', args: { prompt: 'a fox' } }]);
		expect((results[0] as IDataObject[])[0]).toMatchObject({ status: 'completed' });
		expect(posts()[0].body).not.toHaveProperty('webhook');
	});

	test("Don't Wait answers at once with the job set still running", async () => {
		const soul = { ...SOUL, parameters: { ...SOUL.parameters, completion: 'none' } };
		const { answers, results } = await agent([soul, GET_JOB_SET], [{ tool: 'Soul_Image', args: { prompt: 'a fox [sandbox:seconds=5]' } }]);
		expect(answers[0].ms).toBeLessThan(2000);
		expect(sb.log.map((entry) => entry.method)).toEqual(['POST']);
		expect((results[0] as IDataObject[])[0]).toMatchObject({ status: 'still running', check_with: 'Get_Job_Set' });
	});
});

describe('request API tools', () => {
	test('Generate: status, request_id, model, result URLs and their expiry; no download', async () => {
		const { answers, results } = await agent([GENERATE, GET_STATUS], [{ tool: 'Generate_With_Model', args: { prompt: 'a red fox' } }]);
		expect(answers[0].error).toBeUndefined();
		const [answer] = results[0] as IDataObject[];
		expect(answer).toMatchObject({
			status: 'completed',
			request_id: expect.any(String),
			model: 'nano-banana',
			result_urls: [expect.any(String)],
		});
		expect(answer.urls_expire).toEqual(expect.anything());
		expect(Object.keys(answer)).toEqual(['status', 'request_id', 'model', 'result_urls', 'urls_expire']);
		expect(downloads()).toEqual([]);
	});

	test('Generate longer than the bound: "still running" naming Get Status; Get Status answers at once', async () => {
		const { results } = await agent(
			[withWait(GENERATE, 0.5), GET_STATUS],
			[{ tool: 'Generate_With_Model', args: { prompt: 'a slow fox [sandbox:seconds=5]' } }],
		);
		const [running] = results[0] as IDataObject[];
		expect(running).toMatchObject({ status: 'still running', check_with: 'Get_Status' });
		const status = await agent([GET_STATUS], [{ tool: 'Get_Status', args: { request_id: running.request_id } }]);
		expect(status.answers[0].ms).toBeLessThan(2000);
		expect((status.results[0] as IDataObject[])[0]).toMatchObject({ status: 'still running', request_id: running.request_id });
	});
});

describe('other tools', () => {
	test('Characters Create: training longer than the bound answers "still running" with the character_id and the Get tool', async () => {
		// the sandbox trains a character in 3 s
		const create: ToolNode = {
			name: 'Create Character',
			type: 'higgsfieldCharacters',
			parameters: {
				operation: 'create',
				name: fromAI('name', 'A name for the person'),
				images: { image: [{ imageSource: 'url', imageUrl: fromAI('photo_url', 'A public https URL of a face photo') }] },
				toolMaxWait: 0.5,
				options: FAST,
			},
		};
		const get: ToolNode = {
			name: 'Get Character',
			type: 'higgsfieldCharacters',
			parameters: { operation: 'get', characterId: fromAI('character_id', 'The character_id') },
		};
		const { answers, results } = await agent(
			[create, get],
			[{ tool: 'Create_Character', args: { name: 'Anna', photo_url: 'https://example.com/face.png' } }],
		);
		expect(answers[0].ms).toBeLessThan(2500);
		const [answer] = results[0] as IDataObject[];
		expect(answer).toMatchObject({
			character_id: expect.any(String),
			name: 'Anna',
			status: 'still running',
			check_with: 'Get_Character',
		});
		expect(answer.next).toContain(`{"character_id":"${String(answer.character_id)}"}`);
	});

	test('Characters Get Many: one compact entry per character', async () => {
		const created = await fetch(`${sb.url}/v1/custom-references`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'hf-api-key': 'hf-sandbox-key', 'hf-secret': 'hf-sandbox-secret' },
			body: JSON.stringify({ name: 'Anna', input_images: [{ type: 'image_url', image_url: 'https://example.com/face.png' }] }),
		});
		const { id } = (await created.json()) as { id: string };
		const { results } = await agent([CHARACTERS], [{ tool: 'List_Characters', args: {} }]);
		const entries = results[0] as IDataObject[];
		expect(entries).toContainEqual(expect.objectContaining({ character_id: id, name: 'Anna', status: expect.any(String) }));
		for (const entry of entries) {
			expect(Object.keys(entry).every((key) => ['character_id', 'name', 'status', 'thumbnail_url', 'fail_reason'].includes(key))).toBe(
				true,
			);
		}
	});
});

describe('2.x AI Agent: the tool runs as a regular node of the Tool type', () => {
	test('same compact answer, no download', async () => {
		const { output, error } = await runWorkflow({
			node: {
				name: 'Soul Image',
				type: 'n8n-nodes-higgsfield.higgsfieldSoulImageTool',
				parameters: { ...SOUL.parameters, prompt: 'a heron' },
			},
			credentials: { baseUrl: sb.url },
			nodeTypes: TOOL_NODE_TYPES,
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		expect(output[0].binary).toBeUndefined();
		expect(output[0].json).toMatchObject({ status: 'completed', result_urls: [expect.any(String)] });
		expect(downloads()).toEqual([]);
	});
});

test('item indexes are removed from error texts', () => {
	expect(withoutItemIndexes('Job set x failed [item 3]')).toBe('Job set x failed');
	expect(withoutItemIndexes('Invalid "Prompt" in item 0: got nothing')).toBe('Invalid "Prompt": got nothing');
});

describe('the MCP example (examples/09-mcp-server-tools-for-ai-agents.json)', () => {
	interface ExampleNode {
		name: string;
		type: string;
		parameters: IDataObject;
	}
	const example = readJson('examples/09-mcp-server-tools-for-ai-agents.json') as { nodes: ExampleNode[] };
	const tools: ToolNode[] = example.nodes
		.filter((node) => node.type.startsWith('n8n-nodes-higgsfield.'))
		.map((node) => ({
			name: node.name,
			type: node.type.replace('n8n-nodes-higgsfield.', '').replace(/Tool$/, ''),
			parameters: node.parameters,
		}));

	test('its tools, their arguments, and a call of each as a model would make it', async () => {
		const { listed, answers, results } = await agent(tools, [
			{ tool: 'Soul_Image', args: { prompt: 'a lighthouse at dusk', size: '2048x1152' } },
			{
				tool: 'Generate_With_Model',
				args: { model: 'kling-video/v2.1/master/text-to-video', prompt: 'waves at dusk', model_arguments: '{"duration": 5}' },
			},
			{ tool: 'List_Characters', args: {} },
		]);
		expect(Object.fromEntries(listed.map((tool) => [tool.name, Object.keys(tool.arguments).sort()]))).toEqual({
			Soul_Image: ['prompt', 'size'],
			Generate_With_Model: ['model', 'model_arguments', 'prompt'],
			Get_Job_Set: ['job_set_id'],
			Get_Request_Status: ['request_id'],
			List_Characters: [],
		});
		expect(answers.map((answer) => answer.error)).toEqual([undefined, undefined, undefined]);
		expect((results[0] as IDataObject[])[0]).toMatchObject({ status: 'completed', result_urls: [expect.stringMatching(/\.png$/)] });
		const [video] = results[1] as IDataObject[];
		expect(video).toMatchObject({ status: 'completed', model: 'kling-video/v2.1/master/text-to-video', result_urls: [expect.any(String)] });
		const submitted = posts().find((entry) => entry.path === '/kling-video/v2.1/master/text-to-video');
		expect(submitted?.body).toEqual({ prompt: 'waves at dusk', duration: 5 });
		expect(downloads()).toEqual([]);
	});
});
