import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  parseTimetableArgs,
  planTimetableFromArgs,
  runTimetableCommand,
  TimetableArgumentError,
} from '../../scripts/timetable.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the command in this process, as `npm run timetable -- <args>` would: what it printed and its exit status. */
function timetableCommand(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = runTimetableCommand(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { status, stdout, stderr };
}

describe('npm run timetable', () => {
  it('prints the timetable as JSON with --json', () => {
    const { status, stdout, stderr } = timetableCommand(
      '--received',
      '2026-12-18T16:30:00Z',
      '--aware',
      '2026-12-10',
      '--panel-notified',
      '2026-12-18',
      '--json',
    );

    expect(stderr).toBe('');
    expect(status).toBe(0);
    const printed = JSON.parse(stdout);
    expect(Object.keys(printed)).toEqual([
      'day1',
      'milestones',
      'notificationDueBy',
      'notificationLate',
      'panelDueBy',
      'localDueDate',
      'governingDueDate',
      'governedBy',
      'workingDaysApart',
      'panelNotifiedLate',
      'partnershipToldLate',
      'escalationLadder',
    ]);
    expect(printed).toMatchObject({
      day1: '2026-12-18',
      notificationDueBy: '2026-12-17',
      notificationLate: true,
      panelDueBy: '2027-01-13',
    });
    expect(printed.milestones[0]).toEqual({
      day: 1,
      name: 'Requests sent to agencies',
      date: '2026-12-18',
      startsAt: '2026-12-18T09:00:00Z',
      dueAt: '2026-12-18T17:00:00Z',
    });
    expect(printed.milestones.map((step: { day: number; date: string }) => [step.day, step.date])).toEqual([
      [1, '2026-12-18'],
      [7, '2026-12-30'],
      [10, '2027-01-05'],
      [11, '2027-01-06'],
      [12, '2027-01-07'],
      [14, '2027-01-11'],
      [15, '2027-01-12'],
    ]);
    expect(printed.escalationLadder).toEqual([
      { kind: 'reminder', day: 7, date: '2026-12-30', at: '2026-12-30T09:00:00Z' },
      { kind: 'lead-copied', day: 10, date: '2027-01-05', at: '2027-01-05T17:00:00Z' },
      { kind: 'formal-request', day: 10, date: '2027-01-05', at: '2027-01-05T17:00:00Z' },
    ]);
  });

  it('prints a table in London time, showing the change from BST to GMT', () => {
    const { status, stdout } = timetableCommand('--received', '2026-10-23T10:00:00+01:00');

    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}1 {2}Requests sent to agencies +Fri 23 Oct 2026 {2}09:00 BST {2}17:00 BST$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}7 {2}Reminder to agencies +Mon {2}2 Nov 2026 {2}09:00 GMT {2}17:00 GMT$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ 15 {2}Outcome to the Panel +Thu 12 Nov 2026 {2}09:00 GMT {2}17:00 GMT$/),
    );
    expect(stdout).toContain('Notification to the Panel due by: not known (give --aware)');
    expect(stdout).toContain('Panel expects the rapid review by: not known (give --panel-notified)');
  });

  it('says in the table whether the notification was late and when the Panel expects the review', () => {
    const { stdout } = timetableCommand(
      '--received=2026-12-18T16:30:00Z',
      '--aware=2026-12-14',
      '--panel-notified=2026-12-18',
    );

    expect(stdout).toContain(
      'Notification to the Panel due by: Mon 21 Dec 2026 (Panel notified on time; partnership told on time)',
    );
    expect(stdout).toContain('Panel expects the rapid review by: Wed 13 Jan 2027');
  });

  it.each([
    [['--recieved', '2026-12-18T16:30:00Z'], '--recieved'],
    [['--aware', '2026-12-14'], '--received'],
    [['--received', '2026-12-18T16:30:00'], '--received'],
    [['--received', '2026-12-18T16:30:00Z', '--aware', '2026-02-30'], '--aware'],
    [['--received', '2040-01-05T10:00:00Z'], '--received'],
  ])('answers %j with one line on stderr naming %s, and exit status 2', (args, argument) => {
    const { status, stdout, stderr } = timetableCommand(...args);

    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`${argument}:`);
  });
});

