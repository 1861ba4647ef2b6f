#!/usr/bin/env node
'use strict';
/**
 * Design audit of nodes/ and credentials/ for queue mode, where one worker process runs many
 * executions at once (worker concurrency) and executions of one workflow land on different
 * processes: state must live in the execution, never in the module, and nothing may touch the
 * local disk (binary data is in the database or S3 there, not in a worker's folder).
 *
 * Fails on, in any .ts file:
 *  - a module-level `let` / `var` (a variable shared by every execution in the process);
 *  - a module-level binding (or class `static` field) that is mutated anywhere: assigned, `++`,
 *    `delete`d, or given to a mutating method (`.set/.add/.push/.splice/.sort/…`); constant
 *    tables are fine as long as nothing writes to them;
 *  - a class `static` field that is not `readonly`;
 *  - a module-level `new X(…)` other than Map/Set/RegExp/Error (e.g. a shared pool or throttle);
 *  - a module-level regular expression with the `g` or `y` flag (its `lastIndex` is state);
 *  - imports other than n8n-workflow, the allowed helpers and relative files; `require`, `process`,
 *    `globalThis`/`global`, `__dirname`/`__filename` (disk and environment access).
 *
 *   node test/queue/audit.js          prints findings; exit code 1 when there are any
 *   require('./audit').audit()        → { files, findings: [{ file, line, rule, text }] }
 *
 * Uses the TypeScript compiler API (a devDependency) with the type checker, so a module-level
 * binding mutated from another file (through an import) is found too.
 */
const path = require('node:path');
const fs = require('node:fs');
const ts = require('typescript');

const ROOT = path.join(__dirname, '..', '..');
const DIRS = ['nodes', 'credentials'];
const MUTATING_METHODS = new Set([
	'set', 'add', 'delete', 'clear', 'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin',
]);
const ALLOWED_NEW = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'RegExp', 'Error', 'TypeError', 'RangeError']);
const ALLOWED_IMPORTS = /^(n8n-workflow|lodash(\/.*)?|luxon|moment|p-limit|zod|crypto|\..*)$/;
const FORBIDDEN_GLOBALS = new Set(['require', 'process', 'globalThis', 'global', '__dirname', '__filename', 'Buffer_fs']);

function listTs(dir) {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return listTs(full);
		return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
	});
}

