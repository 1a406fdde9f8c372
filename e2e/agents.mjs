// The MCP example (examples/09-mcp-server-tools-for-ai-agents.json) in real n8n, used by a real MCP
// client (the official TypeScript SDK) as Claude Desktop or an agent framework would use it:
// list the tools, call them, follow a job that outlives the tool's wait, and read errors.
// Wired into e2e/run.mjs; every check is against n8n's answers and the sandbox's request log.
import fs from 'node:fs';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export const MCP_EXAMPLE_ID = 'hfExMcpServer001';
export const MCP_PATH = 'higgsfield';
/** the example's "Max Wait as a Tool" */
const TOOL_WAIT_S = 45;
/** the MCP TypeScript SDK's default request timeout: a tool call must answer before it */
const SDK_TIMEOUT_S = 60;

const EXPECTED_ARGUMENTS = {
	Soul_Image: ['prompt', 'size'],
	Generate_With_Model: ['model', 'model_arguments', 'prompt'],
	Get_Job_Set: ['job_set_id'],
	Get_Request_Status: ['request_id'],
	List_Characters: [],
};

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The MCP scenarios. `ctx`: { scenario, check, serverUrl, serverLogFile, logMark, sandboxLog }.
 */
export async function mcpScenarios({ scenario, check, serverUrl, serverLogFile, logMark, sandboxLog }) {
	const url = new URL(`/mcp/${MCP_PATH}`, serverUrl);
	let client;

	const call = async (name, args) => {
		const started = Date.now();
		const answer = await client.callTool({ name, arguments: args });
		const text = answer.content?.find((part) => part.type === 'text')?.text ?? '';
		let parsed;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = undefined;
		}
		return {
			isError: answer.isError === true,
			text,
			result: Array.isArray(parsed) ? parsed[0] : parsed,
			seconds: (Date.now() - started) / 1000,
		};
	};
	/** Requests n8n made for result files (a download) since the mark: none may exist in tool mode. */
	const downloadsSince = async (mark) =>
		(await sandboxLog(mark)).filter((entry) => entry.method === 'GET' && entry.path.startsWith('/files/results/'));
	const fetchBytes = async (resultUrl) => Buffer.from(await (await fetch(resultUrl)).arrayBuffer());

	await scenario('mcp: the published example is an MCP server; a real MCP client lists its tools and their input schemas', async () => {
		client = new Client({ name: 'hf-e2e-mcp-client', version: '1.0.0' });
		await client.connect(new StreamableHTTPClientTransport(url));
		check(true, `the MCP SDK client connected to ${url.href} (Streamable HTTP)`);
		const { tools } = await client.listTools();
		const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
		check(
			JSON.stringify(Object.keys(byName).sort()) === JSON.stringify(Object.keys(EXPECTED_ARGUMENTS).sort()),
			`tools listed: ${Object.keys(byName).sort().join(', ')}`,
			Object.keys(byName),
		);
		for (const [name, expected] of Object.entries(EXPECTED_ARGUMENTS)) {
			const schema = byName[name].inputSchema;
			const properties = Object.keys(schema.properties ?? {}).sort();
			check(
				schema.type === 'object' &&
					JSON.stringify(properties) === JSON.stringify(expected) &&
					JSON.stringify([...(schema.required ?? [])].sort()) === JSON.stringify(expected),
				`${name}: input schema takes ${expected.length ? expected.join(', ') : 'no arguments'} (all required), each described for a model`,
				schema,
			);
			for (const property of expected) {
				check(
					typeof schema.properties[property].description === 'string' && schema.properties[property].description.length > 10,
					`${name}.${property} has a description`,
					schema.properties[property],
				);
			}
		}
		check(
			byName.Soul_Image.inputSchema.properties.prompt.type === 'string' &&
				byName.Generate_With_Model.inputSchema.properties.model_arguments.type === 'string',
			'types: prompt and model_arguments (JSON text) are strings',
		);
		check(
			/10 to 40 seconds/.test(byName.Soul_Image.description) && /credits/.test(byName.Soul_Image.description),
			'Soul_Image says what it makes, how long it takes and what it costs',
			byName.Soul_Image.description,
		);
		check(/answers at once/.test(byName.Get_Job_Set.description), 'Get_Job_Set says it answers at once', byName.Get_Job_Set.description);
	});

	await scenario(
		'mcp: Soul Image and the Higgsfield node called as tools: compact answers with ids and URLs, real PNG and MP4 behind them, nothing downloaded by n8n',
		async () => {
			check(client !== undefined, 'the MCP client is connected');
			let mark = await logMark();
			const image = await call('Soul_Image', { prompt: 'a lighthouse at dusk, photo', size: '2048x1152' });
			check(
				!image.isError && image.result?.status === 'completed',
				`Soul_Image answered in ${image.seconds.toFixed(1)} s: ${image.text}`,
				image,
			);
			const imageUrl = image.result.result_urls?.[0];
			check(
				/^[0-9a-f-]{36}$/.test(image.result.job_set_id) && typeof imageUrl === 'string' && image.text.split(imageUrl).length === 2,
				'the answer parses to a job_set_id and its result URL, given once',
			);
			check(
				!/input_params|preview_urls|"jobs"|lighthouse/.test(image.text) && typeof image.result.urls_expire === 'string',
				'compact: no echoed inputs, no nested jobs or previews; says when the URLs expire',
			);
			let log = await sandboxLog(mark);
			const souls = log.filter((entry) => entry.method === 'POST' && entry.path === '/v1/text2image/soul');
			check(
				souls.length === 1 && souls[0].body?.params?.width_and_height === '2048x1152',
				'one Soul submission, with the size the client chose',
			);
			check((await downloadsSince(mark)).length === 0, 'n8n downloaded no result file during the call (sandbox log)');
			const png = await fetchBytes(imageUrl);
			check(png.subarray(0, 8).equals(PNG), `the URL serves a real PNG (${png.length} bytes)`);

			mark = await logMark();
			const video = await call('Generate_With_Model', {
				model: 'kling-video/v2.1/master/text-to-video',
				prompt: 'waves rolling onto a beach',
				model_arguments: '{"duration": 5}',
			});
			check(
				!video.isError && video.result?.status === 'completed',
				`Generate_With_Model answered in ${video.seconds.toFixed(1)} s: ${video.text}`,
				video,
			);
			const videoUrl = video.result.result_urls?.[0];
			check(
				typeof video.result.request_id === 'string' &&
					video.result.model === 'kling-video/v2.1/master/text-to-video' &&
					typeof videoUrl === 'string',
				'the answer parses to a request_id, the model and the result URL',
			);
			check(
				video.result.urls_expire !== undefined && video.result.urls_expire !== null,
				`and when the URL expires (${video.result.urls_expire})`,
			);
			log = await sandboxLog(mark);
			const submitted = log.filter((entry) => entry.method === 'POST' && entry.path === '/kling-video/v2.1/master/text-to-video');
			check(
				submitted.length === 1 &&
					JSON.stringify(submitted[0].body) === JSON.stringify({ prompt: 'waves rolling onto a beach', duration: 5 }),
				'one submission to the model, with the prompt and arguments the client gave',
				submitted.map((entry) => entry.body),
			);
			check(
				(await downloadsSince(mark)).length === 0 && log.every((entry) => !entry.path.startsWith('/files/')),
				'n8n downloaded no output file during the call (sandbox log)',
			);
			const mp4 = await fetchBytes(videoUrl);
			check(mp4.subarray(4, 8).toString('latin1') === 'ftyp', `the URL serves a real MP4 (${mp4.length} bytes)`);

			const binaryWarnings = fs.readFileSync(serverLogFile, 'utf8').split('\n').filter((line) => /included binary data/.test(line));
		check(binaryWarnings.length === 0, 'n8n logged no "included binary data, which is not supported" (the tools return no files)', binaryWarnings);
		const characters = await call('List_Characters', {});
			check(
				!characters.isError && Array.isArray(JSON.parse(characters.text)),
				`List_Characters answers a list: ${characters.text.slice(0, 200)}`,
			);
		},
	);

	await scenario('mcp: a bad argument gets a plain error (the argument, the fix), nothing is submitted', async () => {
		const mark = await logMark();
		const bad = await call('Soul_Image', { prompt: ' ', size: '1536x1536' });
		check(bad.result?.status === 'error', `answered status error: ${bad.text}`, bad);
		check(
			/^The argument "prompt" \(the field "Prompt"\) is invalid/.test(bad.result.error) &&
				/enter a text/.test(bad.result.error) &&
				/Nothing was submitted/.test(bad.result.error),
			'the text names the argument, says how to fix it and that nothing was submitted',
			bad.result.error,
		);
		check(!/NodeOperationError|NodeApiError|item \d|Details:/.test(bad.text), 'no class name, no item index', bad.text);
		const size = await call('Soul_Image', { prompt: 'a cat', size: '1000x1000' });
		check(
			size.result?.status === 'error' && /"size" \(the field "Size"\).*Use one of: 1152x2048/.test(size.result.error),
			`a size Soul does not make: ${size.text.slice(0, 160)}…`,
		);
		const json = await call('Generate_With_Model', { model: 'nano-banana', prompt: 'a cat', model_arguments: 'not json' });
		check(
			json.result?.status === 'error' && /Extra Arguments \(JSON\)/.test(json.result.error),
			`model_arguments that are not JSON: ${json.text.slice(0, 200)}`,
		);
		const log = await sandboxLog(mark);
		check(
			log.length === 0,
			'nothing reached the sandbox',
			log.map((entry) => `${entry.method} ${entry.path}`),
		);
	});

	await scenario(
		`mcp: a job longer than the tool's wait answers "still running" within it (${TOOL_WAIT_S} s, under the SDK's ${SDK_TIMEOUT_S} s); Get_Job_Set answers at once, then with the result`,
		async () => {
			const mark = await logMark();
			const slow = await call('Soul_Image', { prompt: 'a slow sunrise [sandbox:seconds=52]', size: '1536x1536' });
			check(
				!slow.isError && slow.result?.status === 'still running',
				`Soul_Image answered after ${slow.seconds.toFixed(1)} s: ${slow.text}`,
				slow,
			);
			check(
				slow.seconds >= TOOL_WAIT_S - 1 && slow.seconds < SDK_TIMEOUT_S - 3,
				`within the bound: ${slow.seconds.toFixed(1)} s (bound ${TOOL_WAIT_S} s, client timeout ${SDK_TIMEOUT_S} s)`,
			);
			const id = slow.result.job_set_id;
			check(
				slow.result.check_with === 'Get_Job_Set' && slow.result.next?.includes(`{"job_set_id":"${id}"}`),
				`names the tool that checks it and its argument: ${slow.result.next}`,
			);
			const early = await call('Get_Job_Set', { job_set_id: id });
			check(
				early.result?.status === 'still running' && early.seconds < 5,
				`Get_Job_Set answered at once (${early.seconds.toFixed(1)} s): still running`,
				early,
			);
			let done;
			for (let attempt = 0; attempt < 20 && done?.result?.status !== 'completed'; attempt++) {
				await new Promise((resolve) => setTimeout(resolve, 1500));
				done = await call('Get_Job_Set', { job_set_id: id });
			}
			check(
				done?.result?.status === 'completed' && done.result.job_set_id === id,
				`later, Get_Job_Set returned the finished job set: ${done?.text}`,
			);
			const png = await fetchBytes(done.result.result_urls[0]);
			check(png.subarray(0, 8).equals(PNG), 'its URL serves a real PNG');
			check(
				(await downloadsSince(mark)).length === 1,
				'n8n downloaded nothing: the only result-file request is the check above',
				await downloadsSince(mark),
			);
			const submissions = (await sandboxLog(mark)).filter((entry) => entry.method === 'POST');
			check(submissions.length === 1, 'one submission for the whole exchange');
			await client.close();
		},
	);
}

