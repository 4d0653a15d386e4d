// The inspection task list's order and its overdue mark, on tasks shaped as GET /api/inspections answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INSPECTION_OVERDUE_MINUTES, groupTasks, isOverdue, type InspectionTask } from './inspectionTasks';

const NOW = Date.parse('2026-12-05T06:00:00Z');
const ago = (min: number) => new Date(NOW - min * 60_000).toISOString();

function task(id: number, site: string, o: Partial<InspectionTask> = {}): InspectionTask {
  return {
    id,
    consignmentId: 100 + id,
    reference: `2200202600000${id}`,
    plate: '沪A12345',
    site,
    siteName: site === 'WGQ-BZ' ? '外高桥保税区' : '洋山港区',
    flaggedAt: ago(200 - id),
    flaggedBy: 'user:sh-officer',
    reason: '箱号存疑',
    arrivedAt: null,
    result: null,
    resultAt: null,
    newSeal: null,
    ...o,
  };
}

test('a task is overdue once its movement arrived more than the window ago without a result', () => {
  assert.equal(isOverdue(task(1, 'WGQ-BZ', { arrivedAt: ago(INSPECTION_OVERDUE_MINUTES + 1) }), NOW), true);
  assert.equal(isOverdue(task(1, 'WGQ-BZ', { arrivedAt: ago(INSPECTION_OVERDUE_MINUTES - 1) }), NOW), false);
  assert.equal(isOverdue(task(1, 'WGQ-BZ'), NOW), false, 'not arrived');
  assert.equal(isOverdue(task(1, 'WGQ-BZ', { arrivedAt: ago(300), result: 'passed', resultAt: ago(10) }), NOW), false, 'inspected');
});

test('by site: overdue first (longest waiting first), then arrived, then on the way in the server order; the site with the most urgent task first', () => {
  // The server's order: newest flag first.
  const tasks = [
    task(9, 'YS-TERM'),
    task(8, 'WGQ-BZ'),
    task(7, 'WGQ-BZ', { arrivedAt: ago(5) }),
    task(6, 'WGQ-BZ', { arrivedAt: ago(90) }),
    task(5, 'YS-TERM', { arrivedAt: ago(20) }),
    task(4, 'WGQ-BZ', { arrivedAt: ago(150) }),
    task(3, 'WGQ-BZ'),
  ];
  const groups = groupTasks(tasks, NOW);
  assert.deepEqual(
    groups.map((g) => [g.site, g.name, g.tasks.map((t) => t.id)]),
    [
      ['WGQ-BZ', '外高桥保税区', [4, 6, 7, 8, 3]],
      ['YS-TERM', '洋山港区', [5, 9]],
    ],
  );
  assert.deepEqual(groupTasks([], NOW), []);
});
