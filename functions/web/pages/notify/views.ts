import type { MilestoneKey } from '../../../../shared/rapid-review-rules.ts';
import {
  addressInOneLine,
  type CrossBorder,
  childLabel,
  disabilityInWords,
  ethnicityInWords,
  formatNhsNumber,
  type NotifiedChild,
  type PlanStatus,
  type SeriousIncidentNotification,
} from '../../../../shared/schemas/notification.ts';
import { planDayOf, type Timetable } from '../../../../shared/schemas/timetable.ts';
import { formatDate as spellDate } from '../../../../shared/workflow/london-time.ts';
import { parallelProcessOptions } from './answers.ts';

/** How the notify pages show answers: dates in words, summary list rows for check your answers. */

/** 2026-03-04 → "4 March 2026"; with the weekday, "Wednesday 4 March 2026". */
export function formatDate(isoDate: string, options: { weekday?: boolean } = {}): string {
  return spellDate(isoDate, { weekday: options.weekday ?? false });
}

const sexWords: Record<NotifiedChild['sex'], string> = {
  female: 'Female',
  male: 'Male',
  'not-known': 'Not known',
};

/** When a plan or status applied, after its name on check your answers ("Child in need: previously"). */
const whenWords: Record<PlanStatus, string> = {
  current: 'now',
  previously: 'previously',
  never: 'never',
  'not-known': 'not known',
};

/** One line about a child for the list: their date of birth or age, or that they have neither. */
export function childDescription(child: NotifiedChild): string {
  if (child.dateOfBirth) return `Born ${formatDate(child.dateOfBirth)}`;
  if (child.ageYears !== undefined)
    return `Aged ${child.ageYears} ${child.ageYears === 1 ? 'year' : 'years'}`;
  return child.identity === 'unborn' ? 'Not yet born' : 'Date of birth and age not known';
}

