import { zonedDateTime } from '../../shared/calendar/dates.ts';
import { isWorkingDay, nextWorkingDay, subtractWorkingDays } from '../../shared/calendar/working-days.ts';
import type { SeriousIncidentNotification } from '../../shared/schemas/notification.ts';
import { sampleNotification } from '../sample-notification.ts';

/**
 * The demo's invented notification, dated from the stack's clock: the Panel was notified three
 * working days before the partnership heard (today, or the next working day when today is not
 * one), so the Panel's date governs and the milestones are pulled back to meet it.
 */
export function demoNotification(now: Date): SeriousIncidentNotification {
  const today = zonedDateTime(now, 'Europe/London').date;
  const heard = isWorkingDay(today) ? today : nextWorkingDay(today);
  const panelNotifiedOn = subtractWorkingDays(heard, 3);
  const awareOn = subtractWorkingDays(panelNotifiedOn, 1);
  const base = sampleNotification();
  return {
    ...base,
    incident: {
      ...base.incident,
      occurredOn: awareOn.add({ days: -1 }).toString(),
      localAuthorityAwareOn: awareOn.toString(),
      panelNotifiedOn: panelNotifiedOn.toString(),
    },
  };
}
