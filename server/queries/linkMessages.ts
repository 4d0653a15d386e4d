// Link messages as the console shows them: the documents of a movement, and one message whole.
// A user sees a message that touches a movement they may see, or that was sent within their
// jurisdiction (visible_districts); HQ sees all.
import type pg from 'pg';

export interface LinkDocument {
  id: number;
  system: string;
  messageId: string;
  messageType: string;
  receivedAt: number;
  sentAt: number | null;
  source: string;
  summary: Record<string, unknown>;
}

export interface LinkMessageRow extends LinkDocument {
  format: 'xml' | 'json';
  via: string;
  district: string;
  raw: string;
  movements: number[];
}

const DOC_COLUMNS = `m.id::int AS id, m.system, m.message_id AS "messageId", m.message_type AS "messageType",
  (extract(epoch FROM m.received_at) * 1000)::float8 AS "receivedAt", (extract(epoch FROM m.sent_at) * 1000)::float8 AS "sentAt",
  m.source, m.summary`;

/**
 * The documents of a movement the user may see, oldest first; null when they may not see it: the
 * messages about it, the manifest its bills came on (the message that last set it), and that
 * vessel's port call, which no message carries (it is detected from AIS): it has a negative id and
 * no raw text.
 */
export async function movementDocuments(pool: pg.Pool, userDistrict: string, consignmentId: number): Promise<LinkDocument[] | null> {
  const seen = await pool.query('SELECT 1 FROM visible_consignments($1) c WHERE c.id = $2', [userDistrict, consignmentId]);
  if (!seen.rows[0]) return null;
  const { rows } = await pool.query<LinkDocument>(
    `WITH manifest AS (SELECT DISTINCT tb.manifest_id AS id FROM transit_declarations t JOIN transit_bills tb ON tb.declaration_id = t.id
                       WHERE t.consignment_id = $1 AND tb.manifest_id IS NOT NULL),
          docs AS (SELECT lm.message_id AS id FROM link_message_movements lm WHERE lm.consignment_id = $1
                   UNION SELECT mf.message FROM manifests mf JOIN manifest ON manifest.id = mf.id)
     SELECT * FROM (
       SELECT ${DOC_COLUMNS} FROM docs JOIN link_messages m ON m.id = docs.id
       UNION ALL
       SELECT -pc.id, 'port-call', 'PC-' || pc.id, 'PORT_CALL', (extract(epoch FROM pc.arrived_at) * 1000)::float8, NULL, 'ais',
              jsonb_strip_nulls(jsonb_build_object('vessel', a.label, 'voyage', mf.journey_id, 'port', pc.place,
                'arrivedAt', to_char(pc.arrived_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
                'departedAt', to_char(pc.departed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')))
       FROM port_calls pc JOIN manifest ON manifest.id = pc.manifest_id JOIN manifests mf ON mf.id = pc.manifest_id JOIN assets a ON a.id = pc.asset_id
     ) d ORDER BY coalesce("sentAt", "receivedAt"), id LIMIT 500`,
    [consignmentId],
  );
  return rows;
}

/** One message whole (its raw text), or null when it does not exist or is not the user's to see. */
export async function linkMessage(pool: pg.Pool, userDistrict: string, id: number): Promise<LinkMessageRow | null> {
  const { rows } = await pool.query<LinkMessageRow>(
    `SELECT ${DOC_COLUMNS}, m.format, m.via, m.district, m.raw,
            coalesce((SELECT array_agg(consignment_id ORDER BY consignment_id) FROM link_message_movements WHERE message_id = m.id), '{}') AS movements
     FROM link_messages m
     WHERE m.id = $2
       AND (is_hq($1) OR m.district = ANY (visible_districts($1))
            OR EXISTS (SELECT 1 FROM link_message_movements lm JOIN visible_consignments($1) c ON c.id = lm.consignment_id WHERE lm.message_id = m.id))`,
    [userDistrict, id],
  );
  return rows[0] ?? null;
}