describe('parseTimetableArgs', () => {
  it('reads every flag, in either --flag value or --flag=value form', () => {
    expect(
      parseTimetableArgs([
        '--json',
        '--received=2026-12-18T16:30:00Z',
        '--aware',
        '2026-12-14',
        '--panel-notified',
        '2026-12-18',
      ]),
    ).toEqual({
      request: { receivedAt: '2026-12-18T16:30:00Z', awareOn: '2026-12-14', panelNotifiedOn: '2026-12-18' },
      json: true,
    });
  });

  it.each([
    [['--received', '2026-12-18T16:30:00Z', '--colour'], '--colour', 'unknown argument'],
    [['--received', '2026-12-18T16:30:00Z', 'extra'], 'extra', 'unknown argument'],
    [['--received', '2026-12-18T16:30:00Z', '--json=yes'], '--json=yes', 'unknown argument'],
    [['--received'], '--received', 'needs a value'],
    [['--received', '--json'], '--received', 'needs a value'],
    [
      ['--received', '2026-12-18T16:30:00Z', '--received', '2026-12-19T10:00:00Z'],
      '--received',
      'more than once',
    ],
    [[], '--received', 'is required'],
  ])('refuses %j, naming %s', (argv, argument, problem) => {
    expect(() => parseTimetableArgs(argv)).toThrow(
      expect.objectContaining({ name: 'TimetableArgumentError', argument }),
    );
    expect(() => parseTimetableArgs(argv)).toThrow(problem);
  });
});

describe('planTimetableFromArgs', () => {
  it.each([
    [{ receivedAt: '2026-12-18 16:30' }, '--received'],
    [{ receivedAt: '2026-12-18T16:30:00Z', awareOn: '2026-13-01' }, '--aware'],
    [{ receivedAt: '2026-12-18T16:30:00Z', panelNotifiedOn: '2026-02-29' }, '--panel-notified'],
    [{ receivedAt: '2009-12-29T10:00:00Z' }, '--received'],
    [{ receivedAt: '2030-12-20T10:00:00Z' }, '--received'],
    [{ receivedAt: '2026-12-18T16:30:00Z', awareOn: '2030-12-30' }, '--aware'],
    [
      { receivedAt: '2026-12-18T16:30:00Z', awareOn: '2026-12-14', panelNotifiedOn: '2009-05-01' },
      '--panel-notified',
    ],
  ])('blames %o on %s', (request, argument) => {
    expect(() => planTimetableFromArgs(request)).toThrow(TimetableArgumentError);
    expect(() => planTimetableFromArgs(request)).toThrow(expect.objectContaining({ argument }));
  });
});

describe('runTimetableCommand', () => {
  it('prints the usage line for --help and succeeds', () => {
    const { status, stdout, stderr } = timetableCommand('--help');

    expect(status).toBe(0);
    expect(stdout).toMatch(/^usage: npm run timetable -- --received .*\n$/);
    expect(stderr).toBe('');
  });
});

describe('the real command, as the README runs it', () => {
  /** `npm run timetable -- <args>` in the project, under the Node running the tests (Node 24). */
  function npmRunTimetable(...args: string[]) {
    return spawnSync('npm', ['run', 'timetable', '--', ...args], {
      cwd: projectRoot,
      encoding: 'utf8',
      // tsx starts whichever `node` is first on PATH; make it this one, not an older system node.
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
      timeout: 60_000,
    });
  }

  it('prints what the command prints in-process and exits 0, or names a bad argument and exits 2', () => {
    const args = [
      '--received',
      '2026-12-18T16:30:00Z',
      '--aware',
      '2026-12-15',
      '--panel-notified',
      '2026-12-17',
    ];

    const good = npmRunTimetable(...args);
    const bad = npmRunTimetable('--recieved', '2026-12-18T16:30:00Z');

    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    // npm first echoes the script it runs; the command's own output follows.
    expect(good.stdout).toMatch(/^\n> [^\n]+ timetable\n> tsx scripts\/timetable\.ts [^\n]+\n\n/);
    expect(good.stdout.endsWith(timetableCommand(...args).stdout)).toBe(true);
    expect(bad.status).toBe(2);
    expect(bad.stdout).not.toContain('Rapid Review timetable');
    expect(bad.stderr).toMatch(/^timetable: --recieved: unknown argument/);
    // Two npm processes, each starting tsx: on a loaded machine more than vitest's default 5 s.
  }, 60_000);
});
