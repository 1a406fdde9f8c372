// @ts-check
'use strict';
/**
 * Console and file output of the fault suite's figures. Plain CommonJS: the community lint rules
 * (which apply to every .ts file) forbid `fs`, `path` and `process` in TypeScript.
 */
const fs = require('fs');
const path = require('path');

const LAST_RUN = path.join(__dirname, 'last-run.json');

/** @param {Record<string, number>} counts */
function kinds(counts) {
	const entries = Object.entries(counts).filter(([, n]) => n > 0);
	return entries.length ? entries.map(([kind, n]) => `${kind}:${n}`).join(' ') : '-';
}

/** @param {string[][]} rows */
function table(rows) {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
	const line = (/** @type {string[]} */ row) => row.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ');
	return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}

/**
 * Prints the figures of every run as a table and saves them to test/faults/last-run.json.
 * @param {{runs: Array<Record<string, any>>, [key: string]: any}} figures
 */
function report(figures) {
	const rows = [
		['node', 'scenario', 'items', 'ok', 'may-be-created', 'other errors', 'GETs (faulted)', 'faults total', 'faults GET /v1', 'faults GET files', 'faults POST', 'faults uploads', 'retries', 'submissions/item', 'POST attempts/item', 'wall s'],
	];
	for (const run of figures.runs) {
		rows.push([
			run.node,
			run.scenario,
			String(run.items),
			String(run.succeeded),
			String(run.maybeCreated),
			String(run.otherErrors),
			`${run.getRequests} (${(run.getFaultShare * 100).toFixed(1)}%)`,
			String(run.faultsInjected),
			kinds(run.faults.get),
			kinds(run.faults.files),
			kinds(run.faults.post),
			kinds(run.faults.uploads),
			`${run.retries.total} (GET ${run.retries.get}, files ${run.retries.files}, POST ${run.retries.post}, uploads ${run.retries.uploads})`,
			kinds(run.submissionsPerItem),
			kinds(run.postAttemptsPerItem),
			(run.wallMs / 1000).toFixed(1),
		]);
	}
	fs.writeFileSync(LAST_RUN, `${JSON.stringify(figures, null, '\t')}\n`);
	// straight to stdout, so jest prints the table without a console.log frame around it
	process.stdout.write(`\nFault-injection run (${figures.generatedAt})\n${table(rows)}\nFigures saved to ${path.relative(process.cwd(), LAST_RUN)}\n\n`);
}

const LAST_RUN_REQUEST_API = path.join(__dirname, 'last-run-request-api.json');

/**
 * Prints the request-API fault run's figures and saves them to test/faults/last-run-request-api.json.
 * @param {Record<string, any>} f
 */
function reportRequestApi(f) {
	const rows = [
		['items', 'ok', 'may-be-created', 'other errors', 'created', 'created/key', 'replays', 'submissions', 'faults submit', 'faults status', 'faults files', 'fault share', 'max running/limit', 'max in flight', '429 queue full', 'wall s'],
		[
			String(f.items),
			String(f.succeeded),
			String(f.maybeCreated),
			String(f.otherErrors),
			String(f.createdRequests),
			kinds(f.createdPerKey),
			String(f.replays),
			String(f.submissions),
			kinds(f.faults.submit),
			kinds(f.faults.status),
			kinds(f.faults.files),
			`${(f.faultShare * 100).toFixed(1)}% of ${f.requests}`,
			`${f.maxRunning}/${f.limit}`,
			`${f.maxInFlight} (queue ${f.queueSize})`,
			String(f.queueFull429),
			String(f.wallSeconds),
		],
	];
	fs.writeFileSync(LAST_RUN_REQUEST_API, `${JSON.stringify(f, null, '\t')}\n`);
	process.stdout.write(`\nRequest API fault run (${f.generatedAt}): ${f.node}\n${table(rows)}\nFigures saved to ${path.relative(process.cwd(), LAST_RUN_REQUEST_API)}\n\n`);
}

module.exports = { report, reportRequestApi, LAST_RUN, LAST_RUN_REQUEST_API };
