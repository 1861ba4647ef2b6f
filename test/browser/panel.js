'use strict';
/**
 * The node's panel for every operation × model (from expected.js), and "Execute step" from the
 * editor against the emulator for the first model of each operation.
 */

const path = require('node:path');
const { readPanel, openNode, closeNode, panelShot } = require('./page');

const NODE_TYPE = 'n8n-nodes-segmind.segmind';
const slugify = (s) => s.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-|-$/g, '');

function nodeName(c) {
	if (!c.modelName) return `${c.resourceName}: ${c.operationName}`;
	return `${c.operationName}: ${c.modelName}${c.customSize ? ' (Custom Size)' : ''}`;
}

/** The configuration typed into the panel before "Execute step", per operation. */
function runPlan(c, ctx) {
	const { emu, expected } = ctx;
	const generateModel = expected.models.find((m) => m.operations.includes('generate'));
	if (c.resource === 'image' && c.operation === 'edit') {
		return { prompt: 'Make the sky a warm sunset', imageUrl: emu.fixtureUrl(emu.fixtureNames.find((n) => /png$/.test(n)) ?? emu.fixtureNames[0]) };
	}
	if (c.resource === 'image' && c.operation === 'generate') return { prompt: 'A lighthouse on a cliff at dawn' };
	if (c.resource === 'model' && c.operation === 'run') {
		return { modelSlug: generateModel.slug, body: JSON.stringify({ prompt: 'A red bicycle, studio photo' }), slug: generateModel.slug };
	}
	if (c.resource === 'job' && c.operation === 'getResult') return { requestId: true, slug: generateModel.slug };
	return null;
}

async function fillText(page, name, value) {
	const field = page.locator(`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"]`).locator('textarea, input').first();
	await field.click();
	await field.fill(value);
	await field.press('Tab');
}

async function typeConfig(ctx, c, plan) {
	const { page, emu } = ctx;
	if (plan.prompt) await fillText(page, 'prompt', plan.prompt);
	// A model with one image (GPT Image 2) has a plain Image URL field instead of the Image URLs list.
	if (plan.imageUrl && c.visible.some((v) => v.name === 'image')) await fillText(page, 'image', plan.imageUrl);
	else if (plan.imageUrl) {
		await page.locator('[data-test-id="ndv"] [data-test-id="parameter-item"]', { hasText: 'Image URLs' }).getByRole('button', { name: /Add Image URL/ }).click();
		const item = page.locator('[data-test-id="ndv"] .duplicate-parameter-item').first();
		const field = item.locator('input, textarea').first();
		await field.click();
		await field.fill(plan.imageUrl);
		await field.press('Tab');
	}
	if (plan.modelSlug) await fillText(page, 'modelSlug', plan.modelSlug);
	if (plan.body) {
		const editor = page.locator('[data-test-id="ndv"] [data-test-id="parameter-input-body"] .cm-content').first();
		await editor.click();
		await page.keyboard.press('Control+A');
		await page.keyboard.press('Delete');
		await page.keyboard.insertText(plan.body);
	}
	if (plan.requestId) {
		// a job submitted straight to the emulator; the node fetches its result
		const res = await fetch(`${emu.apiUrl}/v2/${plan.slug}`, {
			method: 'POST',
			headers: { 'x-api-key': emu.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ prompt: 'A paper boat on a pond' }),
		});
		const job = await res.json();
		if (!job.request_id) throw new Error(`emulator submit gave no request_id: ${JSON.stringify(job)}`);
		plan.requestIdValue = job.request_id;
		await fillText(page, 'requestId', job.request_id);
		await fillText(page, 'modelSlug', plan.slug);
	}
	await page.waitForTimeout(300);
}

