import type { TriadStore } from '../store/repositories';

/** An object whose every property is read from `current()` at the time of use; methods stay bound to it. */
function delegating<T extends object>(current: () => T): T {
  return new Proxy({} as T, {
    get(_target, property) {
      const target = current();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The store the app uses, which team mode changes while the app runs: the embedded store, or a team store
 * while an operator is signed in to a Supabase project. The services built on it (the facade, the request-log
 * writer, the API) keep their reference; each call goes to the store in use at the time of the call.
 */
export class ActiveStore implements TriadStore {
  private current: TriadStore;
  readonly directory = delegating(() => this.current.directory);
  readonly flags = delegating(() => this.current.flags);
  readonly settings = delegating(() => this.current.settings);
  readonly spaces = delegating(() => this.current.spaces);
  readonly registry = delegating(() => this.current.registry);
  readonly requests = delegating(() => this.current.requests);
  readonly conversations = delegating(() => this.current.conversations);
  readonly feedback = delegating(() => this.current.feedback);
  readonly preferences = delegating(() => this.current.preferences);
  readonly knowledge = delegating(() => this.current.knowledge);
  readonly review = delegating(() => this.current.review);
  readonly datasets = delegating(() => this.current.datasets);
  readonly trainingRuns = delegating(() => this.current.trainingRuns);
  readonly routers = delegating(() => this.current.routers);
  readonly evaluations = delegating(() => this.current.evaluations);

  constructor(private readonly embedded: TriadStore) {
    this.current = embedded;
  }

  get backend(): TriadStore['backend'] {
    return this.current.backend;
  }

  /** True while calls go to the embedded store. */
  get usingEmbedded(): boolean {
    return this.current === this.embedded;
  }

  /** From now on, calls go to `store`; the embedded store when undefined. */
  use(store: TriadStore | undefined): void {
    this.current = store ?? this.embedded;
  }

  /** Closes the embedded store; a team store in use is its controller's to close. */
  close(): Promise<void> {
    return this.embedded.close();
  }
}
