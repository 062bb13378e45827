import { PasswordHasher } from './password-hasher.js';
import { costClassOf, TimingFloor } from './timing-floor.js';

/** A clock the test moves, and a wait that records what it was asked and moves the clock. */
function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    advance: (ms: number) => (now += ms),
    options: {
      now: () => now,
      wait: async (ms: number) => {
        waits.push(ms);
        now += ms;
      },
    },
  };
}

describe('costClassOf', () => {
  it('keeps scheme and cost parameters, drops salt and checksum', () => {
    expect(costClassOf('$2b$12$' + 'a'.repeat(53))).toBe('$2b$12');
    expect(costClassOf('$2a$10$' + 'a'.repeat(53))).toBe('$2a$10');
    expect(costClassOf('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g')).toBe('$argon2id$v=19$m=19456,t=2,p=1');
    expect(costClassOf('$5$rounds=535000$salt$' + 'a'.repeat(43))).toBe('$5$rounds=535000');
    expect(costClassOf('$5$salt$' + 'a'.repeat(43))).toBe('$5');
    expect(costClassOf('$pbkdf2-sha512$25000$c2FsdA$Y2hlY2s')).toBe('$pbkdf2-sha512$25000');
    expect(costClassOf('pbkdf2:sha256:600000$salt$' + 'ab'.repeat(32))).toBe('pbkdf2:sha256:600000');
    expect(costClassOf('scrypt:32768:8:1$salt$' + 'ab'.repeat(64))).toBe('scrypt:32768:8:1');
  });

  it('puts junk in a class of its own', () => {
    for (const junk of ['junk', '$', '$x$', 'plain text password']) expect(costClassOf(junk)).toBe('other');
    expect(costClassOf(null)).toBe('none');
    expect(costClassOf('')).toBe('none');
  });
});

describe('TimingFloor', () => {
  it('the floor is the highest median over the classes', () => {
    const floor = new TimingFloor();
    for (const ms of [40, 42, 900]) floor.record('$argon2id', ms); // one slow outlier does not count
    expect(floor.floorMs).toBe(42);
    for (const ms of [250, 260, 270]) floor.record('$2b$12', ms);
    expect(floor.floorMs).toBe(260);
  });

  it('checks of other classes do not lower it (no flushing by unknown-address logins)', () => {
    const floor = new TimingFloor({ samplesPerClass: 5 });
    floor.record('$2b$12', 300);
    for (let i = 0; i < 1000; i++) floor.record('$argon2id', 40);
    expect(floor.floorMs).toBe(300);
  });

  it('a class forgets old durations, and the least recently checked class goes first', () => {
    const floor = new TimingFloor({ samplesPerClass: 3, maxClasses: 2 });
    for (const ms of [500, 500, 500, 100, 100]) floor.record('a', ms);
    expect(floor.floorMs).toBe(100);
    floor.record('b', 50);
    floor.record('c', 60); // drops 'a'
    expect(floor.floorMs).toBe(60);
  });

  it('forgets a class not checked for a day', () => {
    const time = fakeTime();
    const floor = new TimingFloor(time.options);
    floor.record('$6$rounds=656000', 1100);
    time.advance(23 * 3600 * 1000);
    floor.record('$argon2id', 40);
    expect(floor.floorMs).toBe(1100);
    time.advance(2 * 3600 * 1000);
    floor.record('$argon2id', 40);
    expect(floor.floorMs).toBe(40);
  });

  it('never exceeds the ceiling', () => {
    const floor = new TimingFloor({ ceilingMs: 1000 });
    floor.record('$5$rounds=10000000', 20_000);
    expect(floor.floorMs).toBe(1000);
  });

  it('pads a faster check to the floor, and not a slower one', async () => {
    const time = fakeTime();
    const floor = new TimingFloor(time.options);
    await floor.padded('$2b$12', async () => time.advance(250));
    expect(time.waits).toEqual([]);
    const result = await floor.padded('$argon2id', async () => {
      time.advance(40);
      return 'verified';
    });
    expect(result).toBe('verified');
    expect(time.waits).toEqual([210]);
  });

  it('pads a check that throws too, then rethrows', async () => {
    const time = fakeTime();
    const floor = new TimingFloor(time.options);
    floor.record('slow', 100);
    await expect(
      floor.padded('fast', async () => {
        time.advance(10);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(time.waits).toEqual([90]);
  });

  it('with real hashes: an unknown account (argon2id dummy) takes as long as a bcrypt account', async () => {
    const bcrypt = new PasswordHasher({ passwordSalt: 'salt', scheme: 'bcrypt', bcryptRounds: 12 });
    const argon2 = new PasswordHasher({ passwordSalt: 'salt' });
    const stored = await bcrypt.hash('correct horse battery');
    const dummy = await argon2.hash('not anyone password');
    const floor = new TimingFloor();
    const timed = async (hash: string) => {
      const started = performance.now();
      const ok = await floor.padded(costClassOf(hash), () => argon2.verify('a wrong guess', hash));
      return { ok, ms: performance.now() - started };
    };

    const bcryptChecks = [await timed(stored), await timed(stored), await timed(stored)];
    const unknownChecks = [await timed(dummy), await timed(dummy), await timed(dummy)];
    expect([...bcryptChecks, ...unknownChecks].every((c) => c.ok === false)).toBe(true);

    // The floor was learned from the bcrypt checks; argon2id alone costs less than that.
    const bcryptMedian = bcryptChecks.map((c) => c.ms).sort((a, b) => a - b)[1];
    expect(floor.floorMs).toBeGreaterThan(0.5 * bcryptMedian);
    // Timers do not fire early (allow 2 ms of rounding): every unknown-account check lasts the floor.
    for (const c of unknownChecks) expect(c.ms).toBeGreaterThanOrEqual(floor.floorMs - 2);
  });
});
