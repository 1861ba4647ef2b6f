#!/usr/bin/env node
'use strict';
/**
 * The node as people see it: real n8n (2.41.1) with the packed build, the editor in headless
 * Chromium, against the Segmind emulator. See test/browser/README.md.
 *
 *   npm run test:browser                    everything
 *   npm run test:browser -- --grep=generate only panel cases whose key matches (credential form always)
 *   BROWSER_KEEP=1 npm run test:browser     keep the n8n user folder (path printed)
 *   CHROMIUM_PATH=/path/to/chromium         another Chromium than /usr/bin/chromium
 *   --no-screenshots                        do not write docs/screenshots/
 */

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');

const ROOT = path.join(__dirname, '..', '..');
const N8N_VERSION = '2.41.1';
const SHOTS = path.join(ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const args = process.argv.slice(2);
const grep = (args.find((a) => a.startsWith('--grep=')) ?? '').slice('--grep='.length);
const writeShots = !args.includes('--no-screenshots');
const started = Date.now();
const secs = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

// ---- results -------------------------------------------------------------------------------------

let passed = 0;
let failed = 0;
function report(ok, name, detail) {
	if (ok) passed++;
	else failed++;
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `\n       ${String(detail).split('\n').join('\n       ')}` : ''}`);
}
async function check(name, fn) {
	try {
		const detail = await fn();
		report(true, name, typeof detail === 'string' ? detail : '');
	} catch (error) {
		report(false, name, error && error.message ? error.message : String(error));
	}
}
function assert(condition, message) {
	if (!condition) throw new Error(message);
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
function diffLists(actual, expected) {
	const missing = expected.filter((x) => !actual.includes(x));
	const extra = actual.filter((x) => !expected.includes(x));
	return `expected [${expected.join(', ')}]\n got      [${actual.join(', ')}]${missing.length ? `\n missing: ${missing.join(', ')}` : ''}${extra.length ? `\n extra:   ${extra.join(', ')}` : ''}`;
}

// ---- the build -----------------------------------------------------------------------------------



// ---- the browser ---------------------------------------------------------------------------------

function requireChromium() {
	if (fs.existsSync(CHROMIUM)) return;
	console.error(
		[
			`The browser tests need Chromium at ${CHROMIUM}, and it is not there.`,
			'Install it (Debian/Ubuntu, as root):  apt-get update && apt-get install -y chromium',
			'or point CHROMIUM_PATH at a Chromium/Chrome binary. (.ci/run installs it for CI.)',
		].join('\n'),
	);
	console.log('browser: 0 passed, 1 failed');
	process.exit(1);
}

// ---- main ----------------------------------------------------------------------------------------

async function main() {
	requireChromium();
	const { chromium } = require('playwright-core');
	const nodeHost = require('../../scripts/n8n-host');
	const { startServer, ownerClient } = require('./server');
	const { startEmulator } = require('../emulator');
	const { expectedPanels } = require('./expected');
	const { runPanelChecks } = require('./panel');
	const { CHROMIUM_ARGS, watchPage } = require('./page');
	const { runCredentialChecks } = require('./credential');

	require('../../scripts/n8n-host').ensureBuilt();
	const expected = expectedPanels();
	const cases = expected.cases.filter((c) => !grep || c.key.includes(grep));
	await check(`description: ${expected.cases.length} operation × model panels, every field's display condition can hold`, () => {
		assert(!expected.problems.length, expected.problems.join('\n'));
		return expected.cases.map((c) => c.key).join(', ');
	});

	const host = await nodeHost.ensureHost(N8N_VERSION, { log: (line) => console.log(line) });
	const session = await nodeHost.createSession(host, { name: 'browser' });
	const cleanup = [];
	let timings = {};
	try {
		const tarball = await nodeHost.packPackage();
		session.installPackage(tarball);
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
		const apiKey = `browser-${crypto.randomBytes(8).toString('hex')}`;
		const emu = await startEmulator({ apiKey, jobDurationMs: 600 });
		cleanup.push(() => emu.close());
		const server = await startServer(session);
		cleanup.push(() => server.stop());
		timings.n8nReady = server.readyMs;
		console.log(`n8n ${N8N_VERSION} on Node ${host.nodeVersion} ready in ${(server.readyMs / 1000).toFixed(1)} s at ${server.url} (${secs()})`);
		const rest = await ownerClient(server.url);

		const browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: CHROMIUM_ARGS,
			headless: true,
		});
		cleanup.push(() => browser.close());
		const context = await browser.newContext({ viewport: { width: 1440, height: 1700 }, deviceScaleFactor: 1 });
		await context.addCookies([{ name: 'n8n-auth', value: rest.cookie, url: server.url }]);
		const page = await context.newPage();
		page.setDefaultTimeout(30_000);
		const watch = watchPage(page);
		if (writeShots) fs.mkdirSync(SHOTS, { recursive: true });
		const ctx = { page, watch, rest, server, emu, expected, cases, check, assert, same, diffLists, shots: writeShots ? SHOTS : null, secs };

		const panelStarted = Date.now();
		await runPanelChecks(ctx);
		timings.panels = Date.now() - panelStarted;
		const credentialStarted = Date.now();
		await runCredentialChecks(ctx);
		timings.credential = Date.now() - credentialStarted;
	} catch (error) {
		report(false, 'browser suite', error && error.stack ? error.stack : String(error));
	} finally {
		for (const fn of cleanup.reverse()) {
			try {
				await fn();
			} catch {
				/* already gone */
			}
		}
		if (process.env.BROWSER_KEEP) console.log(`n8n user folder kept: ${session.userFolder}`);
		else session.dispose();
	}
	const t = (ms) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
	console.log(`timings: n8n ready ${t(timings.n8nReady)}, panels ${t(timings.panels)}, credential form ${t(timings.credential)}, total ${secs()}`);
	console.log(`browser: ${passed} passed, ${failed} failed`);
	return failed ? 1 : 0;
}

if (require.main === module) {
	main().then(
		(code) => process.exit(code),
		(error) => {
			console.error(error);
			console.log(`browser: ${passed} passed, ${failed + 1} failed`);
			process.exit(1);
		},
	);
}
