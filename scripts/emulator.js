#!/usr/bin/env node
'use strict';
/**
 * Run the Segmind API emulator standalone (for real n8n / e2e runs):
 *
 *   npm run emulator
 *
 * Environment:
 *   SEGMIND_EMULATOR_PORT        API origin port            (default 8790)
 *   SEGMIND_EMULATOR_IMAGE_PORT  image origin port          (default 8791)
 *   SEGMIND_EMULATOR_API_KEY     accepted x-api-key         (default test-key)
 *   SEGMIND_EMULATOR_JOB_MS      submit → COMPLETED, in ms  (default 300)
 *   SEGMIND_EMULATOR_HOST        bind address               (default 127.0.0.1)
 *
 * Job behaviour can be chosen from the prompt: [emu:fail], [emu:fail=text], [emu:duration=1500],
 * [emu:queued=200], [emu:shape=images|url-array|json-string|base64|data-url|none], [emu:noimage],
 * [emu:cost=0.03], [emu:inference=12.5], [emu:type=text/html].
 */

const path = require('node:path');
const { startEmulator } = require(path.join(__dirname, '..', 'test', 'emulator'));

/**
 * @param {string} name
 * @param {number} fallback
 */
function intEnv(name, fallback) {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0) {
		console.error(`${name} must be a non-negative integer (got ${JSON.stringify(raw)})`);
		process.exit(2);
	}
	return n;
}

async function main() {
	const port = intEnv('SEGMIND_EMULATOR_PORT', 8790);
	const imagePort = intEnv('SEGMIND_EMULATOR_IMAGE_PORT', 8791);
	const jobDurationMs = intEnv('SEGMIND_EMULATOR_JOB_MS', 300);
	const apiKey = process.env.SEGMIND_EMULATOR_API_KEY || 'test-key';
	const host = process.env.SEGMIND_EMULATOR_HOST || '127.0.0.1';

	const stamp = () => new Date().toISOString().slice(11, 23);
	const emu = await startEmulator({
		apiKey,
		host,
		port,
		imagePort,
		jobDurationMs,
		// Request lines never contain the key (the emulator redacts it from URLs, headers are not logged).
		log: (line) => console.log(`${stamp()} ${line}`),
	});

	console.log('Segmind API emulator');
	console.log(`  API origin:    ${emu.apiUrl}`);
	console.log(`  image origin:  ${emu.imageUrl}`);
	console.log(`  API key:       ${apiKey}   (also: 'forbidden-key' → 403 on submits)`);
	console.log(`  job duration:  ${jobDurationMs} ms`);
	console.log('  fixtures:');
	for (const name of emu.fixtureNames) console.log(`    ${emu.fixtureUrl(name)}`);
	console.log('Press Ctrl+C to stop.');

	let stopping = false;
	/** @param {NodeJS.Signals} signal */
	const stop = (signal) => {
		if (stopping) return;
		stopping = true;
		console.log(`${signal}: stopping emulator`);
		emu.close().then(
			() => process.exit(0),
			(e) => {
				console.error(e);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e) => {
	console.error(`emulator failed to start: ${e && e.message ? e.message : e}`);
	process.exit(1);
});
