import { checkFreshness } from './freshness.js';

const NOW = 1_800_000_000;
const minutesAgo = (minutes: number) => new Date((NOW - minutes * 60) * 1000);

describe('checkFreshness (Flask-Security check_and_update_authn_fresh)', () => {
  it('never checks when within < 0, and Basic is always fresh', () => {
    expect(checkFreshness({ method: 'session', authenticatedAt: null, withinMinutes: -1, graceSeconds: 0, now: NOW }).fresh).toBe(true);
    expect(checkFreshness({ method: 'basic', authenticatedAt: null, withinMinutes: 0, graceSeconds: 0, now: NOW }).fresh).toBe(true);
  });

  it('is fresh within the window and starts a grace period (sessions)', () => {
    const result = checkFreshness({ method: 'session', authenticatedAt: minutesAgo(4), withinMinutes: 5, graceSeconds: 600, now: NOW });
    expect(result).toEqual({ fresh: true, graceExpiresAt: NOW + 600 });
  });

  it('is stale outside the window, and for an authentication time too far in the future', () => {
    expect(checkFreshness({ method: 'session', authenticatedAt: minutesAgo(6), withinMinutes: 5, graceSeconds: 0, now: NOW }).fresh).toBe(
      false,
    );
    expect(checkFreshness({ method: 'session', authenticatedAt: minutesAgo(-6), withinMinutes: 5, graceSeconds: 0, now: NOW }).fresh).toBe(
      false,
    );
  });

  it('is fresh inside the grace period even when the window has passed, and extends it', () => {
    const result = checkFreshness({
      method: 'session',
      authenticatedAt: minutesAgo(60),
      withinMinutes: 5,
      graceSeconds: 300,
      graceExpiresAt: NOW + 10,
      now: NOW,
    });
    expect(result).toEqual({ fresh: true, graceExpiresAt: NOW + 300 });
  });

  it('within 0: stale outside the grace period, and a refusal starts none', () => {
    expect(checkFreshness({ method: 'session', authenticatedAt: minutesAgo(0), withinMinutes: 0, graceSeconds: 60, now: NOW })).toEqual({
      fresh: false,
    });
    const inGrace = { method: 'session' as const, authenticatedAt: minutesAgo(30), withinMinutes: 0, graceSeconds: 60, now: NOW };
    expect(checkFreshness({ ...inGrace, graceExpiresAt: NOW + 5 })).toEqual({ fresh: true, graceExpiresAt: NOW + 60 });
    expect(checkFreshness({ ...inGrace, graceExpiresAt: NOW - 1 })).toEqual({ fresh: false });
  });

  it('a stale session gets no grace period written', () => {
    expect(checkFreshness({ method: 'session', authenticatedAt: minutesAgo(10), withinMinutes: 5, graceSeconds: 600, now: NOW })).toEqual({
      fresh: false,
    });
  });

  it('token auth: fs_paa alone decides (no grace period), and an unknown time is never fresh', () => {
    expect(checkFreshness({ method: 'token', authenticatedAt: minutesAgo(1), withinMinutes: 5, graceSeconds: 60, now: NOW })).toEqual({
      fresh: true,
      graceExpiresAt: undefined,
    });
    expect(checkFreshness({ method: 'token', authenticatedAt: null, withinMinutes: 5, graceSeconds: 60, now: NOW }).fresh).toBe(false);
    expect(
      checkFreshness({
        method: 'token',
        authenticatedAt: minutesAgo(1),
        withinMinutes: 5,
        graceSeconds: 60,
        graceExpiresAt: NOW + 100,
        now: NOW,
      }),
    ).toEqual({ fresh: true, graceExpiresAt: undefined });
  });
});
