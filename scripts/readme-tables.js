#!/usr/bin/env node
/**
 * Writes the README's reference tables (models, operations, every parameter per model, options)
 * from the built node, so the README says what the node actually offers.
 *
 *   npm run docs            rebuild, then rewrite the generated blocks in README.md
 *   npm run docs:check      exit 1 if README.md differs from the built node: a generated block,
 *                           or a message quoted in "Errors and what to do" that dist/ lacks
 *
 * A block sits between `<!-- BEGIN generated:NAME -->` and `<!-- END generated:NAME -->`;
 * everything outside the markers is left alone. Reads dist/ (run `npm run build` first).
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const README = path.join(ROOT, 'README.md');
const DIST_NODE = path.join(ROOT, 'dist', 'nodes', 'Segmind');

/** Facts about a field that its description does not spell out compactly. */
const FIELD_NOTES = {
	image_urls: 'of PNG, JPEG or WebP images',
	mask: 'of a PNG mask, same size as the first image; transparent pixels mark the area to edit',
	output_compression: '(affects JPEG and WebP)',
	image: 'of the one PNG, JPEG or WebP image to edit',
};

const operationName = (operation) => `Image › ${operation[0].toUpperCase()}${operation.slice(1)}`;

/** The model's parameters in one operation (a parameter may belong to some operations only). */
const parametersIn = (model, operation) =>
	model.parameters.filter((parameter) => !parameter.operations || parameter.operations.includes(operation));

