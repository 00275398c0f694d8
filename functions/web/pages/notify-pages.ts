import type { Page } from '../page.ts';
import { notifyPages } from './notify.ts';

/**
 * Notifying a serious incident, served by the notify pages' function (functions/notify-web)
 * through the NotifyPages routes of shared/routes.ts (`/notify` and every path under it): the
 * question pages, check your answers and the confirmation. Apart from the web function so that
 * neither bundle holds every page: these pages alone hold the draft, the intake logic and the
 * answers' parsing.
 */
export const notifyWebPages: readonly Page[] = [...notifyPages];