async function runPanelChecks(ctx) {
	const { page, watch, rest, server, emu, cases, check, assert, same, diffLists, shots, expected } = ctx;
	if (!cases.length) return;

	const credential = await rest.call('POST', '/credentials', {
		name: 'Segmind (emulator)',
		type: 'segmindApi',
		data: { apiKey: emu.apiKey, baseUrl: emu.apiUrl },
	});
	ctx.credential = credential;
	const nodes = [{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }];
	const connections = { Start: { main: [[]] } };
	cases.forEach((c, i) => {
		const name = nodeName(c);
		nodes.push({
			id: `case${i}`,
			name,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [320 + 280 * (i % 3), -240 + 240 * Math.floor(i / 3)],
			parameters: { ...c.parameters },
			credentials: { segmindApi: { id: credential.id, name: credential.name } },
		});
		connections.Start.main[0].push({ node: name, type: 'main', index: 0 });
	});
	const workflow = await rest.call('POST', '/workflows', { name: 'Segmind: every operation × model', active: false, nodes, connections, settings: {} });
	ctx.workflow = workflow;

	await check('editor: the workflow with every operation × model opens, icons load, console clean', async () => {
		await page.goto(`${server.url}/workflow/${workflow.id}`);
		await page.waitForSelector(`[data-test-id="canvas-node"][data-node-name="${nodeName(cases[0] ?? { resourceName: '', operationName: '' })}"]`, { timeout: 60_000 });
		await page.waitForLoadState('networkidle').catch(() => {});
		const count = await page.locator('[data-test-id="canvas-node"]').count();
		assert(count === nodes.length, `canvas shows ${count} nodes, expected ${nodes.length}`);
		const broken = await page.$$eval('[data-test-id="canvas-node"] img', (imgs) =>
			imgs.filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.getAttribute('src')),
		);
		assert(!broken.length, `broken node icons: ${broken.join(', ')}`);
		const problems = watch.take();
		assert(!problems.length, problems.join('\n'));
		if (shots) await page.screenshot({ path: path.join(shots, 'canvas.png'), clip: await canvasClip(page) });
		return `${count} nodes`;
	});

	const shotFor = new Set();
	const ranFor = new Set();
	for (const c of cases) {
		const name = nodeName(c);
		const opKey = `${c.resource}-${c.operation}`;
		let panel = null;
		await check(`panel ${c.key}: exactly the fields of this model and operation`, async () => {
			await openNode(page, name);
			panel = await readPanel(page);
			const titles = panel.map((f) => f.title);
			const want = c.visible.map((v) => v.displayName);
			assert(same(titles, want), diffLists(titles, want));
			return titles.join(', ');
		});
		if (!panel) continue;
		await check(`panel ${c.key}: defaults shown are the model's and the description's`, async () => {
			const wrong = [];
			for (const v of c.visible) {
				if (v.type === 'collection' || v.type === 'fixedCollection') continue;
				const shown = panel.find((f) => f.title === v.displayName);
				if (!shown) continue; // reported above
				if (!same(normal(shown.value), normal(v.shown))) wrong.push(`${v.displayName}: panel ${JSON.stringify(shown.value)}, description default ${JSON.stringify(v.shown)}`);
				if (v.name in c.modelDefaults && !same(normal(shown.value), normal(c.modelDefaults[v.name]))) {
					wrong.push(`${v.displayName}: panel ${JSON.stringify(shown.value)}, model file default ${JSON.stringify(c.modelDefaults[v.name])}`);
				}
			}
			assert(!wrong.length, wrong.join('\n'));
			const n = Object.keys(c.modelDefaults).length;
			return n ? `${n} model-file defaults: ${Object.entries(c.modelDefaults).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}` : '';
		});
		await check(`panel ${c.key}: no console errors`, async () => {
			const problems = watch.take();
			assert(!problems.length, problems.join('\n'));
		});
		if (shots && !shotFor.has(opKey)) {
			shotFor.add(opKey);
			await panelShot(page, path.join(shots, `panel-${slugify(c.resource)}-${slugify(c.operation)}.png`));
		}
		// A model with custom sizes (the newest, GPT Image 2) gets its own shots: as it opens, and with Size "Custom".
		const customSizeModel = c.model && expected.models.find((m) => m.slug === c.model && m.customSize);
		if (shots && customSizeModel) {
			await panelShot(page, path.join(shots, `panel-${slugify(c.resource)}-${slugify(c.operation)}-${slugify(c.model)}${c.customSize ? '-custom-size' : ''}.png`));
		}

		const plan = runPlan(c, ctx);
		if (plan && !ranFor.has(opKey)) {
			ranFor.add(opKey);
			await check(`execute step ${c.key}: filled in from the editor, output panel shows the image as binary data with its file name`, async () => {
				await typeConfig(ctx, c, plan);
				const submitsBefore = emu.jobs.size;
				await page.click('[data-test-id="ndv"] [data-test-id="node-execute-button"]');
				const output = page.locator('[data-test-id="ndv"] [data-test-id="output-panel"], [data-test-id="ndv"] [data-test-id="ndv-output-panel"]').first();
				await output.waitFor({ timeout: 10_000 }).catch(() => {});
				// wait for the run to finish: an item count, an error, or binary data
				await page.waitForFunction(
					() => {
						const ndv = document.querySelector('[data-test-id="ndv"]');
						return ndv && /\b1 item\b|items?\b.*\bof\b|Binary|error/i.test(ndv.querySelector('[data-test-id="ndv-output-panel"], [data-test-id="output-panel"]')?.textContent ?? '');
					},
					null,
					{ timeout: 60_000 },
				).catch(() => {});
				await page.waitForTimeout(500);
				const result = await readOutput(page);
				const job = [...emu.jobs.values()].pop();
				assert(emu.jobs.size > submitsBefore || plan.requestIdValue, `the emulator received no job (output panel: ${result.text.slice(0, 300)})`);
				const id = plan.requestIdValue ?? (job && job.id);
				assert(result.binaries.length, `the output panel shows no binary data: ${result.text.slice(0, 400)}`);
				const [binary] = result.binaries;
				const fileName = binary.fields['File Name'] ?? '';
				const mime = binary.fields['Mime Type'] ?? '';
				assert(binary.property === 'data', `binary property "${binary.property}", expected "data"`);
				assert(/^image\/(png|jpeg|webp)$/.test(mime), `MIME type "${mime}"`);
				const slug = c.model ?? plan.slug;
				assert(new RegExp(`^${slug.replace(/\./g, '\\.')}-${id}\\.(png|jpe?g|webp)$`).test(fileName), `file name "${fileName}", expected ${slug}-${id}.<ext>`);
				const problems = watch.take();
				assert(!problems.length, problems.join('\n'));
				if (shots && c.operation === 'edit') await outputShots(page, path.join(shots, 'output-edit.png'), path.join(shots, 'output-edit-image.png'));
				return `binary "${binary.property}": ${fileName} (${mime}, ${binary.fields['File Size'] ?? '?'})`;
			});
		}
	}
	if (await page.isVisible('[data-test-id="ndv"]')) await closeNode(page);
}

