#!/usr/bin/env node
/**
 * Writes the README's reference tables (models, operations, every parameter per model, options)
 * from the built node, so the README says what the node actually offers.
 *
 *   npm run docs            rebuild, then rewrite the generated blocks in README.md
 *   npm run docs:check      exit 1 if README.md differs from the built node
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
};

const cell = (text) => String(text).replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const code = (value) => `\`${value}\``;
const row = (cells) => `| ${cells.map(cell).join(' | ')} |`;
const table = (header, rows) => [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');

function load() {
	const modelsFile = path.join(DIST_NODE, 'models', 'index.js');
	if (!fs.existsSync(modelsFile)) throw new Error('dist/ is missing: run `npm run build` first');
	const { segmindModels } = require(modelsFile);
	const { Segmind } = require(path.join(DIST_NODE, 'Segmind.node.js'));
	return { models: segmindModels, description: new Segmind().description };
}

function typeText(parameter) {
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
			return `whole number ${parameter.min}–${parameter.max}${note}`;
		default:
			return parameter.type;
	}
}

function defaultText(parameter) {
	if (parameter.required) return '—';
	if (parameter.default === '' || (Array.isArray(parameter.default) && parameter.default.length === 0)) return 'empty (not sent)';
	return code(Array.isArray(parameter.default) ? JSON.stringify(parameter.default) : parameter.default);
}

function modelsBlock({ models }) {
	const seconds = (model) => (model.typicalDurationSeconds === undefined ? '—' : `~${Math.round(model.typicalDurationSeconds)} s`);
	const price = (model) => (model.priceHintUsd === undefined ? '—' : `~$${model.priceHintUsd}`);
	return table(
		['Model', 'Slug', 'Operation', 'Summary', 'Typical time', 'Typical price'],
		models.map((model) => [
			`[${model.displayName}](${model.documentationUrl})`,
			code(model.slug),
			`Image › ${model.operation[0].toUpperCase()}${model.operation.slice(1)}`,
			model.summary,
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

/** One table per operation: a row per field, a column per model with its default. */
function parametersBlock({ models }, operation) {
	const selected = models.filter((model) => model.operation === operation);
	const names = [];
	for (const model of selected) for (const parameter of model.parameters) if (!names.includes(parameter.apiName)) names.push(parameter.apiName);
	const rows = names.map((apiName) => {
		const variants = selected.map((model) => model.parameters.find((parameter) => parameter.apiName === apiName));
		const first = variants.find(Boolean);
		const defaults = variants.map((parameter) => (parameter ? defaultText(parameter) : 'not offered'));
		const differ = new Set(defaults).size > 1;
		return [
			`${first.displayName} (${code(apiName)})`,
			typeText(first),
			...defaults.map((text, index) => {
				const shown = differ && text !== 'not offered' && text !== '—' ? `**${text}**` : text;
				// What the model's Segmind page does not show (see `inferred` in its model file).
				return variants[index]?.inferred ? `${shown} (inferred)` : shown;
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

/** For check-package.js: which README blocks differ from the built node. */
function staleBlocks() {
	const { changed, missing } = apply(fs.readFileSync(README, 'utf8'), render(load()));
	return { changed, missing };
}

if (require.main === module) {
	const check = process.argv.includes('--check');
	const blocks = render(load());
	const readme = fs.readFileSync(README, 'utf8'); // read right before writing: others edit it too
	const { text, changed, missing } = apply(readme, blocks);
	if (missing.length > 0) console.log(`README.md has no markers for: ${missing.join(', ')}`);
	if (check) {
		if (changed.length > 0 || missing.length > 0) {
			console.log(`README.md is out of date (${[...changed, ...missing].join(', ')}): run \`npm run docs\``);
			process.exitCode = 1;
		} else {
			console.log('README.md tables match the built node');
		}
	} else if (changed.length > 0) {
		fs.writeFileSync(README, text);
		console.log(`README.md: rewrote ${changed.join(', ')}`);
	} else {
		console.log('README.md tables already match the built node');
	}
}

module.exports = { render, apply, staleBlocks };
