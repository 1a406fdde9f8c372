// The workflows of the queue-mode suite: the examples as shipped (their trigger URL moved to the webhook
// processor), the e2e suite's Wait for Webhook workflow, and three made here from the examples.
import fs from 'node:fs';
import path from 'node:path';

import * as H from '../../scripts/lib/harness.mjs';

export const THROUGHPUT = { id: 'hfQueueThroughput', items: 25, executions: 8 };
export const KILL = { id: 'hfQueueWorkerKill', jobSeconds: 45 };
export const BIG = { id: 'hfQueueBigResult' };
export const KILL_REQUEST = { id: 'hfQueueKillRequest', rows: 3, jobSeconds: 30 };
export const WAIT = { id: 'hfE2eWaitWebhook' };
export const TRIGGER = { id: 'hfExWebhookTrig1', send: 'hfExWebhookSend1' };

const clone = (value) => JSON.parse(JSON.stringify(value));
const byType = (workflow, suffix) => workflow.nodes.find((node) => node.type.endsWith(suffix));

/** Manual-trigger examples, as { id, name, trigger, workflow }. */
export function manualExamples() {
	return H.readWorkflows(H.EXAMPLES_DIR)
		.filter(({ workflow }) => workflow.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger'))
		.map(({ name, workflow }) => ({ id: workflow.id, file: name, name: workflow.name, trigger: byType(workflow, '.manualTrigger').name, workflow }));
}

/** 25 prompts per execution, Soul images by polling, URLs only (the run is about submissions and the limit). */
function throughputWorkflow() {
	const source = H.readWorkflows(H.EXAMPLES_DIR).find(({ workflow }) => workflow.id === 'hfExManyPrompts1').workflow;
	const workflow = clone(source);
	workflow.id = THROUGHPUT.id;
	workflow.name = `queue e2e: ${THROUGHPUT.executions} executions x ${THROUGHPUT.items} prompts`;
	workflow.nodes = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
	const code = byType(workflow, '.code');
	code.parameters.jsCode = `return Array.from({ length: ${THROUGHPUT.items} }, (_, row) => ({ json: { row, prompt: 'Queue mode throughput, row ' + row } }));`;
	const soul = byType(workflow, '.higgsfieldSoulImage');
	soul.parameters.download = 'none';
	soul.parameters.options = { maxConcurrentJobs: 4 };
	return workflow;
}

/**
 * The pattern that survives a worker's death: "Don't Wait" submits and returns the job set at once (n8n
 * saves that node's output before the next node starts, with EXECUTIONS_DATA_SAVE_ON_PROGRESS), then Get
 * Job Set waits. The job lasts KILL.jobSeconds, so the worker is killed while Get Job Set waits.
 */
function killWorkflow() {
	const source = JSON.parse(fs.readFileSync(path.join(H.ROOT, 'e2e', 'workflows', 'dont-wait-then-get-job-set.json'), 'utf8'));
	const workflow = clone(source);
	workflow.id = KILL.id;
	workflow.name = 'queue e2e: a worker dies while Get Job Set waits';
	const soul = byType(workflow, '.higgsfieldSoulImage');
	soul.parameters.prompt = `A lighthouse in a storm [sandbox:seconds=${KILL.jobSeconds}]`;
	workflow.settings = { ...(workflow.settings ?? {}), saveExecutionProgress: true };
	return workflow;
}

/**
 * Example 08 as shipped (the request API, Idempotency Key `{{ $workflow.id }}-row-{{ $json.id }}`) under
 * its own id, so its keys are its own: a worker dies while it waits, the user runs it again.
 */
function killRequestWorkflow() {
	const source = H.readWorkflows(H.EXAMPLES_DIR).find(({ name }) => name.startsWith('08-')).workflow;
	const workflow = clone(source);
	workflow.id = KILL_REQUEST.id;
	workflow.name = 'queue e2e: a worker dies while the Higgsfield node waits; the user runs it again';
	workflow.nodes = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
	return workflow;
}

/** Example 01 (Soul, then DoP with the full video downloaded): the sandbox makes the video 512 MiB. */
function bigResultWorkflow() {
	const source = H.readWorkflows(H.EXAMPLES_DIR).find(({ workflow }) => workflow.id === 'hfExTextImgVideo').workflow;
	const workflow = clone(source);
	workflow.id = BIG.id;
	workflow.name = 'queue e2e: a 512 MiB video in database binary mode';
	workflow.nodes = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
	return workflow;
}

/**
 * Writes every workflow the suite imports into `dir`; the examples' trigger URL (n8n's default address)
 * becomes the webhook processor's, where a team's WEBHOOK_URL points.
 */
export function writeWorkflows(dir, { webhookUrl }) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	const written = [];
	const write = (name, workflow) => {
		const text = JSON.stringify(workflow, null, '\t').replaceAll('http://127.0.0.1:5678/', webhookUrl);
		fs.writeFileSync(path.join(dir, name), text);
		written.push(workflow);
	};
	for (const { name, workflow } of H.readWorkflows(H.EXAMPLES_DIR)) write(name, workflow);
	write('wait-for-webhook.json', JSON.parse(fs.readFileSync(path.join(H.ROOT, 'e2e', 'workflows', 'wait-for-webhook.json'), 'utf8')));
	write('queue-throughput.json', throughputWorkflow());
	write('queue-worker-kill.json', killWorkflow());
	write('queue-big-result.json', bigResultWorkflow());
	write('queue-kill-request.json', killRequestWorkflow());
	return written;
}