const normal = (v) => (typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : v);

/** What the output panel shows in its Binary view: per binary property, file name and MIME type. */
async function readOutput(page) {
	const panel = page.locator('[data-test-id="ndv"] [data-test-id="output-panel"]').first();
	const binaryTab = panel.locator('[data-test-id="radio-button-binary"]').first();
	if (await binaryTab.count()) await binaryTab.click().catch(() => {});
	await panel.locator('[data-test-id^="ndv-binary-data_"]').first().waitFor({ timeout: 5_000 }).catch(() => {});
	const text = await panel.innerText();
	const binaries = await panel.locator('[data-test-id^="ndv-binary-data_"]').evaluateAll((els) =>
		els.map((el) => {
			const fields = {};
			for (const row of el.querySelectorAll(':scope > div > div:first-child')) {
				const value = row.nextElementSibling;
				if (value) fields[row.textContent.replace(/:\s*$/, '').trim()] = value.textContent.trim();
			}
			return { property: (el.firstElementChild ? el.firstElementChild.textContent : '').trim(), fields };
		}),
	);
	return { text, binaries };
}

/** The output panel: its Binary list (file name, type, size), then after "View" the edited image. */
async function outputShots(page, listFile, imageFile) {
	const panel = page.locator('[data-test-id="ndv"] [data-test-id="output-panel"]').first();
	await page.mouse.move(5, 5);
	const box = await panel.boundingBox();
	if (!box) return;
	const card = await panel.locator('[data-test-id^="ndv-binary-data_"]').first().boundingBox();
	const listBottom = card ? card.y + card.height + 24 : box.y + 400;
	await page.screenshot({ path: listFile, clip: { x: box.x, y: box.y, width: box.width, height: listBottom - box.y } });
	const view = panel.locator('[data-test-id="ndv-view-binary-data"]').first();
	if (!(await view.count())) return;
	await view.click();
	const image = panel.locator('img, embed, iframe, video').first();
	await image.waitFor({ timeout: 10_000 }).catch(() => {});
	await page.waitForTimeout(800);
	const shown = await image.boundingBox().catch(() => null);
	const bottom = shown ? shown.y + shown.height + 16 : box.y + Math.min(box.height, 760);
	await page.screenshot({ path: imageFile, clip: { x: box.x, y: box.y, width: box.width, height: bottom - box.y } });
}

async function canvasClip(page) {
	const boxes = await page.$$eval('[data-test-id="canvas-node"]', (els) => els.map((e) => e.getBoundingClientRect().toJSON()));
	const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - 60);
	const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - 60);
	const right = Math.max(...boxes.map((b) => b.x + b.width)) + 120;
	const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + 80;
	return { x, y, width: right - x, height: bottom - y };
}

module.exports = { runPanelChecks, nodeName };
