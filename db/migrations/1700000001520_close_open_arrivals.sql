-- Up Migration
-- Normal arrivals (info alerts) are stored closed at once since this version (server/alerts/
-- alertService.ts): close those an earlier version left open, so that an upgraded deployment's
-- pending count means work too. Closed at their own time, by no one, with the same note.
UPDATE alerts
SET state = 'resolved', resolved_at = time,
    note = '信息事件，无需处置（系统自动关闭） · Information, no action needed (closed by the system)'
WHERE severity = 'info' AND state <> 'resolved';

-- Down Migration
-- Nothing to undo: which of them were open before is not kept.
