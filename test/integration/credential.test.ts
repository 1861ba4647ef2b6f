import { SegmindApi } from '../../credentials/SegmindApi.credentials';
import { testCredential } from '../harness';
import { API_KEY, startTestEmulator } from './setup';
import type { Emulator } from './setup';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startTestEmulator();
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => emulator.reset());

describe('Segmind API credential', () => {
	it('stores the key as a password and defaults the base URL to Segmind', () => {
		const credential = new SegmindApi();
		const apiKey = credential.properties.find((property) => property.name === 'apiKey');
		expect(apiKey?.typeOptions?.password).toBe(true);
		expect(credential.properties.find((property) => property.name === 'baseUrl')?.default).toBe(
			'https://api.segmind.com',
		);
	});

	it('passes its test with a valid key, by asking for the user credits with x-api-key', async () => {
		const result = await testCredential({
			credentialType: new SegmindApi(),
			data: { apiKey: API_KEY, baseUrl: emulator.apiUrl },
		});
		expect(result.status).toBe('OK');
		const [request] = emulator.requests;
		expect(request.path).toBe('/v1/get-user-credits');
		expect(request.headers['x-api-key']).toBe(API_KEY);
	});

	it('fails its test with a wrong key, without echoing it', async () => {
		const result = await testCredential({
			credentialType: new SegmindApi(),
			data: { apiKey: 'sk-not-the-key', baseUrl: `${emulator.apiUrl}/` },
		});
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain('sk-not-the-key');
		expect(emulator.requests[0].status).toBe(401);
	});
});