const cell = (text) => String(text).replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const code = (value) => `\`${value}\``;
const row = (cells) => `| ${cells.map(cell).join(' | ')} |`;
const table = (header, rows) => [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');

function load() {
	const modelsFile = path.join(DIST_NODE, 'models', 'index.js');
	if (!fs.existsSync(modelsFile)) throw new Error('dist/ is missing: run `npm run build` first');
	const { segmindModels } = require(modelsFile);
	const { Segmind } = require(path.join(DIST_NODE, 'Segmind.node.js'));
	const { retirementNotice } = require(path.join(DIST_NODE, 'description', 'modelProperties.js'));
	return { models: segmindModels, description: new Segmind().description, retirementNotice };
}

/** For a custom size's Width and Height: when they are sent, and the rules. */
function customSizeNote(parameter, model) {
	const rules = model?.customSize;
	if (!rules || ![rules.width, rules.height].includes(parameter.name)) return '';
	const pixels = (n) => n.toLocaleString('en-US');
	return `, sent only with Size ${code(rules.customValue)} (each edge a multiple of ${rules.multipleOf}; aspect ratio 1:${rules.maxAspectRatio}–${rules.maxAspectRatio}:1; ${pixels(rules.minPixels)}–${pixels(rules.maxPixels)} pixels in all)`;
}

function typeText(parameter, model) {
	const note = FIELD_NOTES[parameter.apiName] ? ` ${FIELD_NOTES[parameter.apiName]}` : '';
	const required = parameter.required ? ', required' : '';
	switch (parameter.type) {
		case 'string':
			return `text${required}${parameter.maxLength ? `, ≤ ${parameter.maxLength.toLocaleString('en-US')} characters` : ''}`;
		case 'url':
			return `${parameter.required ? '' : 'optional '}http(s) URL${note}${required}`;
		case 'urlList': {
			const count = parameter.maxItems ? `${parameter.minItems ?? 0}–${parameter.maxItems} ` : '';
			return `${count}http(s) URLs${note}${required}`;
		}
		case 'options':
			return parameter.options.map((option) => code(option.value)).join(', ');
		case 'integer':
			return `whole number ${parameter.min}–${parameter.max}${note}${customSizeNote(parameter, model)}`;
		default:
			return parameter.type;
	}
}

function defaultText(parameter) {
	if (parameter.required) return '—';
	if (parameter.default === '' || (Array.isArray(parameter.default) && parameter.default.length === 0)) return 'empty (not sent)';
	return code(Array.isArray(parameter.default) ? JSON.stringify(parameter.default) : parameter.default);
}

function modelsBlock({ models, retirementNotice }) {
	const retired = (model) => {
		const notice = retirementNotice(model);
		return notice ? ` **${notice.replace(/:/, ':**')}` : '';
	};
	const seconds = (model) => (model.typicalDurationSeconds === undefined ? '—' : `~${Math.round(model.typicalDurationSeconds)} s`);
	const price = (model) => (model.priceHintUsd === undefined ? '—' : `~$${model.priceHintUsd}`);
	return table(
		['Model', 'Slug', 'Operation', 'Summary', 'Typical time', 'Typical price'],
		models.map((model) => [
			`[${model.displayName}](${model.documentationUrl})`,
			code(model.slug),
			model.operations.map(operationName).join(', '),
			`${model.summary}${retired(model)}`,
			seconds(model),
			price(model),
		]),
	);
}

function operationsBlock({ description }) {
	const resources = description.properties.find((property) => property.name === 'resource').options;
	const rows = [];
	for (const resource of resources) {
		const operations = description.properties.find(
			(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource.value),
		);
		for (const operation of operations?.options ?? []) {
			rows.push([`${resource.name} › ${operation.name}`, operation.description ?? '', operation.action ?? '']);
		}
	}
	return table(['Operation', 'What it does', 'Action (also the tool description for AI agents)'], rows);
}

/**
 * One table per operation: a row per field (in the panel's order), a column per model with its
 * default — and its own type where it differs from the first model's.
 */
function parametersBlock({ models, description }, operation) {
	const selected = models.filter((model) => model.operations.includes(operation));
	const panelOrder = description.properties.map((property) => property.name);
	const names = [];
	for (const model of selected) for (const parameter of parametersIn(model, operation)) if (!names.includes(parameter.name)) names.push(parameter.name);
	names.sort((a, b) => panelOrder.indexOf(a) - panelOrder.indexOf(b));
	const rows = names.map((name) => {
		const variants = selected.map((model) => parametersIn(model, operation).find((parameter) => parameter.name === name));
		const firstIndex = variants.findIndex(Boolean);
		const first = variants[firstIndex];
		const type = typeText(first, selected[firstIndex]);
		const defaults = variants.map((parameter) => (parameter ? defaultText(parameter) : 'not offered'));
		const differ = new Set(defaults).size > 1;
		return [
			`${first.displayName} (${code(first.apiName)})`,
			type,
			...defaults.map((text, index) => {
				const own = variants[index] ? typeText(variants[index], selected[index]) : type;
				const shown = differ && text !== 'not offered' && text !== '—' ? `**${text}**` : text;
				// What the model's Segmind page does not show (see `inferred` in its model file).
				const marked = variants[index]?.inferred ? `${shown} (inferred)` : shown;
				return own === type ? marked : `${marked}; takes ${own}`;
			}),
		];
	});
	return table(['Field (API name)', 'Type', ...selected.map((model) => code(model.slug))], rows);
}

function fieldsBlock({ description }, resource, operation) {
	const fields = description.properties.filter((property) => {
		const show = property.displayOptions?.show;
		return show?.resource?.includes(resource) && show?.operation?.includes(operation) && property.type !== 'collection';
	});
	return table(
		['Field', 'Type', 'Default', 'Meaning'],
		fields.map((field) => [
			`${field.displayName}${field.required ? ' (required)' : ''}`,
			field.type,
			field.default === '' ? 'empty' : code(typeof field.default === 'string' ? field.default.replace(/\s+/g, ' ') : JSON.stringify(field.default)),
			field.description ?? '',
		]),
	);
}

function optionsBlock({ description }) {
	const options = description.properties.find(
		(property) => property.name === 'options' && property.displayOptions?.show?.resource?.includes('image'),
	);
	return table(
		['Option', 'Default', 'Meaning'],
		options.options.map((option) => {
			const choices = option.type === 'options'
				? `: ${option.options.map((choice) => `${code(choice.value)} (${choice.name}) — ${choice.description ?? ''}`).join('; ')}.`
				: '';
			return [option.displayName, code(option.default), `${option.description ?? ''}${choices}`];
		}),
	);
}

function render(loaded) {
	return {
		models: modelsBlock(loaded),
		operations: operationsBlock(loaded),
		'parameters-edit': parametersBlock(loaded, 'edit'),
		'parameters-generate': parametersBlock(loaded, 'generate'),
		'fields-run': fieldsBlock(loaded, 'model', 'run'),
		options: optionsBlock(loaded),
	};
}

/** README text with every generated block replaced; lists blocks that changed or are missing. */
function apply(readme, blocks) {
	const changed = [];
	const missing = [];
	let text = readme;
	for (const [name, body] of Object.entries(blocks)) {
		const pattern = new RegExp(`(<!-- BEGIN generated:${name} -->\\n)([\\s\\S]*?)(<!-- END generated:${name} -->)`);
		const match = pattern.exec(text);
		if (!match) {
			missing.push(name);
			continue;
		}
		const wanted = `${body}\n`;
		if (match[2] !== wanted) changed.push(name);
		text = text.replace(pattern, (_all, begin, _old, end) => `${begin}${wanted}${end}`);
	}
	return { text, changed, missing };
}

/**
 * Every line of the compiled node (dist/), split into its literal chunks: a template literal's
 * `${…}` is a gap whose text is only known at run time.
 */
function distLines() {
	const files = [];
	const walk = (dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name.endsWith('.js')) files.push(full);
		}
	};
	walk(path.join(ROOT, 'dist'));
	const lines = files.flatMap((file) => fs.readFileSync(file, 'utf8').replace(/\\(['"`])/g, '$1').split('\n'));
	return lines.map((line) => {
		const chunks = [''];
		for (let i = 0; i < line.length; i++) {
			if (line[i] === '$' && line[i + 1] === '{') {
				let depth = 0;
				for (i += 1; i < line.length; i++) {
					if (line[i] === '{') depth++;
					else if (line[i] === '}' && --depth === 0) break;
				}
				chunks.push('');
			} else chunks[chunks.length - 1] += line[i];
		}
		return chunks;
	});
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A pattern for any suffix (or prefix) of `text`, the empty one included. */
const suffixPattern = (text) => [...text].reduce((pattern, char) => `(?:${pattern})?${escapeRegExp(char)}`, '').replace(/^/, '(?:') + ')?';
const prefixPattern = (text) => [...text].reverse().reduce((pattern, char) => `${escapeRegExp(char)}(?:${pattern})?`, '').replace(/^/, '(?:') + ')?';

/**
 * Whether the node can produce `part` on one line: inside one literal chunk, or running across
 * gaps (any text) from the end of a chunk through whole chunks to the start of another. A part
 * that a gap fills alone (a value chosen elsewhere) cannot be checked this way.
 */
function producedBy(part, lines) {
	for (const chunks of lines) {
		if (chunks.some((chunk) => chunk.includes(part))) return true;
		for (let start = 0; start < chunks.length - 1; start++) {
			for (let end = start + 1; end < Math.min(chunks.length, start + 5); end++) {
				const middle = chunks.slice(start + 1, end);
				const pattern = `^(${suffixPattern(chunks[start])})${['', ...middle.map(escapeRegExp)].join('.*?')}.*?(${prefixPattern(chunks[end])})$`;
				const match = new RegExp(pattern, 's').exec(part);
				// The node's own text in the match (not the gaps') must be at least 4 letters.
				const letters = (text) => text.replace(/[^a-z]/gi, '').length;
				if (match && letters(match[1]) + letters(match[2]) + letters(middle.join('')) >= 4) return true;
			}
		}
	}
	return false;
}

/**
 * The literal parts of a message quoted in the README: what is left between the placeholders a
 * quote uses for what varies — `…`, `<Segmind's reason>`, a quoted field name such as "Prompt"
 * (the node fills in the field's display name), numbers and `N` (sizes, counts, status codes).
 */
function literalParts(quote) {
	return quote
		.split(/…|<[^>]*>|"[^"]*"|\b\d+(?:x\d+|xx)?\b|\bN\b/)
		.map((part) => part.trim().replace(/^[,.:;()\s]+|[,.:;(\s]+$/g, ''))
		.filter((part) => /[a-z]{2,}/i.test(part) && part.length >= 4);
}

/** The messages quoted in the first column of the README's "Errors and what to do" table. */
function quotedErrorMessages(readme) {
	const section = /^## Errors and what to do\n([\s\S]*?)^## /m.exec(readme);
	if (!section) return [];
	const rows = section[1].split('\n').filter((line) => line.startsWith('| `'));
	return rows.flatMap((line) => [...line.split(' | ')[0].matchAll(/`([^`]+)`/g)].map((match) => match[1]));
}

/**
 * Quoted error messages whose literal parts the built node does not contain: the README promises
 * a message the node does not (or no longer) produce. Returns `[quote, missing part]` pairs.
 */
function driftedErrorMessages(readme = fs.readFileSync(README, 'utf8'), lines = distLines()) {
	const drifted = [];
	for (const quote of quotedErrorMessages(readme)) {
		for (const part of literalParts(quote)) if (!producedBy(part, lines)) drifted.push([quote, part]);
	}
	return drifted;
}

/** Everything `--check` reports about README.md against the built node. */
function docsReport() {
	const readme = fs.readFileSync(README, 'utf8');
	const { changed, missing } = apply(readme, render(load()));
	return { changed, missing, quotes: quotedErrorMessages(readme), drifted: driftedErrorMessages(readme) };
}

/** For check-package.js: which README blocks differ from the built node. */
function staleBlocks() {
	const { changed, missing } = apply(fs.readFileSync(README, 'utf8'), render(load()));
	return { changed, missing };
}

if (require.main === module) {
	if (process.argv.includes('--check')) {
		const { changed, missing, quotes, drifted } = docsReport();
		if (missing.length > 0) console.log(`README.md has no markers for: ${missing.join(', ')}`);
		if (changed.length > 0 || missing.length > 0) {
			console.log(`README.md is out of date (${[...changed, ...missing].join(', ')}): run \`npm run docs\``);
		} else {
			console.log('README.md tables match the built node');
		}
		for (const [quote, part] of drifted) {
			console.log(`README.md "Errors and what to do" quotes \`${quote}\`, but the built node has no "${part}"`);
		}
		if (quotes.length === 0) console.log('README.md: no quoted error messages found in "Errors and what to do"');
		else if (drifted.length === 0) console.log(`README.md: all ${quotes.length} quoted error messages occur in the built node`);
		if (changed.length + missing.length + drifted.length > 0 || quotes.length === 0) process.exitCode = 1;
	} else {
		const blocks = render(load());
		const readme = fs.readFileSync(README, 'utf8'); // read right before writing: others edit it too
		const { text, changed, missing } = apply(readme, blocks);
		if (missing.length > 0) console.log(`README.md has no markers for: ${missing.join(', ')}`);
		if (changed.length > 0) {
			fs.writeFileSync(README, text);
			console.log(`README.md: rewrote ${changed.join(', ')}`);
		} else {
			console.log('README.md tables already match the built node');
		}
	}
}

module.exports = { render, apply, staleBlocks, docsReport, driftedErrorMessages, literalParts, quotedErrorMessages };
