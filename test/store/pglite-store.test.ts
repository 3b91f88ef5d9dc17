import { openStore } from '../../src-main/store/open-store';
import { describeStoreContract } from './store-contract';

describeStoreContract('PGlite (in memory)', () => openStore({ backend: 'pglite' }));
