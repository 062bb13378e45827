/**
 * Lifetimes are given as seconds or, as in Flask-Security's config, as
 * "<amount> <unit>" strings ("5 days", "30 minutes").
 */
export type Duration = number | string;

const UNIT_SECONDS: Record<string, number> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86400,
  week: 604800,
};

/** Seconds in a Duration; throws a one-line message for anything unreadable. */
export function durationToSeconds(value: Duration, label = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`${label} must be a non-negative number of seconds`);
    return value;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+?)s?\s*$/i.exec(String(value));
  const unit = match && UNIT_SECONDS[match[2].toLowerCase()];
  if (!match || !unit) throw new Error(`${label} must be seconds or "<n> seconds|minutes|hours|days|weeks", got "${value}"`);
  return Number(match[1]) * unit;
}
