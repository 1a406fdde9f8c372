// Plain JS (like setup.js). Runs in every test file: the test during which a
// MaxListenersExceededWarning (listeners piling up on an abort signal or emitter) or an unhandled
// promise rejection appears FAILS, and so does the file if one appears after its last test.
// test/environment.js collects them from the real process.
const problems = globalThis.__hfProcessProblems;

function report(when) {
	if (!problems || problems.length === 0) return;
	const found = problems.splice(0);
	throw new Error(`${when}:\n${found.join('\n')}`);
}

afterEach(async () => {
	// warnings are emitted on a later tick: let them arrive
	await new Promise((resolve) => setImmediate(resolve));
	report('During this test');
});

afterAll(async () => {
	await new Promise((resolve) => setImmediate(resolve));
	report('After the last test of this file');
});
