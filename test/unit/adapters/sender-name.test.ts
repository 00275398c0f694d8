import { describe, expect, it } from 'vitest';
import { senderWithName } from '../../../shared/adapters/mailer.ts';

describe('the From header names the partnership', () => {
  it('quotes a plain name before the address, escaping its quotes and backslashes', () => {
    expect(senderWithName('Exampleshire Safeguarding Children Partnership (demo)', 'r@example.org')).toBe(
      '"Exampleshire Safeguarding Children Partnership (demo)" <r@example.org>',
    );
    expect(senderWithName('A "B" \\ C', 'r@example.org')).toBe('"A \\"B\\" \\\\ C" <r@example.org>');
  });

  it('encodes a name beyond ASCII in encoded words of at most 75 characters that decode to it', () => {
    const name = 'Ynys Môn and Gwynedd – a long invented partnership name with accents: é à ü ő ł';
    const from = senderWithName(name, 'r@example.org');
    const words = from.replace(/ <r@example\.org>$/, '').split(' ');

    expect(from.endsWith(' <r@example.org>')).toBe(true);
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    const decoded = words
      .map((word) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(word)?.[1] ?? '', 'base64').toString('utf8'))
      .join('');
    expect(decoded).toBe(name);
  });

  it('folds runs of white space and keeps the bare address for an empty name', () => {
    expect(senderWithName('  Exampleshire \n Partnership ', 'r@example.org')).toBe(
      '"Exampleshire Partnership" <r@example.org>',
    );
    expect(senderWithName('   ', 'r@example.org')).toBe('r@example.org');
  });
});
