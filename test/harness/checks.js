'use strict';
/**
 * The reporting of the plain-script suites that run real n8n (test/queue, test/reuse): one line per
 * check (✓ / ✗ with the reason), a closing `<suite>: N passed, N failed` line and the exit code.
 */
const assert = require('node:assert/strict');

/** @param {string} suite the name the closing line starts with */
function createChecks(suite) {
	/** @type {{ name: string, ok: boolean }[]} */
	const results = [];
	/** Runs one check and prints its line; a failure is recorded, never thrown. */
	async function check(name, fn) {
		try {
			await fn();
			results.push({ name, ok: true });
			console.log(`  ✓ ${name}`);
		} catch (error) {
			const message = error instanceof assert.AssertionError ? error.message.split('\n').slice(0, 6).join('\n') : error.stack || String(error);
			results.push({ name, ok: false });
			console.log(`  ✗ ${name}\n${message.replace(/^/gm, '      ')}`);
		}
	}
	/** Prints the closing line; returns the exit code. */
	function summary(startedMs) {
		const failed = results.filter((r) => !r.ok);
		console.log(`${suite}: ${results.length - failed.length} passed, ${failed.length} failed (${((Date.now() - startedMs) / 1000).toFixed(1)} s)`);
		return failed.length ? 1 : 0;
	}
	return { results, check, summary };
}

/** Runs a suite's main and exits with its code; a crash counts as one failure. */
function runSuite(suite, main) {
	main().then(
		(code) => process.exit(code),
		(error) => {
			console.error(error.stack || String(error));
			console.log(`${suite}: 0 passed, 1 failed (could not run)`);
			process.exit(1);
		},
	);
}

module.exports = { createChecks, runSuite };
