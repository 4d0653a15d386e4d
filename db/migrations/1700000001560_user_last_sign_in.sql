-- Up Migration
-- The users admin list shows each account's last sign-in: the newest sign-in audit record of a user
-- (server/users/users.ts), found by this partial index instead of a walk over the whole audit log.
CREATE INDEX audit_log_user_sign_in ON audit_log (user_id, id DESC) WHERE action IN ('sign_in', 'kiosk_sign_in');

-- Down Migration
DROP INDEX IF EXISTS audit_log_user_sign_in;
