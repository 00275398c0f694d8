import type { StaffRole } from './schemas/roles.ts';

/** Who may call a route: staff with one of these roles, or anyone holding an agency's capability link. */
export type RouteAccess = { kind: 'staff'; roles: readonly StaffRole[] } | { kind: 'capability-link' };

/** One HTTP route: CDK builds API Gateway from this table and the local API serves the same table. */
export interface Route {
  /** Stable id, used as the CDK construct id and in logs. */
  id: string;
  method: 'GET' | 'POST';
  /** API Gateway path syntax: `{name}` is a path parameter. */
  path: string;
  /** The function (see functions/catalogue.ts) that answers it. */
  functionName: string;
  access: RouteAccess;
}

const staff = (...roles: StaffRole[]): RouteAccess => ({ kind: 'staff', roles });

export const routes = [
  {
    id: 'SubmitNotification',
    method: 'POST',
    path: '/api/notifications',
    functionName: 'intake',
    access: staff('notifier', 'partnership-team'),
  },
  {
    id: 'GetCase',
    method: 'GET',
    path: '/api/cases/{caseId}',
    functionName: 'get-case',
    access: staff('partnership-team', 'rrg-member', 'rrg-chair'),
  },
  {
    id: 'RecordDecision',
    method: 'POST',
    path: '/api/cases/{caseId}/decision',
    functionName: 'record-decision',
    access: staff('rrg-chair'),
  },
  {
    id: 'GetAgencyRequest',
    method: 'GET',
    path: '/api/agency/{token}',
    functionName: 'agency-return',
    access: { kind: 'capability-link' },
  },
  {
    id: 'CreateAgencyUpload',
    method: 'POST',
    path: '/api/agency/{token}/uploads',
    functionName: 'agency-return',
    access: { kind: 'capability-link' },
  },
] as const satisfies readonly Route[];

/** Finds the route for a method and a concrete path, with its path parameters. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; pathParameters: Record<string, string> } | undefined {
  for (const route of routes as readonly Route[]) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const match = new RegExp(`^${pattern}$`).exec(path);
    if (!match) continue;
    const pathParameters: Record<string, string> = {};
    names.forEach((name, index) => {
      pathParameters[name] = decodeURIComponent(match[index + 1] ?? '');
    });
    return { route, pathParameters };
  }
  return undefined;
}
