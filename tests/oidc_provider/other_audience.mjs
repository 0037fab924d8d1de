// The tests' provider (provider.mjs), but issuing its ID tokens for qa-audit with the audience of
// the council's other service: what the callback must refuse from a provider that hands one
// client's token to another. Started in place of provider.mjs, with the same settings.
import Provider from 'oidc-provider';

const OTHER_CLIENT_ID = 'another-service';
const issued = Object.getOwnPropertyDescriptor(Provider.prototype, 'IdToken');
const models = new WeakMap();

Object.defineProperty(Provider.prototype, 'IdToken', {
  get() {
    if (!models.has(this)) {
      const Base = issued.get.call(this);
      // Named as the model it stands for: the provider finds its settings (ttl) by the name.
      class IdToken extends Base {
        async issue(options) {
          const client = this.client;
          // The client's methods read its private fields: they run on the client itself.
          this.client = new Proxy(client, {
            get(target, name) {
              if (name === 'clientId') return OTHER_CLIENT_ID;
              const value = Reflect.get(target, name);
              return typeof value === 'function' ? value.bind(target) : value;
            },
          });
          try {
            return await super.issue(options);
          } finally {
            this.client = client;
          }
        }
      }
      models.set(this, IdToken);
    }
    return models.get(this);
  },
});

await import('./provider.mjs');
