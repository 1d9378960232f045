// A real OpenID Connect provider for the accounts tests: panva's oidc-provider with one static client.
//
// Listens on 127.0.0.1 on an ephemeral port and prints one JSON line {"issuer": "..."} once it is ready.
// Environment: OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET, OIDC_TEST_REDIRECT_URIS (comma-separated),
// OIDC_TEST_ACCOUNTS (JSON {login: {email, name, preferred_username, groups}}).
// Sign-in uses oidc-provider's own development interactions: a login form that takes any login, then consent.
import http from 'node:http';

import Provider from 'oidc-provider';

const clientId = process.env.OIDC_TEST_CLIENT_ID || 'timetracker';
const clientSecret = process.env.OIDC_TEST_CLIENT_SECRET || 'timetracker-test-secret';
const redirectUris = (process.env.OIDC_TEST_REDIRECT_URIS || 'http://testserver/accounts/oidc/oidc/login/callback/')
  .split(',').map((s) => s.trim()).filter(Boolean);
const accounts = JSON.parse(process.env.OIDC_TEST_ACCOUNTS || '{}');

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      groups: ['groups'],
    },
    pkce: { required: () => true },
    cookies: { keys: ['timetracker-test-cookie-key'] },
    async findAccount(ctx, sub) {
      const known = accounts[sub] || {};
      return {
        accountId: sub,
        async claims() {
          const name = known.name || `${sub[0].toUpperCase()}${sub.slice(1)} Example`;
          return {
            sub,
            email: known.email || `${sub}@example.com`,
            email_verified: true,
            name,
            given_name: name.split(' ')[0],
            family_name: name.split(' ').slice(1).join(' '),
            preferred_username: known.preferred_username || sub,
            groups: known.groups || [],
          };
        },
      };
    },
  });
  provider.proxy = false;
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

