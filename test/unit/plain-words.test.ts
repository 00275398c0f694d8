import { describe, expect, it } from 'vitest';
import { localUsers } from '../../local/tokens.ts';
import { aslStateNames, engineeringStateNames, engineeringWordsIn } from '../support/plain-words.ts';

describe('the content check: what a reader must not see', () => {
  it('knows the workflow’s state names, and treats only names of several words as engineering', () => {
    expect(aslStateNames()).toContain('CollateReport');
    expect(engineeringStateNames()).toContain('CollateReport');
    expect(engineeringStateNames().every((name) => /[a-z][A-Z]/.test(name))).toBe(true);
  });

  it('finds an ISO instant, a user id, an id and a state name, and passes plain words', () => {
    const stateName = engineeringStateNames()[0]!;

    expect(engineeringWordsIn('Received at 5pm on Tuesday 17 March 2026 by Pat (demo).')).toEqual([]);
    expect(engineeringWordsIn('Received at 2026-03-17T17:00:00Z.')).toEqual([
      expect.stringMatching(/^an ISO instant: /),
    ]);
    expect(engineeringWordsIn(`Who: Partnership team (${localUsers['partnership-team'].id})`)).toEqual([
      expect.stringMatching(/^a user id: /),
    ]);
    expect(engineeringWordsIn('Case 5e1d0c2a-9b8f-4e7d-a6c5-b4a392817060')).toEqual([
      expect.stringMatching(/^an id: /),
    ]);
    // A link may carry an id or a time; the words around it may not.
    expect(
      engineeringWordsIn(
        'Open the case: https://reviews.example.org/cases/5e1d0c2a-9b8f-4e7d-a6c5-b4a392817060?after=2026-03-17T17:00:00Z',
      ),
    ).toEqual([]);
    expect(engineeringWordsIn(`Stopped at ${stateName}.`)).toEqual([
      expect.stringMatching(new RegExp(`^the state name ${stateName}: `)),
    ]);
  });
});
