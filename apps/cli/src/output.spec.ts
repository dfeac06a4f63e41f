import { age, clip, Output, printable, time, wantsColour, type Stream } from './output';

class Captured implements Stream {
  text = '';
  constructor(readonly isTTY = false) {}
  write(text: string) {
    this.text += text;
    return true;
  }
}

describe('what the CLI prints', () => {
  it('colours a terminal only, and never with NO_COLOR or TERM=dumb', () => {
    expect(wantsColour(new Captured(true), {})).toBe(true);
    expect(wantsColour(new Captured(false), {})).toBe(false);
    expect(wantsColour(new Captured(true), { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour(new Captured(true), { TERM: 'dumb' })).toBe(false);

    const terminal = new Captured(true);
    const out = new Output('table', terminal, new Captured(), {});
    out.table(['status'], [['triggered']], { 0: () => 'red' });
    expect(terminal.text).toBe('\u001b[1mSTATUS\u001b[22m\n\u001b[31mtriggered\u001b[39m\n');
    const piped = new Captured(false);
    new Output('table', piped, new Captured(), {}).table(['status'], [['triggered']], { 0: () => 'red' });
    expect(piped.text).toBe('STATUS\ntriggered\n');
  });

  it("shows the API's text without letting it drive the terminal", () => {
    expect(printable('fine\u001b[2J\u0007 text\u202e')).toBe('fine\\x1b[2J\\x07 text');
    expect(printable('two\nlines\tand tab')).toBe('two lines and tab');
    expect(printable('two\nlines', true)).toBe('two\nlines');
    expect(printable('Straße ☕')).toBe('Straße ☕');
  });

  it('aligns columns, marks empty cells, clips long ones', () => {
    const stream = new Captured();
    const out = new Output('table', stream, new Captured(), {});
    out.table(['id', 'title', 'owner'], [['inc-1', 'short', undefined], ['inc-22', 'x'.repeat(100), 'dana']]);
    const lines = stream.text.split('\n');
    expect(lines[0]).toBe(`ID       TITLE${' '.repeat(67)}   OWNER`);
    expect(lines[1]).toBe(`inc-1    short${' '.repeat(67)}   -`);
    expect(lines[2]).toBe(`inc-22   ${'x'.repeat(71)}…   dana`);
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('abcd', 3)).toBe('ab…');
  });

  it('prints errors with each field the API named', () => {
    const err = new Captured();
    new Output('json', new Captured(), err, {}).error('title: too short', [{ path: 'title', rule: 'too_small', message: 'too short' }]);
    expect(err.text).toBe('error: title: too short\n  - title: too short (too_small)\n');
  });

  it('says times in UTC to the second, and ages as kubectl does', () => {
    expect(time('2026-03-01T09:00:00.123Z')).toBe('2026-03-01 09:00:00Z');
    expect(time('2026-03-01T10:00:00+01:00')).toBe('2026-03-01 09:00:00Z');
    expect(time(undefined)).toBeUndefined();
    const now = Date.parse('2026-03-01T12:00:00Z');
    expect(age('2026-03-01T11:59:15Z', now)).toBe('45s');
    expect(age('2026-03-01T11:48:00Z', now)).toBe('12m');
    expect(age('2026-03-01T09:00:00Z', now)).toBe('3h');
    expect(age('2026-02-24T12:00:00Z', now)).toBe('5d');
  });
});
