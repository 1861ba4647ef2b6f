#!/usr/bin/env node
/**
 * Checks the package the way n8n will see it once it is published.
 *
 *   npm run build && npm run check:package        (add --keep to keep the temp dir)
 *
 * 1. No `eslint-disable` in nodes/ or credentials/ (n8n's scanner ignores them).
 * 2. `npm pack` into a temp dir; the tarball may hold only package.json, README, LICENSE and,
 *    under dist/, the compiled node and credential, their icons and the codex file.
 * 3. package.json as published: no runtime dependencies, peer n8n-workflow only, no lifecycle
 *    scripts n8n forbids, no overrides, homepage/repository/author, n8n paths in the tarball.
 * 4. The lint step of @n8n/scan-community-package, run with the scanner's own code and config on
 *    the extracted tarball and on this checkout (its provenance and download steps need the
 *    network and a published version, and are left out). A deliberately broken copy must fail it,
 *    so a lint that silently checks nothing cannot pass.
 * 5. The tarball installed into an empty folder next to n8n-workflow only (the version this
 *    project builds against); a bare `node` process requires the node and credential from it and
 *    checks their descriptions, icons and codex.
 *
 * Plain JavaScript on purpose: n8n's lint forbids Node built-ins in the TypeScript sources.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');

const ROOT = path.resolve(__dirname, '..');
const KEEP = process.argv.includes('--keep');

/** What the tarball may contain, besides npm's own package.json, README and LICENSE. */
const ALLOWED_TOP_LEVEL = /^(package\.json|README\.md|LICENSE(\.md)?)$/;
const ALLOWED_IN_DIST = [
	/^dist\/(nodes|credentials)\/.+\.js$/, // compiled node, credential and their modules
	/^dist\/nodes\/.+\.node\.json$/, // codex
	/^dist\/(nodes|credentials)\/.+\.(svg|png)$/, // icons
];
/** Never in the tarball, wherever they are. */
const FORBIDDEN_PARTS = /(^|\/)(test|tests|__tests__|__mocks__|fixtures?|emulator|harness|bench|benchmarks?|examples?|scripts|coverage|out)(\/|$)|\.(test|spec)\.[jt]s$|\.d\.ts$|\.map$/;

/** Lifecycle scripts rejected by @n8n/eslint-plugin-community-nodes (no-forbidden-lifecycle-scripts). */
const FORBIDDEN_SCRIPTS = ['prepare', 'preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'postprepare'];

/**
 * The scanner lints the published tarball with these patterns. They are inline in its
 * `analyzePackageByName` rather than exported, so this script checks the scanner still uses them.
 */
const SCANNER_TARBALL_CALL = "analyzePackage(packageDir, ['**/*.js', 'package.json'])";
const SCANNER_TARBALL_PATTERNS = ['**/*.js', 'package.json'];

const problems = [];
const notes = [];

function ok(message) {
	console.log(`  ok    ${message}`);
}
function fail(message) {
	problems.push(message);
	console.log(`  FAIL  ${message}`);
}
function warn(message) {
	notes.push(message);
	console.log(`  warn  ${message}`);
}
function section(title) {
	console.log(`\n${title}`);
}

function run(command, args, options = {}) {
	const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
	if (result.error) throw result.error;
	return result;
}

function walk(dir, found = []) {
	if (!fs.existsSync(dir)) return found;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) walk(full, found);
		else found.push(full);
	}
	return found;
}

function formatBytes(bytes) {
	return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}

// 1 ─────────────────────────────────────────────────────────────────────────────────────────────
function checkNoEslintDisable() {
	section('eslint-disable comments (n8n ignores them)');
	const hits = [];
	for (const dir of ['nodes', 'credentials']) {
		for (const file of walk(path.join(ROOT, dir))) {
			const lines = fs.readFileSync(file, 'utf8').split('\n');
			lines.forEach((line, index) => {
				if (line.includes('eslint-disable')) hits.push(`${path.relative(ROOT, file)}:${index + 1}`);
			});
		}
	}
	if (hits.length > 0) fail(`eslint-disable found in ${hits.join(', ')}`);
	else ok('none in nodes/ or credentials/');
}

