// npm run screenshots: starts the sandboxed n8n as `npm run start:n8n` does (scripts/lib/sandboxed-n8n.mjs), but
// in a throw-away data folder on a free port, then drives Debian's headless Chromium (playwright-core, no browser
// download) through the editor and writes PNGs to docs/images/ (re-runnable: each run replaces them):
//   nodes-panel.png       the nodes panel searched for "Higgsfield"
//   node-parameters.png   the Higgsfield node (request API) with a model picked and its fields
//   executed-video.png    an executed example, the video in the output's binary view
//   trigger-panel.png     the Higgsfield Trigger's panel
// Settings: HF_CHROMIUM (default /usr/bin/chromium), HF_SCREENSHOTS_OUT (default docs/images),
// HF_SCREENSHOTS_KEEP=1 keeps the n8n data folder, HF_SCREENSHOTS_ONLY=trigger,nodes-panel takes only those,
// HF_SCREENSHOTS_EDITOR=http://localhost:5678 photographs an n8n that `npm run start:n8n` runs (default owner).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

import * as H from './lib/harness.mjs';
import { startSandboxedN8n } from './lib/sandboxed-n8n.mjs';

const OUT = path.resolve(H.ROOT, process.env.HF_SCREENSHOTS_OUT || 'docs/images');
const CHROMIUM = process.env.HF_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];
const OWNER = { email: 'owner@example.com', password: 'Higgsfield-Sandbox-1' };
/** The example whose request-API nodes are shown and executed, and its video node. */
const REQUEST_EXAMPLE = { id: 'hfExNanoKling001', node: 'Animate With Kling' };
/** Fallback while the request-API example is missing: the v1 pipeline. */
const V1_EXAMPLE = { id: 'hfExTextImgVideo', node: 'Animate Image' };
const TRIGGER_EXAMPLE = { id: 'hfExWebhookTrig1', node: 'Higgsfield Trigger' };

const say = (message) => H.say('screenshots', message);

async function shot(page, name, what) {
	const file = path.join(OUT, name);
	await page.screenshot({ path: file });
	say(`wrote ${path.relative(H.ROOT, file)}: ${what}`);
	return file;
}

async function dismissPopups(page) {
	// n8n's one-time notices (what's new, tours) would cover the editor
	for (const selector of ['[data-test-id="whats-new-modal"] .el-dialog__headerbtn', '.el-message-box__headerbtn', '.el-notification__closeBtn']) {
		for (const element of await page.locator(selector).all()) await element.click({ timeout: 1000 }).catch(() => {});
	}
	await page.keyboard.press('Escape').catch(() => {});
}

async function signIn(page, editorUrl) {
	await page.goto(`${editorUrl}/signin`);
	await page.locator('input[type="email"], input[name="emailOrLdapLoginId"]').first().fill(OWNER.email);
	await page.locator('input[type="password"]').first().fill(OWNER.password);
	await page.locator('input[type="password"]').first().press('Enter');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
}

