// The tests' identity provider: node-oidc-provider (a certified OpenID Provider) on loopback,
// with its development login page (any login name becomes the subject). Started and stopped by
// tests/oidc_provider/__init__.py, which passes its settings as JSON in OIDC_TEST_PROVIDER:
//   port, issuer, clients [{client_id, client_secret, redirect_uris, post_logout_redirect_uris}],
//   accounts (a JSON file: subject -> claims, read at each sign-in so a test may change it),
//   id_token_seconds, clock_offset_seconds (a provider whose clock is behind issues tokens
//   that have expired by the time they arrive).
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const settings = JSON.parse(process.env.OIDC_TEST_PROVIDER);

if (settings.clock_offset_seconds) {
  const realNow = Date.now;
  Date.now = () => realNow() + settings.clock_offset_seconds * 1000;
}

function accountClaims(subject) {
  const accounts = JSON.parse(readFileSync(settings.accounts, 'utf8'));
  return accounts[subject] || {};
}

const provider = new Provider(settings.issuer, {
  clients: settings.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  })),
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'groups'],
  },
  // The claims in the ID token itself, as Microsoft Entra ID sends them.
  conformIdTokenClaims: false,
  async findAccount(_ctx, subject) {
    return {
      accountId: subject,
      async claims() {
        return { sub: subject, ...accountClaims(subject) };
      },
    };
  },
  ttl: {
    IdToken: settings.id_token_seconds || 600,
    AccessToken: 600,
    AuthorizationCode: 60,
    // Longer than any clock offset, so the provider's own cookies have not expired.
    Interaction: 7200 + Math.abs(settings.clock_offset_seconds || 0),
    Session: 7200 + Math.abs(settings.clock_offset_seconds || 0),
    Grant: 7200 + Math.abs(settings.clock_offset_seconds || 0),
  },
  cookies: { keys: ['tests-only-cookie-key'] },
});

const server = provider.listen(settings.port, '127.0.0.1', () => {
  process.stdout.write(`listening ${settings.port}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
