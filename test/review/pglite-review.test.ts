import { openStore } from '../../src-main/store/open-store';
import { describeReviewContract } from './review-contract';

describeReviewContract('PGlite (in memory)', () => openStore({ backend: 'pglite' }));
