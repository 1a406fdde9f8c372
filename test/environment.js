// Plain JS. The test environment of every test file: jest's Node environment, plus a watch on the
// REAL process (test files only see a copy of it) for MaxListenersExceededWarning and unhandled
// promise rejections. What it sees goes to test/failOnWarnings.js, which fails the test file.
const { TestEnvironment } = require('jest-environment-node');

class FailOnWarningsEnvironment extends TestEnvironment {
	constructor(config, context) {
		super(config, context);
		this.problems = [];
		this.global.__hfProcessProblems = this.problems;
		this.onWarning = (warning) => {
			if (warning && warning.name === 'MaxListenersExceededWarning') this.problems.push(`${warning.name}: ${warning.message}`);
		};
		this.onRejection = (reason) => {
			this.problems.push(`Unhandled promise rejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
		};
	}

	async setup() {
		await super.setup();
		process.on('warning', this.onWarning);
		process.on('unhandledRejection', this.onRejection);
	}

	async teardown() {
		process.off('warning', this.onWarning);
		process.off('unhandledRejection', this.onRejection);
		await super.teardown();
	}
}

module.exports = FailOnWarningsEnvironment;
