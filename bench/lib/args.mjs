// The runners' integer options: a value out of range is refused with a clear message (exit 2) before anything runs.

/** `values[name]` as an integer in min..max, or the message (and `usage`, when given) and exit code 2. */
export function intOption(values, name, min, max, usage = '') {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be an integer in ${min}..${max}${usage ? `\n${usage}` : ''}`);
    process.exit(2);
  }
  return n;
}
