import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class SegmindApi implements ICredentialType {
	name = 'segmindApi';

	displayName = 'Segmind API';

	icon: Icon = { light: 'file:segmind.svg', dark: 'file:segmind.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-segmind/n8n-nodes-segmind#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Your Segmind API key. Create or copy one in the Segmind console under API Keys (https://cloud.segmind.com/console/api-keys).',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.segmind.com',
			description:
				'Where Segmind\'s API is reached. Keep the default unless you go through a proxy or use the project\'s local emulator. The API key is sent only to this address (and, for input images given as binary data, to Segmind\'s upload host when this is the default address).',
		},
	];

	// n8n adds the key as a header to requests the node makes through this credential only.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	// A cheap call that needs a valid key: a wrong key fails when the credential is saved.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/get-user-credits',
			method: 'GET',
		},
	};
}
