import type { SecretStore } from '../../../secrets/secret-store';
import type { SpaceConfigRepository } from '../../../store/repositories';

/** How long a computed notice is reused: the status view is recomputed on every request's start and finish. */
const NOTICE_TTL_MS = 5_000;

/**
 * The one line the status bar shows while a tier has a Space but no Hugging Face token can be read: Spaces are
 * then called without one (public ones answer, private ones refuse with 401/403/404), so the operator learns it
 * once here instead of from every failed attempt. Nothing to say when no Space is active, or a token is set.
 */
export class SpaceTokenNotice {
  private cached: { at: number; notice: Promise<string | undefined> } | undefined;

  constructor(
    private readonly secrets: Pick<SecretStore, 'status'>,
    private readonly spaces: Pick<SpaceConfigRepository, 'list'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The notice, or undefined when there is nothing to say; never throws. */
  read(): Promise<string | undefined> {
    if (!this.cached || this.now() - this.cached.at > NOTICE_TTL_MS) {
      this.cached = { at: this.now(), notice: this.compute().catch(() => undefined) };
    }
    return this.cached.notice;
  }

  /** A token was saved or cleared, or a Space changed: the next read computes the notice again. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async compute(): Promise<string | undefined> {
    const spaces = await this.spaces.list();
    if (!spaces.some((space) => space.isActive)) return undefined;
    const { keychain, secrets } = await this.secrets.status();
    if (secrets['huggingface-token'] !== 'unset') return undefined;
    const consequence = 'Spaces are called without one, so only public Spaces answer';
    return keychain.available
      ? `No Hugging Face token is set: ${consequence}. Set one in Settings → API keys, or HF_TOKEN.`
      : `No Hugging Face token can be read (${keychain.detail}): ${consequence}. Set HF_TOKEN in the environment Triad starts in.`;
  }
}
