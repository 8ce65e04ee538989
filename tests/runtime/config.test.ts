import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, envBoolean, loadProtocol, parseProtocol } from '../../runtime/config.js';
import { parseDuration } from '../../domain/durations.js';

const example = readFileSync('config/concordat.example.yaml', 'utf8');

describe('protocol file', () => {
  it('loads the shipped example', () => {
    const p = loadProtocol({});
    expect(p.force.timeZone).toBe('Europe/London');
    expect(p.ladder.steps[0]?.after).toBe(30 * 60_000);
    expect(p.repeatDetention.window).toBe(365 * 24 * 3_600_000);
  });

  it('names the field of a bad duration', () => {
    const bad = example.replace('after: 1h', 'after: soon');
    expect(() => parseProtocol(bad, 'x.yaml')).toThrow(ConfigError);
    expect(() => parseProtocol(bad, 'x.yaml')).toThrow(/ladder\.steps\.2\.after: "soon" is not a duration/);
  });

  it('names an unknown contact in the ladder', () => {
    const bad = example.replace(
      'notify: [custody-inspector, la-on-call-manager]',
      'notify: [custody-inspectr]',
    );
    expect(() => parseProtocol(bad)).toThrow(
      /ladder\.steps\.2\.notify\.0: Unknown contact "custody-inspectr"/,
    );
  });

  it('names a bad time zone and bad office hours', () => {
    expect(() => parseProtocol(example.replace('timeZone: Europe/London', 'timeZone: Europe/Londn'))).toThrow(
      /force\.timeZone: Not an IANA time zone/,
    );
    expect(() => parseProtocol(example.replace("end: '17:00'", "end: '25:00'"))).toThrow(/officeHours\.end/);
  });

  it('names a missing file', () => {
    expect(() => loadProtocol({ CONCORDAT_CONFIG: 'config/nope.yaml' })).toThrow(
      /cannot read the file: ENOENT/,
    );
  });

  it('reports YAML syntax errors', () => {
    expect(() => parseProtocol('force: [unclosed')).toThrow(/not valid YAML/);
  });
});

describe('durations', () => {
  it.each([
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['45s', 45_000],
    ['PT45S', 45_000],
    ['PT1H30M', 5_400_000],
    ['P1D', 86_400_000],
    ['365d', 31_536_000_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'soon', '30', 'm', 'PT', '-5m'])('rejects %j', (text) =>
    expect(parseDuration(text)).toBeNull(),
  );
});

describe('envBoolean', () => {
  it('reads "false" as false, unlike z.coerce.boolean()', () => {
    expect(envBoolean.parse('false')).toBe(false);
    expect(envBoolean.parse('0')).toBe(false);
    expect(envBoolean.parse('no')).toBe(false);
    expect(envBoolean.parse('true')).toBe(true);
    expect(envBoolean.parse('yes')).toBe(true);
    // Unset or blank is left to the caller's default.
    expect(envBoolean.parse(undefined)).toBeUndefined();
    expect(envBoolean.parse('  ')).toBeUndefined();
    expect(() => envBoolean.parse('maybe')).toThrow(/Write true or false/);
  });
});
