import { describe, expect, it } from 'vitest';
import { classifyAbstractionIntent } from '../../src-main/llm/abstraction-intent';

describe('abstraction intent classifier', () => {
  it.each([
    ['What churn rate is typical across similar businesses?', 'across similar businesses'],
    ['How does our margin compare to competitors?', 'compare to competitors'],
    ['What is the industry average for days sales outstanding?', 'industry average'],
    ['Show me pricing trends in the retail sector', 'trends in the retail sector'],
    ['Give me a benchmark for onboarding time', 'benchmark'],
    ['What do other companies in logistics do about returns?', 'other companies'],
    ['Which patterns show up among comparable firms after a price rise?', 'among comparable firms'],
    // One per word of the classifier's quick pre-check, so that a word missing from it shows here.
    ['Is our churn high relative to others?', 'relative to others'],
    ['How do we rank in our peer group?', 'peer group'],
    ['What do organisations between industries share?', 'between industries'],
    ['Are there market-wide norms for refunds?', 'market-wide'],
    ['What do comparable clients pay?', 'comparable clients'],
    ['Which rules hold among customers?', 'among customers'],
    ['How do we stand versus the sector?', 'versus the sector'],
    ['What is normal among BUSINESSES like ours?', 'among businesses'],
  ])('routes %j to Abstraction, quoting %j', (question, signal) => {
    const intent = classifyAbstractionIntent(question);
    expect(intent.matched).toBe(true);
    expect(intent.signals).toContain(signal.toLowerCase());
  });

  it.each([
    'What were the trends in our sales last quarter?',
    'Summarise the patterns in this support ticket',
    'What is the capital of France?',
    'Draft an email to our supplier about the late delivery',
  ])('keeps %j out of Abstraction (own data or general knowledge)', (question) => {
    expect(classifyAbstractionIntent(question)).toEqual({ matched: false, signals: [] });
  });

  it('lists each signal once, in the order it appears', () => {
    const intent = classifyAbstractionIntent('Across similar businesses, what is the industry average? Any industry average data?');
    expect(intent.signals).toEqual(['across similar businesses', 'industry average']);
  });
});
