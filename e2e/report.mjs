// How the e2e suites report: one line per check, PASS/FAIL per scenario, and the summary whose
// PASS/FAIL lines .ci/run counts. HF_E2E_ONLY=word,word runs only the scenarios whose name has a word.

/** A failed check: its message is the whole story (no stack trace). */
export class CheckFailed extends Error {}

export function check(condition, message, details) {
	if (!condition) {
		const extra = details === undefined ? '' : `\n      got: ${JSON.stringify(details).slice(0, 800)}`;
		throw new CheckFailed(`${message}${extra}`);
	}
	console.log(`    ok  ${message}`);
}

/** A measured figure, printed in the run's log beside the checks. */
export const figure = (text) => console.log(`    **  ${text}`);

const only = (process.env.HF_E2E_ONLY ?? '')
	.split(',')
	.map((word) => word.trim())
	.filter(Boolean);

/** The scenarios of one suite run and their outcomes. */
export function createReport() {
	const results = [];
	return {
		results,
		async scenario(name, fn) {
			if (only.length > 0 && !only.some((word) => name.includes(word))) return;
			const started = Date.now();
			console.log(`\n--- ${name}`);
			try {
				await fn();
				const seconds = ((Date.now() - started) / 1000).toFixed(1);
				results.push({ name, ok: true, seconds });
				console.log(`PASS ${name} (${seconds} s)`);
			} catch (error) {
				const seconds = ((Date.now() - started) / 1000).toFixed(1);
				results.push({ name, ok: false, seconds, error: error.message });
				console.log(`FAIL ${name} (${seconds} s)\n    ${error instanceof CheckFailed ? error.message : error.stack}`);
			}
		},
		/** Prints the summary under `heading`; the exit code (no scenario run is a failure). */
		summary(heading) {
			const failed = results.filter((result) => !result.ok);
			console.log(`\n=== e2e summary (${heading})`);
			for (const result of results) console.log(`${result.ok ? 'PASS' : 'FAIL'} ${result.name} (${result.seconds} s)`);
			if (results.length === 0) {
				console.log('FAIL no scenario ran');
				return 1;
			}
			console.log(failed.length === 0 ? `ALL ${results.length} PASSED` : `${failed.length} of ${results.length} FAILED`);
			return failed.length === 0 ? 0 : 1;
		},
	};
}