// 2 ─────────────────────────────────────────────────────────────────────────────────────────────
function pack(tempDir, sourcePackage) {
	section('npm pack');
	for (const declared of [...(sourcePackage.n8n?.nodes ?? []), ...(sourcePackage.n8n?.credentials ?? [])]) {
		if (!fs.existsSync(path.join(ROOT, declared))) {
			fail(`${declared} is missing: run \`npm run build\` first`);
			return null;
		}
	}
	warnIfStale(sourcePackage);
	const result = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tempDir], { cwd: ROOT });
	if (result.status !== 0) {
		fail(`npm pack failed: ${result.stderr.trim()}`);
		return null;
	}
	const [info] = JSON.parse(result.stdout);
	const tarball = path.join(tempDir, info.filename);
	// List the tarball itself rather than trusting npm's report.
	const listing = run('tar', ['-tzf', tarball]);
	const files = listing.stdout
		.split('\n')
		.filter(Boolean)
		.map((entry) => entry.replace(/^package\//, ''))
		.filter((entry) => !entry.endsWith('/'))
		.sort();
	ok(`${info.filename}: ${files.length} files, ${formatBytes(info.size)} packed, ${formatBytes(info.unpackedSize)} unpacked`);
	for (const file of info.files.sort((a, b) => a.path.localeCompare(b.path))) {
		console.log(`        ${String(file.size).padStart(7)}  ${file.path}`);
	}
	const packageDir = path.join(tempDir, 'package');
	const extract = run('tar', ['-xzf', tarball, '-C', tempDir]);
	if (extract.status !== 0) {
		fail(`could not extract ${info.filename}: ${extract.stderr.trim()}`);
		return null;
	}
	return { tarball, files, packageDir, info };
}

/** dist/ older than a source file usually means a forgotten build. */
function warnIfStale(sourcePackage) {
	const newest = (dir, filter) =>
		walk(path.join(ROOT, dir))
			.filter(filter)
			.reduce((latest, file) => Math.max(latest, fs.statSync(file).mtimeMs), 0);
	const sources = Math.max(
		newest('nodes', (file) => /\.(ts|svg|png|json)$/.test(file)),
		newest('credentials', (file) => /\.(ts|svg|png)$/.test(file)),
	);
	const built = Math.min(...sourcePackage.n8n.nodes.concat(sourcePackage.n8n.credentials ?? []).map((file) => fs.statSync(path.join(ROOT, file)).mtimeMs));
	if (sources > built) warn('a file in nodes/ or credentials/ is newer than dist/: run `npm run build` to check the current code');
}

function checkTarballFiles(files, pkg) {
	section('tarball contents');
	const unexpected = files.filter((file) => {
		if (FORBIDDEN_PARTS.test(file) && !ALLOWED_TOP_LEVEL.test(file)) return true;
		return !ALLOWED_TOP_LEVEL.test(file) && !ALLOWED_IN_DIST.some((pattern) => pattern.test(file));
	});
	if (unexpected.length > 0) fail(`not allowed in the tarball: ${unexpected.join(', ')}`);
	else ok('only package.json, README, LICENSE and dist/ code, icons and codex');

	for (const required of ['package.json', 'README.md', 'LICENSE']) {
		if (!files.includes(required)) fail(`${required} is missing from the tarball`);
	}
	const declared = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = declared.filter((file) => !files.includes(file));
	if (missing.length > 0) fail(`package.json "n8n" lists files the tarball lacks: ${missing.join(', ')}`);
	else ok(`every "n8n" path is in the tarball (${declared.length})`);
	for (const node of pkg.n8n?.nodes ?? []) {
		const codex = `${node}on`;
		if (!files.includes(codex)) fail(`codex ${codex} is missing from the tarball`);
	}
	if (pkg.main && !files.includes(pkg.main.replace(/^\.\//, ''))) fail(`"main" (${pkg.main}) is not in the tarball`);
}

// 3 ─────────────────────────────────────────────────────────────────────────────────────────────
function checkPackageJson(pkg) {
	section('package.json (as published)');
	const before = problems.length;
	if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?n8n-nodes-/.test(pkg.name ?? '')) fail(`name "${pkg.name}" must start with n8n-nodes- (or @scope/n8n-nodes-)`);
	if (!(pkg.keywords ?? []).includes('n8n-community-node-package')) fail('keywords must include n8n-community-node-package');
	for (const field of ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
		const value = pkg[field];
		const count = Array.isArray(value) ? value.length : Object.keys(value ?? {}).length;
		if (count > 0) fail(`"${field}" must be empty: n8n community packages have no runtime dependencies`);
	}
	const peers = Object.keys(pkg.peerDependencies ?? {});
	if (peers.length !== 1 || peers[0] !== 'n8n-workflow') fail(`peerDependencies must be exactly n8n-workflow, found: ${peers.join(', ') || 'none'}`);
	const scripts = Object.keys(pkg.scripts ?? {}).filter((name) => FORBIDDEN_SCRIPTS.includes(name));
	if (scripts.length > 0) fail(`forbidden lifecycle scripts: ${scripts.join(', ')}`);
	if (pkg.overrides !== undefined) fail('"overrides" is not allowed');
	if (!pkg.homepage) fail('"homepage" is missing');
	const repository = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
	if (!repository) fail('"repository" is missing');
	else if (!/github\.com[/:]/.test(repository)) warn(`"repository" (${repository}) is not on GitHub: n8n's scanner fetches the provenance source from GitHub only`);
	const author = typeof pkg.author === 'string' ? { name: pkg.author } : pkg.author;
	if (!author?.name || !author?.email) fail('"author" needs a name and an email');
	if (!pkg.license) fail('"license" is missing');
	if (!Array.isArray(pkg.files) || pkg.files.length === 0) fail('"files" must be a non-empty array');
	if (pkg.n8n?.n8nNodesApiVersion !== 1) fail('"n8n.n8nNodesApiVersion" must be 1');
	if (pkg.n8n?.strict !== true) fail('"n8n.strict" must be true');
	if (!(pkg.n8n?.nodes ?? []).length) fail('"n8n.nodes" is empty');
	if (problems.length === before) ok('no dependencies, peer n8n-workflow only, no forbidden scripts or overrides, homepage/repository/author set');
}

// 4 ─────────────────────────────────────────────────────────────────────────────────────────────
async function scannerLint(packageDir, tempDir) {
	section('@n8n/scan-community-package lint step');
	let scannerPath;
	try {
		scannerPath = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs', { paths: [ROOT] });
	} catch {
		fail('@n8n/scan-community-package is not installed (npm ci)');
		return;
	}
	const scannerVersion = JSON.parse(fs.readFileSync(path.join(path.dirname(scannerPath), '..', 'package.json'), 'utf8')).version;
	if (!fs.readFileSync(scannerPath, 'utf8').includes(SCANNER_TARBALL_CALL)) {
		fail(`@n8n/scan-community-package ${scannerVersion} no longer lints the tarball with ${JSON.stringify(SCANNER_TARBALL_PATTERNS)}: update scripts/check-package.js`);
		return;
	}
	// The scanner makes a temp dir when it loads; let its own tmp module remove it on exit.
	createRequire(scannerPath)('tmp').setGracefulCleanup();
	const scanner = await import(pathToFileURL(scannerPath).href);

	const legs = [
		{ label: `tarball (${SCANNER_TARBALL_PATTERNS.join(', ')})`, dir: packageDir, patterns: SCANNER_TARBALL_PATTERNS },
		{ label: `source (${scanner.SOURCE_FILE_PATTERNS.join(', ')})`, dir: ROOT, patterns: scanner.SOURCE_FILE_PATTERNS },
	];
	for (const leg of legs) {
		const result = await scanner.analyzePackage(leg.dir, leg.patterns);
		if (!result.passed) fail(`scanner ${scannerVersion} lint, ${leg.label}: ${result.message}\n${result.details ?? ''}`);
		else if (result.message) fail(`scanner ${scannerVersion} lint, ${leg.label}: ${result.message}`);
		else ok(`scanner ${scannerVersion} lint, ${leg.label}: 0 errors`);
	}

	// Canary: the same lint on a copy with a forbidden global must fail, or the lint checks nothing.
	const canaryDir = path.join(tempDir, 'canary');
	fs.cpSync(packageDir, canaryDir, { recursive: true });
	const pkg = JSON.parse(fs.readFileSync(path.join(canaryDir, 'package.json'), 'utf8'));
	fs.appendFileSync(path.join(canaryDir, pkg.n8n.nodes[0]), '\nsetTimeout(function () {}, 0);\n');
	const canary = await scanner.analyzePackage(canaryDir, SCANNER_TARBALL_PATTERNS);
	if (canary.passed) fail('the scanner lint passed a copy with setTimeout in the node: it is not checking the compiled code');
	else ok('a copy with setTimeout in the node fails it, as it should');
}

// 5 ─────────────────────────────────────────────────────────────────────────────────────────────
/** Runs in a bare `node` process inside the install folder; prints its findings as JSON. */
const PROBE = String.raw`
'use strict';
const fs = require('fs');
const path = require('path');
const problems = [];
const facts = {};
const pkgDir = path.dirname(require.resolve(process.argv[2] + '/package.json'));
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const workflow = require('n8n-workflow');
facts.n8nWorkflow = require('n8n-workflow/package.json').version;

function iconFiles(icon, dir, what) {
	if (!icon) return problems.push(what + ' has no icon');
	const variants = typeof icon === 'string' ? { icon } : icon;
	for (const [variant, value] of Object.entries(variants)) {
		if (typeof value !== 'string' || !value.startsWith('file:')) { problems.push(what + ' icon ' + variant + ' is not a file: icon'); continue; }
		const file = path.join(dir, value.slice(5));
		if (!fs.existsSync(file)) problems.push(what + ' icon ' + variant + ' (' + value + ') is missing');
		else if (!/\.svg$/.test(file)) problems.push(what + ' icon ' + variant + ' is not an SVG');
	}
	if (typeof icon === 'string') problems.push(what + ' has a single icon: n8n wants { light, dark }');
}

function classesOf(file) {
	const loaded = require(file);
	return Object.values(loaded).filter((value) => typeof value === 'function');
}

const credentialNames = [];
facts.credentials = [];
for (const rel of pkg.n8n.credentials || []) {
	const file = path.join(pkgDir, rel);
	for (const Credential of classesOf(file)) {
		const credential = new Credential();
		credentialNames.push(credential.name);
		facts.credentials.push(credential.name);
		if (!credential.displayName) problems.push(rel + ': no displayName');
		if (!Array.isArray(credential.properties) || credential.properties.length === 0) problems.push(rel + ': no properties');
		if (!/^https?:\/\//.test(credential.documentationUrl || '')) problems.push(rel + ': documentationUrl is not a URL');
		if (!credential.test) problems.push(rel + ': no credential test');
		iconFiles(credential.icon, path.dirname(file), rel);
	}
}

facts.nodes = [];
for (const rel of pkg.n8n.nodes) {
	const file = path.join(pkgDir, rel);
	const classes = classesOf(file);
	if (classes.length !== 1) problems.push(rel + ': exports ' + classes.length + ' classes');
	for (const Node of classes) {
		const node = new Node();
		const d = node.description;
		if (!d || !d.name || !d.displayName) { problems.push(rel + ': description without name'); continue; }
		if (typeof node.execute !== 'function') problems.push(rel + ': no execute()');
		if (!Array.isArray(d.properties) || d.properties.length === 0) problems.push(rel + ': no properties');
		if (!d.subtitle) problems.push(rel + ': no subtitle');
		if (d.usableAsTool !== true) problems.push(rel + ': not usableAsTool');
		if (!d.description) problems.push(rel + ': no description');
		iconFiles(d.icon, path.dirname(file), rel);
		for (const credential of d.credentials || []) {
			if (!credentialNames.includes(credential.name)) problems.push(rel + ': uses credential ' + credential.name + ', which the package does not ship');
		}
		const defaults = workflow.NodeHelpers.getNodeParameters(d.properties, {}, true, false, { typeVersion: 1 }, d);
		const codexFile = file + 'on';
		let codex = null;
		if (!fs.existsSync(codexFile)) problems.push(rel + ': no codex ' + path.basename(codexFile));
		else {
			codex = JSON.parse(fs.readFileSync(codexFile, 'utf8'));
			if (codex.node !== pkg.name + '.' + d.name) problems.push('codex "node" is ' + codex.node + ', expected ' + pkg.name + '.' + d.name);
			if (!Array.isArray(codex.categories) || codex.categories.length === 0) problems.push('codex has no categories');
			const docs = codex.resources && codex.resources.primaryDocumentation;
			if (!Array.isArray(docs) || !docs.length || !/^https?:\/\//.test(docs[0].url)) problems.push('codex has no primaryDocumentation URL');
			const credDocs = codex.resources && codex.resources.credentialDocumentation;
			if ((d.credentials || []).length && (!Array.isArray(credDocs) || !credDocs.length)) problems.push('codex has no credentialDocumentation URL');
		}
		facts.nodes.push({
			name: d.name,
			displayName: d.displayName,
			version: d.version,
			properties: d.properties.length,
			defaults: Object.keys(defaults || {}).length,
			categories: codex && codex.categories,
		});
	}
}
// Everything must have come from the install folder, nothing from the project's node_modules.
const outside = Object.keys(require.cache).filter((loaded) => !loaded.startsWith(process.cwd() + path.sep));
if (outside.length) problems.push('loaded from outside the install folder: ' + outside.slice(0, 3).join(', '));
facts.modulesLoaded = Object.keys(require.cache).length;
process.stdout.write(JSON.stringify({ problems, facts }));
`;

function installAndLoad(tempDir, tarball, pkg) {
	section('install the tarball with n8n-workflow only, load it in a bare node process');
	let workflowVersion;
	try {
		workflowVersion = JSON.parse(fs.readFileSync(require.resolve('n8n-workflow/package.json', { paths: [ROOT] }), 'utf8')).version;
	} catch {
		workflowVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies ?? {})['n8n-workflow'];
	}
	const installDir = path.join(tempDir, 'install');
	fs.mkdirSync(installDir);
	fs.writeFileSync(
		path.join(installDir, 'package.json'),
		JSON.stringify({ name: 'check-package-install', version: '0.0.0', private: true }, null, 2),
	);
	const started = Date.now();
	const install = run(
		'npm',
		['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', `n8n-workflow@${workflowVersion}`, tarball],
		{ cwd: installDir },
	);
	if (install.status !== 0) {
		fail(`npm install of the tarball with n8n-workflow@${workflowVersion} failed:\n${install.stderr.trim()}`);
		return;
	}
	ok(`installed ${pkg.name} + n8n-workflow@${workflowVersion} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	const nested = path.join(installDir, 'node_modules', pkg.name, 'node_modules');
	if (fs.existsSync(nested)) fail(`installing ${pkg.name} brought its own node_modules: ${fs.readdirSync(nested).join(', ')}`);

	fs.writeFileSync(path.join(installDir, 'probe.js'), PROBE);
	const env = { PATH: process.env.PATH, HOME: installDir };
	const probe = run(process.execPath, ['probe.js', pkg.name], { cwd: installDir, env });
	if (probe.status !== 0) {
		fail(`requiring the node or credential failed:\n${probe.stderr.trim()}`);
		return;
	}
	const { problems: found, facts } = JSON.parse(probe.stdout);
	for (const problem of found) fail(problem);
	for (const node of facts.nodes) {
		ok(`node ${node.name} (${node.displayName} v${node.version}): ${node.properties} properties, ${node.defaults} default parameters, codex ${JSON.stringify(node.categories)}`);
	}
	ok(`credential ${facts.credentials.join(', ')}; ${facts.modulesLoaded} modules loaded, all from the install folder, n8n-workflow ${facts.n8nWorkflow}`);
}

/** The README's generated tables (scripts/readme-tables.js) should describe the node as built. */
function checkReadmeTables() {
	section('README tables');
	try {
		const { changed, missing } = require('./readme-tables').staleBlocks();
		if (changed.length > 0 || missing.length > 0) {
			warn(`README.md tables differ from the built node (${[...changed, ...missing].join(', ')}): run \`npm run docs\``);
		} else {
			ok('models, operations, parameters and options match the built node');
		}
	} catch (error) {
		warn(`could not compare the README tables: ${error.message}`);
	}
}

