import { randomBytes } from 'node:crypto';
import { afterEach, describe } from 'vitest';
import { KeychainSecretStore, requireKeytar } from '../../src-main/secrets/keychain-secret-store';
import { TokenSecretRedactor } from '../../src-main/secrets/secret-redactor';
import { KEYCHAIN_SECRET_NAMES } from '../../src-main/secrets/secret-store';
import { secretStoreContract } from './secret-store-contract';

// keytar on the real Secret Service: the gnome-keyring the global setup runs on a private D-Bus session.
const services: string[] = [];

afterEach(async () => {
  const keytar = requireKeytar();
  for (const service of services.splice(0)) {
    for (const account of KEYCHAIN_SECRET_NAMES) await keytar.deletePassword(service, account);
  }
});

describe('SecretStore contract: keytar on the Secret Service (browser mode, CLI)', () => {
  secretStoreContract({
    detail: /^Secret Service \(keytar, libsecret\)$/,
    place: async () => {
      const service = `triad-test-${randomBytes(6).toString('hex')}`;
      services.push(service);
      return { open: (redactor = new TokenSecretRedactor()) => new KeychainSecretStore({ redactor, service }) };
    },
  });
});
