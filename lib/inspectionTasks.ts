// The console's inspection task list (GET /api/inspections, server/links/inspection/tasks.ts): which
// task is overdue, and the order an officer works them in. Pure, so that it is tested in node.

/** The server's default LINKS_INSPECTION_MINUTES: past it, an arrived movement without a result raises INSPECTION_OVERDUE. */
export const INSPECTION_OVERDUE_MINUTES = 60;

/** One task as GET /api/inspections answers (server/links/inspection/tasks.ts). */
export interface InspectionTask {
  id: number;
  consignmentId: number;
  reference: string;
  plate: string | null;
  site: string;
  siteName: string;
  flaggedAt: string;
  flaggedBy: string;
  reason: string;
  arrivedAt: string | null;
  result: string | null;
  resultAt: string | null;
  newSeal: string | null;
}

/** Open, arrived, and past the inspection window. */
export const isOverdue = (t: InspectionTask, now: number) => t.result === null && t.arrivedAt !== null && now - Date.parse(t.arrivedAt) > INSPECTION_OVERDUE_MINUTES * 60_000;

/** What needs the officer first: overdue (longest waiting first), then arrived and waiting, then on the way (newest flag first, as the server sends them). */
function urgency(t: InspectionTask, now: number): number {
  if (t.result !== null || t.arrivedAt === null) return 0;
  return (isOverdue(t, now) ? 2e13 : 1e13) + (now - Date.parse(t.arrivedAt));
}

/** The tasks by inspecting site, the site with the most urgent task first, each site's tasks most urgent first. */
export function groupTasks(tasks: InspectionTask[], now: number): { site: string; name: string; tasks: InspectionTask[] }[] {
  const groups = new Map<string, { site: string; name: string; tasks: InspectionTask[] }>();
  for (const task of tasks) {
    const g = groups.get(task.site) ?? { site: task.site, name: task.siteName, tasks: [] };
    g.tasks.push(task);
    groups.set(task.site, g);
  }
  const sorted = [...groups.values()].map((g) => ({
    ...g,
    tasks: g.tasks
      .map((t, i) => ({ t, i }))
      .sort((a, b) => urgency(b.t, now) - urgency(a.t, now) || a.i - b.i)
      .map((x) => x.t),
  }));
  const top = (g: { tasks: InspectionTask[] }) => urgency(g.tasks[0]!, now);
  return sorted
    .map((g, i) => ({ g, i }))
    .sort((a, b) => top(b.g) - top(a.g) || a.i - b.i)
    .map((x) => x.g);
}