async function main() {
	const started = Date.now();
	const sourcePackage = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-package-'));
	let summary = '';
	try {
		checkNoEslintDisable();
		const packed = pack(tempDir, sourcePackage);
		if (packed) {
			const pkg = JSON.parse(fs.readFileSync(path.join(packed.packageDir, 'package.json'), 'utf8'));
			checkTarballFiles(packed.files, pkg);
			checkPackageJson(pkg);
			await scannerLint(packed.packageDir, tempDir);
			installAndLoad(tempDir, packed.tarball, pkg);
			checkReadmeTables();
			summary = `${pkg.name}@${pkg.version}, ${packed.files.length} files, ${formatBytes(packed.info.size)}`;
		}
	} catch (error) {
		fail(`check crashed: ${error.stack || error}`);
	} finally {
		if (KEEP) console.log(`\nkept ${tempDir}`);
		else fs.rmSync(tempDir, { recursive: true, force: true });
	}
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	console.log('');
	if (problems.length > 0) {
		console.log(`check:package FAILED: ${problems.length} problem(s) (${seconds} s)`);
		process.exitCode = 1;
	} else {
		console.log(`check:package PASSED: ${summary}${notes.length ? `, ${notes.length} warning(s)` : ''} (${seconds} s)`);
	}
}

main();