async function openWorkflow(page, editorUrl, id) {
	await page.goto(`${editorUrl}/workflow/${id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
	await page.waitForTimeout(1000);
	await dismissPopups(page);
}

async function openNode(page, name) {
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).first();
	await node.dblclick();
	await page.locator('[data-test-id="ndv"]').first().waitFor({ timeout: 30_000 });
	await page.waitForTimeout(1500);
}

async function closeNode(page) {
	await page.keyboard.press('Escape');
	await page.waitForTimeout(500);
}

async function nodesPanel(page, editorUrl, workflowId) {
	// "What happens next?" on an example workflow: the action nodes (an empty workflow would list triggers first)
	await openWorkflow(page, editorUrl, workflowId);
	await page.locator('[data-test-id="node-creator-plus-button"]').first().click();
	const search = page.locator('[data-test-id="node-creator-search-bar"] input, [data-test-id="node-creator-search-bar"]').first();
	await search.waitFor({ timeout: 30_000 });
	await search.fill('Higgsfield');
	await page.waitForTimeout(1500);
	const file = await shot(page, 'nodes-panel.png', 'the nodes panel searched for "Higgsfield"');
	await page.keyboard.press('Escape');
	return file;
}

async function executeWorkflow(page) {
	await page.locator('[data-test-id="execute-workflow-button"]').first().click();
	// success: every node shows its run; the sandbox's jobs take about 2 s
	await page.waitForFunction(() => !document.querySelector('[data-test-id="stop-execution-button"]'), null, { timeout: 120_000 }).catch(() => {});
	await page.waitForTimeout(4000);
}

async function showBinaryOutput(page) {
	const panel = page.locator('[data-test-id="output-panel"]').first();
	await panel.locator('[data-test-id="ndv-run-data-display-mode"] [data-test-id="radio-button-binary"]').first().click();
	await page.waitForTimeout(1000);
	// open the file preview (n8n shows a video player for video/mp4)
	const view = panel.locator('[data-test-id="ndv-view-binary-data"]').first();
	if (await view.isVisible().catch(() => false)) {
		await view.click();
		await page.waitForTimeout(3000);
	}
}

/** Runs one capture; a failure is reported with a picture of the page (in the system's temp folder) and the run goes on. */
async function capture(page, name, steps) {
	try {
		return await steps();
	} catch (error) {
		const debug = path.join(os.tmpdir(), `hf-screenshots-failed-${name}`);
		await page.screenshot({ path: debug }).catch(() => {});
		say(`FAILED ${name}: ${String(error.message ?? error).split('\n')[0]} (the page then: ${debug})`);
		return undefined;
	}
}

async function shootAll(editorUrl, exampleIds) {
	const example = exampleIds.has(REQUEST_EXAMPLE.id) ? REQUEST_EXAMPLE : V1_EXAMPLE;
	fs.mkdirSync(OUT, { recursive: true });
	const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
		const page = await context.newPage();
		page.setDefaultTimeout(30_000);
		await signIn(page, editorUrl);
		say(`signed in to ${editorUrl} in Chromium ${browser.version()}`);
		const only = (process.env.HF_SCREENSHOTS_ONLY || '').split(',').filter(Boolean);
		const wanted = (name) => only.length === 0 || only.some((part) => name.includes(part));
		const written = [];
		if (wanted('nodes-panel')) written.push(await capture(page, 'nodes-panel.png', () => nodesPanel(page, editorUrl, example.id)));
		if (wanted('node-parameters'))
			written.push(
				await capture(page, 'node-parameters.png', async () => {
					await openWorkflow(page, editorUrl, example.id);
					await openNode(page, example.node);
					const file = await shot(page, 'node-parameters.png', `"${example.node}" with its model and fields`);
					await closeNode(page);
					return file;
				}),
			);
		if (wanted('executed-video'))
			written.push(
				await capture(page, 'executed-video.png', async () => {
					await openWorkflow(page, editorUrl, example.id);
					await executeWorkflow(page);
					await openNode(page, example.node);
					await showBinaryOutput(page);
					const file = await shot(page, 'executed-video.png', `"${example.node}" after a run, its video in the binary view`);
					await closeNode(page);
					return file;
				}),
			);
		if (wanted('trigger-panel'))
			written.push(
				await capture(page, 'trigger-panel.png', async () => {
					await openWorkflow(page, editorUrl, TRIGGER_EXAMPLE.id);
					await openNode(page, TRIGGER_EXAMPLE.node);
					return await shot(page, 'trigger-panel.png', 'the Higgsfield Trigger panel');
				}),
			);
		const failed = written.filter((file) => !file).length;
		say(`${written.length - failed} screenshots written to ${path.relative(H.ROOT, OUT)}/, ${failed} failed`);
		return failed === 0 ? 0 : 1;
	} finally {
		await browser.close().catch(() => {});
	}
}

async function main() {
	H.stopAllOnSignals();
	if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set HF_CHROMIUM)`);
	// HF_SCREENSHOTS_EDITOR=http://localhost:5678: photograph an n8n that `npm run start:n8n` already runs
	if (process.env.HF_SCREENSHOTS_EDITOR) {
		const ids = new Set(H.readWorkflows(H.EXAMPLES_DIR).map((example) => example.workflow.id));
		return await shootAll(process.env.HF_SCREENSHOTS_EDITOR.replace(/\/$/, ''), ids);
	}
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-screenshots-'));
	try {
		const started = await startSandboxedN8n({
			tag: 'screenshots',
			userFolder,
			port: await H.freePort(),
			ownerEmail: OWNER.email,
			ownerPassword: OWNER.password,
			sandboxPort: await H.freePort(),
			sandboxArgs: ['--job-seconds', '2'],
		});
		return await shootAll(started.editorUrl, new Set(started.examples.map((example) => example.workflow.id)));
	} finally {
		await H.stopAll();
		if (process.env.HF_SCREENSHOTS_KEEP === '1') say(`n8n data folder kept: ${userFolder}`);
		else fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main()
	.then((code) => process.exit(code))
	.catch(async (error) => {
		console.error(`\nscreenshots failed: ${error.message ?? error}`);
		await H.stopAll();
		process.exit(1);
	});
