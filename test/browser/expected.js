'use strict';
/**
 * What the node's panel should show, derived from the BUILT package (dist/), so that a new model
 * file (or operation) is covered without editing the browser test.
 *
 * - Every operation × model: the resource/operation options of the description, and for each
 *   operation with a `model` parameter, every option of that parameter.
 * - The visible fields of each: n8n-workflow's own NodeHelpers (getNodeParameters fills in the
 *   defaults as the editor does, displayParameter evaluates displayOptions).
 * - The defaults: the model files' parameter defaults (dist/nodes/Segmind/models), which the
 *   panel must show for a node that only sets resource, operation and model.
 * - Broken display conditions: a condition on a parameter that does not exist, on a value the
 *   parameter cannot take, or a field that no operation × model ever shows.
 */

const path = require('node:path');
const { NodeHelpers } = require('n8n-workflow');

const ROOT = path.join(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');

function loadBuilt() {
	for (const key of Object.keys(require.cache)) if (key.startsWith(DIST)) delete require.cache[key];
	const { Segmind } = require(path.join(DIST, 'nodes', 'Segmind', 'Segmind.node.js'));
	const { SegmindApi } = require(path.join(DIST, 'credentials', 'SegmindApi.credentials.js'));
	const { segmindModels } = require(path.join(DIST, 'nodes', 'Segmind', 'models', 'index.js'));
	return { description: new Segmind().description, credential: new SegmindApi(), models: segmindModels };
}

const optionValues = (property) => (property.options ?? []).map((o) => o.value);

/** The label the panel shows for a value of `property` (an option's name; otherwise the value). */
function shownValue(property, value) {
	if (property.type === 'options') {
		const option = (property.options ?? []).find((o) => o.value === value);
		return option ? option.name : String(value);
	}
	if (property.type === 'boolean') return Boolean(value);
	if (property.typeOptions && property.typeOptions.multipleValues) return Array.isArray(value) ? value.length : 0;
	if (property.type === 'json') return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
	return value === undefined || value === null ? '' : String(value);
}

/**
 * @returns {{
 *   description: any, credential: any, models: any[],
 *   cases: Array<{ key: string, resource: string, resourceName: string, operation: string,
 *     operationName: string, model: string | null, modelName: string | null,
 *     parameters: Record<string, unknown>,
 *     visible: Array<{ name: string, displayName: string, type: string, shown: unknown, property: any }>,
 *     modelDefaults: Record<string, unknown> }>,
 *   problems: string[] }}
 */
function expectedPanels() {
	const { description, credential, models } = loadBuilt();
	const properties = description.properties;
	const node = { typeVersion: Array.isArray(description.version) ? Math.max(...description.version) : description.version };
	const problems = [];
	const resourceProperty = properties.find((p) => p.name === 'resource');
	/** The node's parameters as the editor fills them in (defaults); null when n8n cannot. */
	const nodeParameters = (set) => {
		try {
			return NodeHelpers.getNodeParameters(properties, set, true, false, node, description);
		} catch (error) {
			problems.push(`${Object.values(set).join('/')}: n8n cannot resolve the parameters (${error.message.slice(0, 120)})`);
			return null;
		}
	};
	const cases = [];
	for (const resource of resourceProperty.options) {
		const operationProperty = properties.find(
			(p) => p.name === 'operation' && NodeHelpers.displayParameter({ resource: resource.value }, p, node, description),
		);
		if (!operationProperty) {
			problems.push(`resource ${resource.value} has no visible operation field`);
			continue;
		}
		for (const operation of operationProperty.options) {
			const base = { resource: resource.value, operation: operation.value };
			const baseValues = nodeParameters(base);
			if (!baseValues) continue;
			const modelProperty = properties.find((p) => p.name === 'model' && NodeHelpers.displayParameter(baseValues, p, node, description));
			const modelOptions = modelProperty ? modelProperty.options : [null];
			// A model with custom sizes gets a second case with Size "Custom", which shows Width and Height.
			const variants = modelOptions.flatMap((model) => {
				const rules = model ? models.find((m) => m.slug === model.value)?.customSize : undefined;
				return rules ? [{ model }, { model, custom: rules }] : [{ model }];
			});
			for (const { model, custom } of variants) {
				const set = model ? { ...base, model: model.value, ...(custom ? { [custom.sizeParameter]: custom.customValue } : {}) } : base;
				const values = nodeParameters(set);
				if (!values) continue;
				const visibleProperties = properties.filter((p) => NodeHelpers.displayParameter(values, p, node, description));
				const seen = new Map();
				for (const p of visibleProperties) {
					if (seen.has(p.name)) problems.push(`${set.resource}/${set.operation}/${set.model ?? '-'}: two visible fields named ${p.name}`);
					seen.set(p.name, p);
				}
				const modelFile = model ? models.find((m) => m.slug === model.value) : null;
				if (model && !modelFile) problems.push(`model option ${model.value} has no model file`);
				const modelDefaults = {};
				const rules = modelFile ? modelFile.customSize : undefined;
				const operationParameters = (modelFile ? modelFile.parameters : []).filter(
					(parameter) => !parameter.operations || parameter.operations.includes(operation.value),
				);
				for (const parameter of operationParameters) {
					// Width and Height of a custom size show only with Size "Custom" (the custom case).
					if (rules && !custom && [rules.width, rules.height].includes(parameter.name)) continue;
					const property = seen.get(parameter.name);
					if (!property) {
						problems.push(`${model.value}: the model file's parameter ${parameter.name} is not visible in the panel`);
						continue;
					}
					modelDefaults[parameter.name] = shownValue(property, parameter.name in set ? set[parameter.name] : parameter.default);
				}
				cases.push({
					key: [resource.value, operation.value, model ? model.value : null, custom ? 'custom size' : null].filter(Boolean).join(' › '),
					customSize: Boolean(custom),
					resource: resource.value,
					resourceName: resource.name,
					operation: operation.value,
					operationName: operation.name,
					model: model ? model.value : null,
					modelName: model ? model.name : null,
					parameters: set,
					visible: visibleProperties.map((p) => ({
						name: p.name,
						displayName: p.displayName,
						type: p.type,
						shown: shownValue(p, values[p.name]),
						property: p,
					})),
					modelDefaults,
				});
			}
		}
	}
	// every model file must be offered by each of its operations
	for (const m of models) {
		if (!m.operations.every((operation) => cases.some((c) => c.model === m.slug && c.operation === operation))) problems.push(`model file ${m.slug} (${m.operations.join(', ')}) is not offered in any operation's Model field`);
	}
	problems.push(...brokenConditions(properties, cases));
	// the root causes (conditions that can't hold) first, their consequences after
	problems.sort((a, b) => Number(!/displayOptions/.test(a)) - Number(!/displayOptions/.test(b)));
	return { description, credential, models, cases, problems };
}

/** Display conditions that can never hold, and fields no case shows. */
function brokenConditions(properties, cases) {
	const problems = [];
	const byName = new Map();
	for (const p of properties) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
	const check = (owner, displayOptions) => {
		for (const kind of ['show', 'hide']) {
			for (const [field, wanted] of Object.entries((displayOptions ?? {})[kind] ?? {})) {
				if (field.startsWith('@')) continue; // @version, @tool
				const targets = byName.get(field.replace(/^\//, ''));
				if (!targets) {
					problems.push(`${owner}: displayOptions.${kind} refers to a parameter "${field}" that does not exist`);
					continue;
				}
				const allowed = new Set(targets.flatMap((t) => (t.type === 'options' ? optionValues(t) : t.type === 'boolean' ? [true, false] : [])));
				if (!allowed.size) continue;
				for (const value of wanted) {
					if (value && typeof value === 'object') continue; // _cnd conditions
					if (!allowed.has(value)) problems.push(`${owner}: displayOptions.${kind}.${field} lists "${value}", which ${field} never takes`);
				}
			}
		}
	};
	properties.forEach((p, index) => {
		check(`field ${p.name} (#${index})`, p.displayOptions);
		if (p.type === 'collection' || p.type === 'fixedCollection') {
			for (const option of p.options ?? []) check(`field ${p.name} › ${option.name}`, option.displayOptions);
		}
		if (!cases.some((c) => c.visible.some((v) => v.property === p))) {
			problems.push(`field ${p.name} (#${index}, "${p.displayName}") is never shown by any operation × model`);
		}
	});
	return problems;
}

module.exports = { expectedPanels, shownValue };

if (require.main === module) {
	const { cases, problems } = expectedPanels();
	for (const c of cases) {
		console.log(`${c.key}: ${c.visible.map((v) => `${v.displayName}=${JSON.stringify(v.shown)}`).join(', ')}`);
		console.log(`   model defaults: ${JSON.stringify(c.modelDefaults)}`);
	}
	console.log(problems.length ? `problems:\n  ${problems.join('\n  ')}` : 'no problems');
}
