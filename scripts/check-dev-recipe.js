#!/usr/bin/env node
'use strict';
/**
 * Follows the README's "From a checkout (development)" recipe as written, then proves n8n loads the
 * node under the type the example workflows use: the bash block of that section runs in a fresh
 * user folder (HOME and N8N_USER_FOLDER point there, `/path/to/n8n-nodes-segmind` is this checkout),
 * then `examples/run-any-model.json` is imported unchanged (plus a workflow id) with a credential
 * for the Segmind emulator and run with `n8n execute-batch` in n8n 2.8.4 (the user folder lies
 * outside the n8n install, as a user's home does).
 *
 *   npm run check:dev-recipe        (N8N_HOST_DIR: where n8n installs live, see scripts/n8n-host.js)
 *
 * Exits non-zero, saying why, when a step fails or the example does not produce its image.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const host = require('./n8n-host');
const { startEmulator } = require('../test/emulator');

const ROOT = host.ROOT;
const N8N_VERSION = process.env.DEV_RECIPE_N8N_VERSION || '2.8.4';

/** The bash block under "### From a checkout (development)". */
function recipe() {
	const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	const section = /^### From a checkout \(development\)\n([\s\S]*?)^#{2,3} /m.exec(readme);
	if (!section) throw new Error('README.md has no "### From a checkout (development)" section');
	const block = /```bash\n([\s\S]*?)```/.exec(section[1]);
	if (!block) throw new Error('the development section of README.md has no bash block');
	return block[1];
}

async function main() {
	const commands = recipe();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'segmind-dev-recipe-'));
	const emulator = await startEmulator({ apiKey: 'dev-recipe-key', jobDurationMs: 500 });
	try {
		console.log(`README recipe, run in ${userFolder}:\n${commands}`);
		execFileSync('bash', ['-euo', 'pipefail', '-c', commands.replaceAll('/path/to/n8n-nodes-segmind', ROOT)], {
			cwd: userFolder,
			stdio: 'inherit',
			env: { ...process.env, HOME: userFolder, N8N_USER_FOLDER: userFolder, npm_config_cache: path.join(userFolder, '.npm') },
		});
		const installed = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-segmind', 'package.json');
		if (!fs.existsSync(installed)) throw new Error(`the recipe did not install the package (${installed} is missing)`);

		const n8nHost = await host.ensureHost(N8N_VERSION);
		const session = await host.createSession(n8nHost, { userFolder, reuse: true });
		const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'run-any-model.json'), 'utf8'));
		const segmind = example.nodes.find((node) => node.type === 'n8n-nodes-segmind.segmind');
		if (!segmind) throw new Error('examples/run-any-model.json has no node of type n8n-nodes-segmind.segmind');
		const credential = segmind.credentials.segmindApi;
		await session.importCredentials([
			{ id: credential.id, name: credential.name, type: 'segmindApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.apiUrl } },
		]);
		await session.importWorkflows([{ ...example, id: 'devRecipe1' }]);
		const result = await session.executeBatch(['devRecipe1']);
		const run = result.runs.devRecipe1;
		const items = run?.data?.resultData?.runData?.Segmind?.[0]?.data?.main?.[0] ?? run?.resultData?.runData?.Segmind?.[0]?.data?.main?.[0];
		if (result.code !== 0 || !items) {
			throw new Error(`the example did not run (exit ${result.code}): ${JSON.stringify(result.summary)?.slice(0, 2000)}\n${result.stdout.slice(-2000)}`);
		}
		const [item] = items;
		if (item.json.status !== 'COMPLETED' || item.binary?.data?.mimeType !== 'image/png') {
			throw new Error(`the example's output is not a completed job with a PNG: ${JSON.stringify(item).slice(0, 1000)}`);
		}
		if (emulator.submitCount() !== 1) throw new Error(`expected one Segmind job, the emulator saw ${emulator.submitCount()}`);
		console.log(`n8n ${N8N_VERSION} ran examples/run-any-model.json with the node installed by the README recipe: ${item.json.requestId}, ${item.binary.data.fileName}`);
	} finally {
		await emulator.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
		for (const file of fs.readdirSync(ROOT)) if (/^n8n-nodes-segmind-.*\.tgz$/.test(file)) fs.rmSync(path.join(ROOT, file));
	}
}

main().then(
	() => console.log('dev recipe: passed'),
	(error) => {
		console.error(`dev recipe: FAILED: ${error.message}`);
		process.exitCode = 1;
	},
);