/** The cross-border answer in words: which authority, why, and who leads. */
export function crossBorderWords(border: CrossBorder | undefined): string | { html: string } {
  if (!border) return 'No';
  return lines(
    border.otherLocalAuthority,
    border.connection === 'child-lives-there' ? 'The child lives there' : 'The incident happened there',
    border.leadPartnership === 'this'
      ? 'This partnership leads the review'
      : 'Their partnership leads the review',
  );
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Lines as HTML, each escaped, one per line. */
function lines(...texts: string[]): { html: string } {
  return { html: texts.map(escapeHtml).join('<br>') };
}

export interface SummaryRow {
  key: { text: string };
  value: { text: string } | { html: string };
  actions?: { items: { href: string; text: string; visuallyHiddenText: string }[] };
}

export interface CheckSection {
  heading: string;
  rows: SummaryRow[];
  /** A Change link for the whole section (lists of children and agencies). */
  changeHref?: string;
  /** What the whole-section link adds or removes: "children", "agencies". */
  listName?: string;
}

function row(
  key: string,
  value: string | { html: string },
  href: string,
  hidden = key.toLowerCase(),
): SummaryRow {
  return {
    key: { text: key },
    value: typeof value === 'string' ? { text: value } : value,
    actions: { items: [{ href, text: 'Change', visuallyHiddenText: hidden }] },
  };
}

/** The answers as check your answers shows them, each with a Change link to its page. */
export function checkAnswerSections(notification: Partial<SeriousIncidentNotification>): CheckSection[] {
  const sections: CheckSection[] = [];
  const incident = notification.incident;
  if (incident) {
    const href = '/notify/incident?change=yes';
    sections.push({
      heading: 'Incident',
      rows: [
        row('What happened', incident.kind === 'death' ? 'Death' : 'Serious harm', href),
        row('Date of incident', formatDate(incident.occurredOn), href),
        row(
          'Local authority became aware',
          formatDate(incident.localAuthorityAwareOn),
          href,
          'date the local authority became aware',
        ),
        row('Panel notified', formatDate(incident.panelNotifiedOn), href, 'date the Panel was notified'),
        row('Where it happened', incident.location, href),
        row('Panel reference', incident.panelReference, href),
        row('Notifying local authority', notification.notifyingLocalAuthority ?? '', href),
        row('Summary', incident.summary ?? 'None given', href),
        ...(notification.deathNotifications
          ? [
              row(
                'Secretary of State notified',
                formatDate(notification.deathNotifications.secretaryOfStateNotifiedOn),
                href,
                'date the Secretary of State was notified',
              ),
              row(
                'Ofsted notified',
                formatDate(notification.deathNotifications.ofstedNotifiedOn),
                href,
                'date Ofsted was notified',
              ),
            ]
          : []),
        row(
          'Crosses a local authority border',
          crossBorderWords(notification.crossBorder),
          href,
          'cross-border',
        ),
      ],
    });
  }
  if (notification.children?.length) {
    sections.push({
      heading: notification.children.length === 1 ? 'Child' : 'Children',
      changeHref: '/notify/children?change=yes',
      listName: 'children',
      rows: notification.children.map((child, index) =>
        row(
          childLabel(child),
          lines(
            childDescription(child),
            `Sex: ${sexWords[child.sex].toLowerCase()}`,
            `Ethnicity: ${ethnicityInWords(child.ethnicity)}`,
            ...(child.disability ? [`Disability: ${disabilityInWords(child.disability)}`] : []),
            child.lookedAfterStatus
              ? `Looked after: ${whenWords[child.lookedAfterStatus]}`
              : child.lookedAfter
                ? 'Looked after'
                : 'Not looked after',
            ...(child.careLeaver ? ['Care leaver'] : []),
            ...(child.childProtectionPlan
              ? [`Child protection plan: ${whenWords[child.childProtectionPlan]}`]
              : []),
            ...(child.childInNeed ? [`Child in need: ${whenWords[child.childInNeed]}`] : []),
            ...(child.address ? [`Address: ${addressInOneLine(child.address)}`] : []),
            ...(child.nhsNumber ? [`NHS number: ${formatNhsNumber(child.nhsNumber)}`] : []),
          ),
          `/notify/children/${index + 1}?change=yes`,
          childLabel(child),
        ),
      ),
    });
  }
  if (notification.children?.length) {
    const members = notification.householdMembers ?? [];
    sections.push({
      heading: 'The child’s household',
      rows: [
        row(
          'Household members',
          members.length
            ? lines(...members.map((member) => `${member.name} (${member.relationship})`))
            : 'None given',
          '/notify/household?change=yes',
          'household members',
        ),
      ],
    });
  }
  if (notification.agencies?.length) {
    sections.push({
      heading: 'Agencies',
      changeHref: '/notify/agencies?change=yes',
      listName: 'agencies',
      rows: notification.agencies.map((agency, index) =>
        row(
          agency.name,
          lines(agency.spoc.name, agency.spoc.email),
          `/notify/agencies/${index + 1}?change=yes`,
          agency.name,
        ),
      ),
    });
  }
  const notifier = notification.notifier;
  if (notifier) {
    const href = '/notify/notifier?change=yes';
    sections.push({
      heading: 'Your details',
      rows: [
        row('Name', notifier.name, href, 'your name'),
        row('Role', notifier.role, href, 'your role'),
        row('Email address', notifier.email, href, 'your email address'),
        row('Telephone', notifier.phone ?? 'None given', href, 'your telephone number'),
      ],
    });
  }
  const processes = notification.parallelProcesses;
  if (processes) {
    const chosen: string[] = parallelProcessOptions
      .filter((option) => processes[option.value])
      .map((option) => option.text);
    if (processes.other) chosen.push(`Other: ${processes.other}`);
    sections.push({
      heading: 'Other processes',
      rows: [
        row(
          'Running alongside',
          chosen.length ? lines(...chosen) : 'None',
          '/notify/parallel-processes',
          'other processes',
        ),
      ],
    });
  }
  return sections;
}

/** The timetable's milestones as "What happens next" lists them. */
export function timetableDates(
  timetable: Timetable,
  keys: readonly MilestoneKey[],
): { day: number | undefined; name: string; date: string }[] {
  return keys.flatMap((key) => {
    const milestone = timetable.milestones.find((candidate) => candidate.key === key);
    return milestone
      ? [
          {
            day: planDayOf(timetable, milestone),
            name: milestone.name,
            date: formatDate(milestone.date, { weekday: true }),
          },
        ]
      : [];
  });
}
