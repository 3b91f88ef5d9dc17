// Everything team mode takes from supabase-js, in one module the team controller loads on first use: the
// embedded app never loads supabase-js (as src-main/store/open-store.ts does for the store).
export { isAuthRetryableFetchError } from '@supabase/supabase-js';
export { createOperatorClient, requirePublicKey, requireSafeProjectUrl, signInOperator } from '../store/supabase/operator-client';
export { openSupabaseStore } from '../store/supabase/supabase-store';
export { testConnection } from './connection-test';
