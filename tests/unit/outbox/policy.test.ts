import { describe, expect, test } from 'vitest';
import { backoffMs, BASE_DELAY_MS, classify, MAX_DELAY_MS, MAX_RETRY_AFTER_MS, nextAttemptAt, retryAfterMs } from '../../../shared/outbox/policy';

describe('classify', () => {
  test.each([
    [200, 'sent'],
    [202, 'sent'],
    [204, 'sent'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [401, 'endpoint'],
    [403, 'endpoint'],
    [404, 'endpoint'],
    [400, 'split'],
    [413, 'split'],
    [422, 'split'],
    [302, 'retry'],
  ] as const)('%i → %s', (status, outcome) => expect(classify(status)).toBe(outcome));
});

describe('backoff', () => {
  test('full jitter: anywhere from 0 to the ceiling, which doubles per attempt up to the cap', () => {
    expect(backoffMs(1, () => 0)).toBe(0);
    expect(backoffMs(1, () => 0.999999)).toBe(BASE_DELAY_MS - 1);
    expect(backoffMs(3, () => 0.5)).toBe(2 * BASE_DELAY_MS);
    expect(backoffMs(50, () => 0.999999)).toBeLessThan(MAX_DELAY_MS);
    expect(backoffMs(10_000, () => 0.5)).toBe(MAX_DELAY_MS / 2);
  });

  test('Retry-After in seconds or as an HTTP date; capped; unreadable ignored', () => {
    const now = Date.parse('2026-11-22T08:00:00Z');
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Sun, 22 Nov 2026 08:02:00 GMT', now)).toBe(120_000);
    expect(retryAfterMs('Sun, 22 Nov 2026 07:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });

  test('the next attempt waits for the longer of the jittered backoff and Retry-After', () => {
    expect(nextAttemptAt(1000, 1, () => 0.5, null)).toBe(1000 + BASE_DELAY_MS / 2);
    expect(nextAttemptAt(1000, 1, () => 0.5, 60_000)).toBe(61_000);
  });
});
