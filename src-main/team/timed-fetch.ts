/**
 * A fetch for supabase-js whose requests give up after `timeoutMs` (a network that drops packets would
 * otherwise keep a call waiting for minutes), and all stop when `closing` aborts. An aborted request reaches
 * supabase-js as a failed fetch: Supabase cannot be reached.
 */
export function timedFetch(timeoutMs: number, closing?: AbortSignal): typeof fetch {
  return (input, init) => {
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (closing) signals.push(closing);
    if (init?.signal) signals.push(init.signal);
    return fetch(input, { ...init, signal: AbortSignal.any(signals) });
  };
}