export const AI_AGENT_WORKFLOW = 'hfE2eAiAgent0001';

/**
 * n8n's AI Agent node with Higgsfield tools, in real n8n, without a language model: the chat model
 * is LangChain's FakeStreamingChatModel test utility with a script (e2e/fixtures/), installed as a
 * community package beside this one. `ctx`: { scenario, check, execute, logMark, sandboxLog }.
 */
export async function aiAgentScenario({ scenario, check, execute, logMark, sandboxLog }) {
	await scenario(
		"ai agent: n8n's AI Agent (scripted chat model) calls Soul Image, gets 'still running' naming Get_Job_Set, calls it, gets the result; nothing downloaded",
		async () => {
			const mark = await logMark();
			const run = await execute(AI_AGENT_WORKFLOW, 'AI Agent with a scripted chat model and Higgsfield tools');
			const runData = run.data.resultData.runData;
			const toolJson = (nodeName) =>
				(runData[nodeName] ?? [])
					.map((taskRun) => Object.values(taskRun.data ?? {}).flat(2))
					.flat()
					.filter(Boolean);
			const soulItems = toolJson('Soul Image');
			check(
				soulItems.length > 0 && soulItems.every((item) => item.binary === undefined),
				`the Soul Image tool ran (${(runData['Soul Image'] ?? []).length} run) and its output carries no binary data`,
			);
			const soulText = JSON.stringify(soulItems.map((item) => item.json));
			check(
				/still running/.test(soulText) && /"check_with":"Get_Job_Set"/.test(soulText),
				`as a tool of the 2.x AI Agent (run by the engine as a node of type ...Tool) it answered "still running" within its 1 s bound, naming the Get_Job_Set tool beside it: ${soulText.slice(0, 300)}`,
			);
			const checks = (runData['Get Job Set'] ?? []).length;
			check(checks >= 1, `the agent then called Get_Job_Set ${checks} time(s) with the job_set_id from that answer`);
			const output = runData['AI Agent']?.at(-1)?.data?.main?.[0]?.[0]?.json?.output;
			check(
				typeof output === 'string' && output.startsWith('Tool answered: '),
				`the agent finished with the last tool answer: ${String(output).slice(0, 300)}`,
				output,
			);
			const answer = JSON.parse(output.slice('Tool answered: '.length));
			const result = Array.isArray(answer) ? answer[0] : answer;
			check(
				result?.status === 'completed' && /^[0-9a-f-]{36}$/.test(result.job_set_id) && /raw\.png$/.test(result.result_urls?.[0] ?? ''),
				'Get_Job_Set answered status completed, the job_set_id and the result URL',
				result,
			);
			const log = await sandboxLog(mark);
			const souls = log.filter((entry) => entry.method === 'POST' && entry.path === '/v1/text2image/soul');
			check(
				souls.length === 1 && souls[0].body?.params?.prompt === 'a lighthouse at dusk [sandbox:seconds=4]',
				`one Soul submission, with the prompt the model gave the tool ($fromAI)`,
				souls.map((entry) => entry.body),
			);
			check(
				log.every((entry) => !entry.path.startsWith('/files/results/')),
				'n8n downloaded no result file (sandbox log)',
			);
		},
	);
}