function audit({ root = ROOT } = {}) {
	const files = DIRS.flatMap((dir) => listTs(path.join(root, dir)));
	const program = ts.createProgram(files, {
		target: ts.ScriptTarget.ES2022,
		module: ts.ModuleKind.CommonJS,
		strict: true,
		noEmit: true,
		skipLibCheck: true,
		esModuleInterop: true,
	});
	const checker = program.getTypeChecker();
	/** @type {{ file: string, line: number, rule: string, text: string }[]} */
	const findings = [];
	const report = (node, rule, extra = '') => {
		const sf = node.getSourceFile();
		const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
		const text = node.getText().split('\n')[0].slice(0, 100);
		findings.push({ file: path.relative(root, sf.fileName), line: line + 1, rule, text: extra ? `${text} — ${extra}` : text });
	};
	const ours = program.getSourceFiles().filter((sf) => files.includes(path.resolve(sf.fileName)) || files.includes(sf.fileName));

	/** Symbols of module-level bindings and static class fields → their declaration node. */
	const moduleSymbols = new Map();
	const resolve = (symbol) => (symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);

	for (const sf of ours) {
		for (const statement of sf.statements) {
			if (ts.isVariableStatement(statement)) {
				const flags = statement.declarationList.flags;
				const isConst = (flags & ts.NodeFlags.Const) !== 0;
				for (const decl of statement.declarationList.declarations) {
					if (!isConst) report(decl, 'module-level let/var', 'shared by every execution in the worker process');
					for (const name of bindingNames(decl.name)) {
						const symbol = checker.getSymbolAtLocation(name);
						if (symbol) moduleSymbols.set(symbol, decl);
					}
					const init = decl.initializer && skipWrappers(decl.initializer);
					if (init && ts.isNewExpression(init)) {
						const ctor = init.expression.getText();
						if (!ALLOWED_NEW.has(ctor)) report(decl, 'module-level instance', `new ${ctor}() at module level is one object for every execution`);
					}
					if (init && ts.isRegularExpressionLiteral(init) && /\/[a-z]*[gy][a-z]*$/.test(init.text)) {
						report(decl, 'stateful RegExp', 'a g/y regular expression keeps lastIndex between executions');
					}
				}
			}
			if (ts.isClassDeclaration(statement)) {
				for (const member of statement.members) {
					const isStatic = member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
					if (!isStatic || !ts.isPropertyDeclaration(member)) continue;
					const readonly = member.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
					if (!readonly) report(member, 'static mutable field', 'static fields are shared by every execution');
					const symbol = member.name && checker.getSymbolAtLocation(member.name);
					if (symbol) moduleSymbols.set(symbol, member);
				}
			}
		}
	}

	/** The symbol at the root of `a.b[c].d` (the `a`), for property chains. */
	function rootSymbol(expression) {
		let e = skipWrappers(expression);
		for (;;) {
			if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
				// a static field: Class.field
				const own = resolve(checker.getSymbolAtLocation(e));
				if (own && moduleSymbols.has(own)) return own;
				e = skipWrappers(e.expression);
			} else break;
		}
		if (ts.isIdentifier(e)) return resolve(checker.getSymbolAtLocation(e));
		return undefined;
	}

	for (const sf of ours) {
		const visit = (node) => {
			// writes
			if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
				const symbol = rootSymbol(node.left);
				if (symbol && moduleSymbols.has(symbol) && !isInitialisation(node, moduleSymbols.get(symbol))) report(node, 'module-level state written');
			}
			if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && [ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken].includes(node.operator)) {
				const symbol = rootSymbol(node.operand);
				if (symbol && moduleSymbols.has(symbol)) report(node, 'module-level state written');
			}
			if (ts.isDeleteExpression(node)) {
				const symbol = rootSymbol(node.expression);
				if (symbol && moduleSymbols.has(symbol)) report(node, 'module-level state written');
			}
			if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && MUTATING_METHODS.has(node.expression.name.text)) {
				const symbol = rootSymbol(node.expression.expression);
				if (symbol && moduleSymbols.has(symbol)) report(node, 'module-level state mutated', `.${node.expression.name.text}() on a module-level object`);
			}
			if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.expression.getText() === 'Object' && ['assign', 'defineProperty', 'setPrototypeOf'].includes(node.expression.name.text) && node.arguments[0]) {
				const symbol = rootSymbol(node.arguments[0]);
				if (symbol && moduleSymbols.has(symbol)) report(node, 'module-level state mutated');
			}
			// disk, environment, process
			if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !ALLOWED_IMPORTS.test(node.moduleSpecifier.text)) {
				report(node, 'forbidden import', 'only n8n-workflow, the allowed helpers and relative files');
			}
			if (ts.isIdentifier(node) && FORBIDDEN_GLOBALS.has(node.text) && !isPropertyName(node)) {
				const symbol = checker.getSymbolAtLocation(node);
				const declaredHere = symbol?.declarations?.some((d) => ours.includes(d.getSourceFile()));
				if (!declaredHere) report(node, 'process/disk access', `${node.text} is not available to community nodes`);
			}
			ts.forEachChild(node, visit);
		};
		visit(sf);
	}
	return { files: files.map((f) => path.relative(root, f)), findings };
}

function skipWrappers(e) {
	while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression?.(e) || ts.isSatisfiesExpression?.(e)) e = e.expression;
	return e;
}

function bindingNames(name) {
	if (ts.isIdentifier(name)) return [name];
	return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bindingNames(element.name)));
}

function isPropertyName(node) {
	const parent = node.parent;
	return (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent);
}

/** `x = …` inside the declaration of x itself (not a later write). */
function isInitialisation(node, decl) {
	return node.pos >= decl.pos && node.end <= decl.end && ts.isPropertyDeclaration(decl);
}

if (require.main === module) {
	const started = Date.now();
	const { files, findings } = audit();
	for (const f of findings) console.log(`  ✗ ${f.file}:${f.line} [${f.rule}] ${f.text}`);
	console.log(`audit: ${files.length} files in ${DIRS.join('/, ')}/, ${findings.length} finding(s) (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	process.exit(findings.length ? 1 : 0);
}

module.exports = { audit };
