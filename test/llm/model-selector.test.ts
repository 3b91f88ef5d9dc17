import { describe, expect, it } from 'vitest';
import { ChatRequestSchema, type ChatRequestInput } from '../../src-shared/chat';
import type { FeatureFlags } from '../../src-shared/feature-flags';
import { TriadError } from '../../src-shared/errors';
import { chooseProvider, chooseTier } from '../../src-main/llm/model-selector';
import type { UserAccess } from '../../src-main/store/repositories';

const USER_ID = '11111111-1111-4111-8111-111111111111';
const analyst: UserAccess = { id: USER_ID, displayName: 'Ana', role: 'analyst', companySlugs: ['acme'] };
const allOn: FeatureFlags = { provider: 'local', openaiEnabled: false, tiers: { base: true, company: true, abstraction: true }, learnedRouter: false };

function choose(request: Partial<ChatRequestInput> & { prompt?: string; company?: string }, flags = allOn, user = analyst) {
  const parsed = ChatRequestSchema.parse({
    messages: [{ role: 'user', content: request.prompt ?? 'What is a good way to structure a meeting?' }],
    context: { userId: USER_ID, company: request.company },
    tier: request.tier,
  });
  return chooseTier({ request: parsed, user, flags });
}

function rejection(run: () => unknown): TriadError {
  try {
    run();
  } catch (error) {
    if (TriadError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('model selector rules (auto)', () => {
  it('sends a company question to Company when the user has access, and says why', () => {
    expect(choose({ company: 'acme', prompt: 'What is our refund policy?' })).toEqual({
      tier: 'company',
      reason: "company context 'acme' and user has access",
    });
  });

  it('never sends a user to a company they cannot see: Base, with the reason', () => {
    expect(choose({ company: 'globex', prompt: 'What is our refund policy?' })).toEqual({
      tier: 'base',
      reason: "general question; user has no access to company 'globex'",
    });
  });

  it('sends a cross-business question to Abstraction, even with a company context', () => {
    const choice = choose({ company: 'acme', prompt: 'What refund rate is typical across similar businesses?' });
    expect(choice.tier).toBe('abstraction');
    expect(choice.reason).toBe("cross-business question ('across similar businesses')");
  });

  it('sends a general question without context to Base', () => {
    expect(choose({})).toEqual({ tier: 'base', reason: 'general question, no company context' });
  });

  it('never chooses a disabled tier and says which was skipped', () => {
    const flags = { ...allOn, tiers: { ...allOn.tiers, abstraction: false } };
    expect(choose({ company: 'acme', prompt: 'What is the industry average churn?' }, flags)).toEqual({
      tier: 'company',
      reason: "company context 'acme' and user has access (abstraction tier is off)",
    });
  });

  it('reports no tier available when every matching tier is off', () => {
    const flags = { ...allOn, tiers: { base: false, company: false, abstraction: false } };
    expect(rejection(() => choose({ company: 'acme' }, flags)).code).toBe('no_tier_available');
  });
});

describe('model selector rules (explicit tier)', () => {
  it('honours an explicit tier the user may use', () => {
    expect(choose({ tier: 'abstraction', prompt: 'hello' })).toEqual({ tier: 'abstraction', reason: 'abstraction tier requested by the user' });
    expect(choose({ tier: 'company', company: 'acme' }).tier).toBe('company');
  });

  it('refuses the Company tier for a company the user cannot see', () => {
    const error = rejection(() => choose({ tier: 'company', company: 'globex' }));
    expect(error.toShape()).toMatchObject({ code: 'forbidden', tier: 'company', message: "user has no access to company 'globex'" });
  });

  it('refuses the Company tier without a company context, naming the field', () => {
    const error = rejection(() => choose({ tier: 'company' }));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain('context.company');
  });

  it('refuses an explicitly requested disabled tier, naming the flag', () => {
    const flags = { ...allOn, tiers: { ...allOn.tiers, base: false } };
    const error = rejection(() => choose({ tier: 'base' }, flags));
    expect(error.toShape()).toMatchObject({ code: 'tier_disabled', tier: 'base' });
    expect(error.message).toContain('tier.base.enabled');
  });
});

describe('provider choice', () => {
  const parse = (provider?: 'openai' | 'local' | 'huggingface') =>
    ChatRequestSchema.parse({ messages: [{ role: 'user', content: 'hi' }], context: { userId: USER_ID }, provider });

  it('uses the flagged provider unless the user picks another', () => {
    expect(chooseProvider({ request: parse(), user: analyst, flags: allOn })).toBe('local');
    expect(chooseProvider({ request: parse('huggingface'), user: analyst, flags: allOn })).toBe('huggingface');
  });

  it('refuses OpenAI while its flag is off, and allows it when on', () => {
    const error = rejection(() => chooseProvider({ request: parse('openai'), user: analyst, flags: allOn }));
    expect(error.toShape()).toMatchObject({ code: 'provider_disabled', provider: 'openai' });
    expect(chooseProvider({ request: parse('openai'), user: analyst, flags: { ...allOn, openaiEnabled: true } })).toBe('openai');
  });
});
